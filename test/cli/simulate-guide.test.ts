import { describe, expect, it } from 'vitest';
import { selfInvocation, shellWord } from '../../src/cli/simulate-guide.js';

describe("the guide's name for the program", () => {
  it('is m2m-bridge when started by that name (an installed bin on PATH)', () => {
    expect(selfInvocation('/usr/local/bin/m2m-bridge')).toBe('m2m-bridge');
  });

  it('is node and the script from a checkout, quoted for sh when the path needs it', () => {
    expect(selfInvocation('/home/ann/m2m-bridge/dist/cli.js')).toBe('node /home/ann/m2m-bridge/dist/cli.js');
    expect(selfInvocation("/home/ann/my work/ann's/dist/cli.js")).toBe(
      `node '/home/ann/my work/ann'\\''s/dist/cli.js'`,
    );
    expect(shellWord('/tmp/m2m-bridge-simulate-x/journal.db')).toBe('/tmp/m2m-bridge-simulate-x/journal.db');
  });
});
