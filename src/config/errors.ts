/** Where a value came from, so an error can point at it. */
export type ValueOrigin =
  | { kind: 'file'; path: string; line: number; col: number }
  | { kind: 'env'; name: string }
  /** `name` is the flag as the user typed it: `--log-level`, `--set serial.baud_rate=…`. */
  | { kind: 'flag'; name: string }
  | { kind: 'default' };

export interface ConfigIssue {
  /** The dotted key (`mqtt.version`), or null for the file as a whole. */
  key: string | null;
  /** What is wrong and what is expected, e.g. `expected 4 or 5, got "6"`. */
  message: string;
  origin: ValueOrigin | null;
}

function describeOrigin(origin: ValueOrigin | null): string {
  if (!origin) return '';
  switch (origin.kind) {
    case 'file':
      return ` (${origin.path}:${origin.line}:${origin.col})`;
    case 'env':
      return ` (from ${origin.name})`;
    case 'flag':
      return ` (from ${origin.name})`;
    default:
      return '';
  }
}

export function formatIssue(issue: ConfigIssue): string {
  return `${issue.key === null ? '' : `${issue.key}: `}${issue.message}${describeOrigin(issue.origin)}`;
}

/** Every problem found in one load, listed together so the user fixes them in one pass. */
export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(readonly issues: ConfigIssue[]) {
    super(
      issues.length === 1
        ? `invalid configuration: ${formatIssue(issues[0]!)}`
        : `invalid configuration (${issues.length} problems):\n${issues.map((issue) => `  ${formatIssue(issue)}`).join('\n')}`,
    );
  }
}
