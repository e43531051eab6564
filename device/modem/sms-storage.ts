/**
 * Preferred-message-storage model (3GPP TS 27.005 §3.1 <mem1..3>, §3.2.2 +CPMS): `SM` (SIM), `ME` (modem), `SR`
 * (status reports) with fixed capacities, and `MT` as the SIM and modem memories seen as one (SM indices first, then
 * ME indices shifted by the SIM capacity, as on Siemens/Quectel firmware). Pure state, no timers.
 */

export type MemoryName = 'SM' | 'ME' | 'MT' | 'SR';
const MEMORY_NAMES: readonly MemoryName[] = ['SM', 'ME', 'MT', 'SR'];

/** <stat> in PDU mode (TS 27.005 §3.1): 0 received unread, 1 received read, 2 stored unsent, 3 stored sent. */
export type MessageStat = 0 | 1 | 2 | 3;
export const STAT_TEXT = ['REC UNREAD', 'REC READ', 'STO UNSENT', 'STO SENT'] as const;

export interface StoredMessage {
  stat: MessageStat;
  /** The full PDU as +CMGR shows it: SMSC address octets followed by the TPDU, upper-case hex. */
  pdu: string;
  /** TPDU length in octets (the <length> field of +CMGR/+CMGL). */
  tpduLength: number;
  storedAt: string;
}

interface MemoryUsage {
  used: number;
  total: number;
}

export interface StorageSnapshot {
  memory: Exclude<MemoryName, 'MT'>;
  used: number;
  total: number;
  messages: ({ index: number } & StoredMessage)[];
}

type PhysicalMemory = 'SM' | 'ME' | 'SR';

export class SmsStorage {
  private readonly slots: Record<PhysicalMemory, Map<number, StoredMessage>> = {
    SM: new Map(),
    ME: new Map(),
    SR: new Map(),
  };
  /** When set, every memory reports itself full (the storage-full fault). */
  forcedFull = false;

  constructor(private readonly capacity: Record<PhysicalMemory, number>) {}

  static isMemory(name: string): name is MemoryName {
    return (MEMORY_NAMES as readonly string[]).includes(name);
  }

  usage(memory: MemoryName): MemoryUsage {
    if (memory === 'MT') {
      const sm = this.usage('SM');
      const me = this.usage('ME');
      return { used: sm.used + me.used, total: sm.total + me.total };
    }
    const total = this.capacity[memory];
    return { used: this.forcedFull ? total : this.slots[memory].size, total };
  }

  isFull(memory: MemoryName): boolean {
    const { used, total } = this.usage(memory);
    return used >= total;
  }

  /** Maps a (memory, index) pair to the physical slot; undefined when the index is out of range. */
  private locate(memory: MemoryName, index: number): { memory: PhysicalMemory; index: number } | undefined {
    if (!Number.isInteger(index) || index < 1) return undefined;
    if (memory === 'MT') {
      if (index <= this.capacity.SM) return { memory: 'SM', index };
      const meIndex = index - this.capacity.SM;
      return meIndex <= this.capacity.ME ? { memory: 'ME', index: meIndex } : undefined;
    }
    return index <= this.capacity[memory] ? { memory, index } : undefined;
  }

  inRange(memory: MemoryName, index: number): boolean {
    return this.locate(memory, index) !== undefined;
  }

  get(memory: MemoryName, index: number): StoredMessage | undefined {
    const slot = this.locate(memory, index);
    return slot ? this.slots[slot.memory].get(slot.index) : undefined;
  }

  /** Stores into the lowest free index; returns the index as seen through `memory`, or undefined when full. */
  store(memory: MemoryName, message: StoredMessage): number | undefined {
    if (this.forcedFull) return undefined;
    if (memory === 'MT') {
      const sm = this.store('SM', message);
      if (sm !== undefined) return sm;
      const me = this.store('ME', message);
      return me === undefined ? undefined : me + this.capacity.SM;
    }
    const slots = this.slots[memory];
    for (let index = 1; index <= this.capacity[memory]; index++) {
      if (!slots.has(index)) {
        slots.set(index, message);
        return index;
      }
    }
    return undefined;
  }

  delete(memory: MemoryName, index: number): boolean {
    const slot = this.locate(memory, index);
    return slot ? this.slots[slot.memory].delete(slot.index) : false;
  }

  /** Messages of `memory` in index order. */
  list(memory: MemoryName): { index: number; message: StoredMessage }[] {
    if (memory === 'MT') {
      return [
        ...this.list('SM'),
        ...this.list('ME').map(({ index, message }) => ({ index: index + this.capacity.SM, message })),
      ];
    }
    return [...this.slots[memory].entries()].sort(([a], [b]) => a - b).map(([index, message]) => ({ index, message }));
  }

  setStat(memory: MemoryName, index: number, stat: MessageStat): void {
    const message = this.get(memory, index);
    if (message) message.stat = stat;
  }

  snapshot(): StorageSnapshot[] {
    return (['SM', 'ME', 'SR'] as const).map((memory) => ({
      memory,
      ...this.usage(memory),
      messages: this.list(memory).map(({ index, message }) => ({ index, ...message })),
    }));
  }

  clear(): void {
    for (const slots of Object.values(this.slots)) slots.clear();
  }
}
