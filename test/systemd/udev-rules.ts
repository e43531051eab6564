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
  parents: { subsystem: string; attrs: Record<string, string> }[];
}

export interface Outcome {
  env: Record<string, string>;
  symlinks: string[];
  tags: string[];
}

/** Runs the rules over one device event and returns the properties, symlinks and tags it ends with. */
export function evaluate(rules: Rule[], device: FakeDevice): Outcome {
  const out: Outcome = { env: {}, symlinks: [], tags: [] };
  let skipTo: string | null = null;
  for (const rule of rules) {
    const label = rule.keys.find((k) => k.key === 'LABEL');
    if (skipTo !== null) {
      if (label?.value === skipTo) skipTo = null;
      continue;
    }
    let parent: FakeDevice['parents'][number] | undefined;
    const parentCandidates = (extra: (p: FakeDevice['parents'][number]) => boolean) =>
      device.parents.filter((p) => (parent === undefined || p === parent) && extra(p));
    let matched = true;
    // All ATTRS keys of a rule must hold on one parent (udev(7): "ATTRS ... of the device or any of its parents").
    const attrsKeys = rule.keys.filter((k) => k.key === 'ATTRS' && k.op === '==');
    if (attrsKeys.length > 0) {
      const found = device.parents.find((p) =>
        attrsKeys.every((k) => p.attrs[k.attr!] !== undefined && globMatch(k.value, p.attrs[k.attr!]!)),
      );
      if (!found) matched = false;
      else parent = found;
    }
    for (const k of rule.keys) {
      if (!matched) break;
      const negate = k.op === '!=';
      if (k.op !== '==' && k.op !== '!=') continue;
      let ok: boolean;
      if (k.key === 'ACTION') ok = globMatch(k.value, device.action);
      else if (k.key === 'SUBSYSTEM') ok = globMatch(k.value, device.subsystem);
      else if (k.key === 'SUBSYSTEMS') {
        const hits = parentCandidates((p) => globMatch(k.value, p.subsystem));
        ok = hits.length > 0;
        if (ok && parent === undefined) parent = hits[0];
      } else if (k.key === 'ENV') ok = globMatch(k.value, out.env[k.attr!] ?? '');
      else if (k.key === 'ATTRS') continue;
      else throw new Error(`line ${rule.line}: the evaluator does not support matching ${k.key}`);
      if (negate ? ok : !ok) matched = false;
    }
    if (!matched) continue;
    for (const k of rule.keys) {
      if (k.op === '==' || k.op === '!=') continue;
      const value = k.value.replace(/\$attr\{([^}]+)\}/g, (_, name: string) => {
        const source = parent ?? device.parents.find((p) => p.attrs[name] !== undefined);
        return source?.attrs[name] ?? '';
      });
      if (k.key === 'ENV') out.env[k.attr!] = value;
      else if (k.key === 'SYMLINK') out.symlinks.push(...value.split(/\s+/).filter(Boolean));
      else if (k.key === 'TAG') out.tags.push(value);
      else if (k.key === 'GOTO') skipTo = value;
    }
  }
  return out;
}
