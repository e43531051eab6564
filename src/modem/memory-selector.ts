import type { AtChannel } from '../at/channel.js';
import { type MemoryUse, parseCpmsUsage } from './parsers/storage.js';

/**
 * Which memory <mem1> is on, so that a read and its delete run in the memory of the slot and a +CPMS switch is sent
 * only when <mem1> has to move; every +CPMS answer carries <mem1>'s counters, which go to `onUsage`. It is the one piece
 * of modem state the receive pipeline (receiver.ts) keeps between tasks, kept here so the pipeline reads as the order
 * of its steps; `assume` is told whenever +CPMS changes behind it (init sets it, detach makes it unknown).
 */
export class MemorySelector {
  private current: string | undefined;

  constructor(private readonly onUsage: (memory: string, use: MemoryUse) => void) {}

  /** What <mem1> is now known to be (after init: the receive memory); undefined: unknown, the next select switches. */
  assume(memory: string | undefined): void {
    this.current = memory;
  }

  /** <mem1> to `memory` (AT+CPMS="…") unless it is there already; the counters when a switch answered them. */
  async select(channel: AtChannel, memory: string): Promise<MemoryUse | undefined> {
    if (this.current === memory) return undefined;
    // Unknown until the modem confirms: a switch that failed half-way must not be taken for done.
    this.current = undefined;
    const res = await channel.run(`AT+CPMS="${memory}"`, { prefix: '+CPMS:' });
    this.current = memory;
    return this.counted(memory, res.lines);
  }

  /** `memory`'s counters: from the +CPMS answer when it has to be selected, else from AT+CPMS? (one command either way). */
  async usageOf(channel: AtChannel, memory: string): Promise<MemoryUse | undefined> {
    if (this.current !== memory) return this.select(channel, memory);
    const res = await channel.run('AT+CPMS?', { prefix: '+CPMS:' });
    return this.counted(memory, res.lines);
  }

  private counted(memory: string, lines: string[]): MemoryUse | undefined {
    const use = parseCpmsUsage(lines)[0];
    if (use) this.onUsage(memory, use);
    return use;
  }
}
