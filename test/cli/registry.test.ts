import { describe, expect, it } from 'vitest';
import { commands } from '../../src/cli/registry.js';

describe('the subcommand registry', () => {
  it("loads, for every name, that command's own module (its usage is for that name)", async () => {
    const wrong: string[] = [];
    for (const entry of commands) {
      const { command } = await entry.load();
      const firstLine = command.usage.split('\n')[0] ?? '';
      if (!firstLine.startsWith(`Usage: m2m-bridge ${entry.name} `)) wrong.push(`${entry.name}: ${firstLine}`);
    }
    expect(wrong).toEqual([]);
  });

  it('names every command once', () => {
    expect(new Set(commands.map((entry) => entry.name)).size).toBe(commands.length);
  });
});
