/** Reads a systemd unit file (systemd.syntax(7)): sections, `Key=value` lines, repeated keys kept in order. */
export type UnitFile = Map<string, Map<string, string[]>>;

export function parseUnit(text: string): UnitFile {
  const unit: UnitFile = new Map();
  let section: Map<string, string[]> | undefined;
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) return;
    const header = /^\[([A-Za-z]+)\]$/.exec(line);
    if (header) {
      section = new Map();
      unit.set(header[1]!, section);
      return;
    }
    const kv = /^([A-Za-z][A-Za-z0-9]*)=(.*)$/.exec(line);
    if (!kv || !section) throw new Error(`line ${index + 1}: not a Key=value line inside a section: ${raw}`);
    const values = section.get(kv[1]!) ?? [];
    values.push(kv[2]!);
    section.set(kv[1]!, values);
  });
  return unit;
}

/** The last value of a key (systemd: a later assignment overrides, except for list settings). */
export function last(unit: UnitFile, section: string, key: string): string | undefined {
  return unit.get(section)?.get(key)?.at(-1);
}
