/**
 * A small seeded PRNG (mulberry32) for fault schedules: the same seed gives the same schedule, so a failure can be
 * replayed with `M2M_FAULT_SEED=<seed>`. The seed is printed by the tests that use it.
 */
export class SeededRandom {
  private state: number;

  constructor(readonly seed: number) {
    this.state = seed >>> 0;
  }

  /** A seed from M2M_FAULT_SEED when set, otherwise a fresh one. */
  static fromEnvironment(): SeededRandom {
    const given = process.env.M2M_FAULT_SEED;
    const seed = given ? Number.parseInt(given, 10) : Math.floor(Math.random() * 2 ** 31);
    return new SeededRandom(seed);
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
}
