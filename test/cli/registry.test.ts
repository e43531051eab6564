import { describe, expect, it } from 'vitest';
import { commands } from '../../src/cli/registry.js';

describe('the subcommand registry', () => {
  it('names and sums up every command exactly as its module does (--help reads the registry, not the modules)', async () => {
    const drift: string[] = [];
    for (const entry of commands) {
      const { command } = await entry.load();
      if (command.name !== entry.name) drift.push(`${entry.name}: module says name '${command.name}'`);
      if (command.summary !== entry.summary)
        drift.push(`${entry.name}: registry '${entry.summary}', module '${command.summary}'`);
    }
    expect(drift).toEqual([]);
    expect(new Set(commands.map((entry) => entry.name)).size).toBe(commands.length);
  });
});
