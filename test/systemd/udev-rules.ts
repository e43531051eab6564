/**
 * A small reader and evaluator of udev rules (udev(7)), enough for systemd/99-m2m-bridge.rules: the keys it uses,
 * glob patterns with `|` alternatives, `GOTO`/`LABEL`, `$attr{}` substitution, and the rule that all ATTRS keys of
 * one rule must match on the same parent device. udevadm cannot test rules against a device that is not plugged in
 * (and `udevadm verify` only exists from systemd 253), so the tests evaluate the file with this.
 */
export interface RuleKey {
  key: string;
  attr: string | undefined;
  op: '==' | '!=' | '=' | '+=' | ':=';
  value: string;
}

export interface Rule {
  line: number;
  keys: RuleKey[];
}

const MATCH_KEYS = new Set([
  'ACTION',
  'SUBSYSTEM',
  'SUBSYSTEMS',
  'KERNEL',
  'KERNELS',
  'ATTR',
  'ATTRS',
  'ENV',
  'DRIVERS',
]);
const ASSIGN_KEYS = new Set(['ENV', 'SYMLINK', 'TAG', 'GOTO', 'LABEL', 'GROUP', 'MODE', 'OWNER']);
const KEY_RE = /^\s*([A-Z]+)(?:\{([^}]+)\})?\s*(==|!=|\+=|:=|=)\s*"((?:[^"\\]|\\.)*)"\s*(,|$)/;

/** Parses the rules; throws naming the line on anything udev would reject or we do not understand. */
export function parseRules(text: string): Rule[] {
  const rules: Rule[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    if (raw.endsWith('\\')) throw new Error(`line ${index + 1}: continuation lines are not used here`);
    const keys: RuleKey[] = [];
    let rest = line;
    while (rest.length > 0) {
      const m = KEY_RE.exec(rest);
      if (!m) throw new Error(`line ${index + 1}: cannot parse ${JSON.stringify(rest)}`);
      const [whole, key, attr, op, value] = m as unknown as [string, string, string | undefined, RuleKey['op'], string];
      const isMatch = op === '==' || op === '!=';
      if (isMatch && !MATCH_KEYS.has(key)) throw new Error(`line ${index + 1}: ${key} cannot be matched`);
      if (!isMatch && !ASSIGN_KEYS.has(key)) throw new Error(`line ${index + 1}: ${key} cannot be assigned`);
      if ((key === 'ATTRS' || key === 'ATTR' || key === 'ENV') && !attr)
        throw new Error(`line ${index + 1}: ${key} needs {name}`);
      keys.push({ key, attr, op, value });
      rest = rest.slice(whole.length).trim();
    }
    rules.push({ line: index + 1, keys });
  });
  const labels = new Set(rules.flatMap((r) => r.keys.filter((k) => k.key === 'LABEL').map((k) => k.value)));
  for (const rule of rules)
    for (const k of rule.keys)
      if (k.key === 'GOTO' && !labels.has(k.value))
        throw new Error(`line ${rule.line}: GOTO to unknown label ${k.value}`);
  return rules;
}

/** udev glob: `*`, `?`, `[...]`, and `|` between alternatives. */
export function globMatch(pattern: string, value: string): boolean {
  return pattern.split('|').some((alt) => {
    const re = alt
      .replace(/[.+^${}()\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.');
    return new RegExp(`^${re}$`).test(value);
  });
}

/** A device event: the device itself and its parents, nearest first (tty → usb interface → usb device). */
export interface FakeDevice {
  action: string;
  subsystem: string;
  /** The device's own sysfs attributes (udev's parent-key walk starts at the device itself). */
  attrs?: Record<string, string>;
  parents: { subsystem: string; attrs: Record<string, string> }[];
  /** Properties earlier rules set (60-serial.rules imports usb_id and path_id: ID_SERIAL_SHORT, ID_PATH_TAG). */
  env?: Record<string, string>;
}

type Node = FakeDevice['parents'][number];

/** Keys matched against the device or one of its parents (udev(7): KERNELS, SUBSYSTEMS, DRIVERS, ATTRS). */
const PARENT_KEYS = new Set(['SUBSYSTEMS', 'ATTRS', 'KERNELS', 'DRIVERS']);

function parentKeyHolds(k: RuleKey, node: Node): boolean {
  let ok: boolean;
  if (k.key === 'SUBSYSTEMS') ok = globMatch(k.value, node.subsystem);
  else if (k.key === 'ATTRS') ok = node.attrs[k.attr!] !== undefined && globMatch(k.value, node.attrs[k.attr!]!);
  else throw new Error(`the evaluator does not support matching ${k.key}`);
  return k.op === '!=' ? !ok : ok;
}

export interface Outcome {
  env: Record<string, string>;
  symlinks: string[];
  tags: string[];
}

/** Runs the rules over one device event and returns the properties, symlinks and tags it ends with. */
export function evaluate(rules: Rule[], device: FakeDevice): Outcome {
  const out: Outcome = { env: { ...device.env }, symlinks: [], tags: [] };
  let skipTo: string | null = null;
  for (const rule of rules) {
    const label = rule.keys.find((k) => k.key === 'LABEL');
    if (skipTo !== null) {
      if (label?.value === skipTo) skipTo = null;
      continue;
    }
    // udev-rules.c: the walk starts at the device itself and goes up; the first node on which ALL parent keys of the
    // rule hold is "the parent" ($attr{} reads from it). A negated key (SUBSYSTEMS!="usb") therefore already holds on
    // the tty itself — which is why the rules file jumps over its body with a positive match instead.
    const parentKeys = rule.keys.filter((k) => PARENT_KEYS.has(k.key));
    let parent: Node | undefined;
    let matched = true;
    if (parentKeys.length > 0) {
      const nodes: Node[] = [{ subsystem: device.subsystem, attrs: device.attrs ?? {} }, ...device.parents];
      parent = nodes.find((node) => parentKeys.every((k) => parentKeyHolds(k, node)));
      if (!parent) matched = false;
    }
    for (const k of rule.keys) {
      if (!matched) break;
      if ((k.op !== '==' && k.op !== '!=') || PARENT_KEYS.has(k.key)) continue;
      let ok: boolean;
      if (k.key === 'ACTION') ok = globMatch(k.value, device.action);
      else if (k.key === 'SUBSYSTEM') ok = globMatch(k.value, device.subsystem);
      else if (k.key === 'ENV') ok = globMatch(k.value, out.env[k.attr!] ?? '');
      else throw new Error(`line ${rule.line}: the evaluator does not support matching ${k.key}`);
      if (k.op === '!=' ? ok : !ok) matched = false;
    }
    if (!matched) continue;
    for (const k of rule.keys) {
      if (k.op === '==' || k.op === '!=') continue;
      const value = k.value
        .replace(/\$attr\{([^}]+)\}/g, (_, name: string) => {
          const source = parent ?? device.parents.find((p) => p.attrs[name] !== undefined);
          return source?.attrs[name] ?? '';
        })
        .replace(/\$env\{([^}]+)\}/g, (_, name: string) => out.env[name] ?? '');
      if (k.key === 'ENV') out.env[k.attr!] = value;
      else if (k.key === 'SYMLINK') out.symlinks.push(...value.split(/\s+/).filter(Boolean));
      else if (k.key === 'TAG') out.tags.push(value);
      else if (k.key === 'GOTO') skipTo = value;
    }
  }
  return out;
}
