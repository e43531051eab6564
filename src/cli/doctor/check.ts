/** One line of the doctor's report: what was checked, how it went, and for anything but PASS, how to fix it. */
export interface CheckResult {
  /** Stable id for --json consumers, e.g. `serial.access`. */
  id: string;
  title: string;
  status: 'pass' | 'warn' | 'fail' | 'skip';
  detail: string;
  /** One line: what to do about it (empty for PASS). */
  hint: string;
}

export const pass = (id: string, title: string, detail: string): CheckResult => ({
  id,
  title,
  status: 'pass',
  detail,
  hint: '',
});
export const warn = (id: string, title: string, detail: string, hint: string): CheckResult => ({
  id,
  title,
  status: 'warn',
  detail,
  hint,
});
export const fail = (id: string, title: string, detail: string, hint: string): CheckResult => ({
  id,
  title,
  status: 'fail',
  detail,
  hint,
});
export const skip = (id: string, title: string, detail: string): CheckResult => ({
  id,
  title,
  status: 'skip',
  detail,
  hint: '',
});

export function formatResult(result: CheckResult): string {
  const label = { pass: 'PASS', warn: 'WARN', fail: 'FAIL', skip: 'SKIP' }[result.status];
  const hint = result.hint ? `\n      → ${result.hint}` : '';
  return `${label}  ${result.title}: ${result.detail}${hint}`;
}
