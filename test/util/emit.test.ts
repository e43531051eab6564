import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { callIsolated, emitIsolated } from '../../src/util/emit.js';

describe('emitIsolated', () => {
  it('runs every listener even when one throws, reports the error, and removes once-listeners', () => {
    const emitter = new EventEmitter();
    const heard: string[] = [];
    const errors: unknown[] = [];
    emitter.on('x', (v: string) => heard.push(`a${v}`));
    emitter.on('x', () => {
      throw new Error('boom');
    });
    emitter.once('x', (v: string) => heard.push(`once${v}`));
    emitter.on('x', (v: string) => heard.push(`b${v}`));
    emitIsolated(emitter, 'x', ['1'], (error) => errors.push(error));
    emitIsolated(emitter, 'x', ['2'], (error) => errors.push(error));
    expect(heard).toEqual(['a1', 'once1', 'b1', 'a2', 'b2']);
    expect(errors.map((e) => (e as Error).message)).toEqual(['boom', 'boom']);
  });
});

describe('callIsolated', () => {
  it('calls every listener of a set even when one throws, reports the error, and ignores changes made while calling', () => {
    const heard: string[] = [];
    const errors: unknown[] = [];
    const listeners = new Set<(v: string) => void>();
    const late = (v: string) => heard.push(`late${v}`);
    listeners.add((v) => heard.push(`a${v}`));
    listeners.add(() => {
      listeners.add(late);
      throw new Error('boom');
    });
    listeners.add((v) => heard.push(`b${v}`));
    callIsolated(listeners, ['1'], (error) => errors.push(error));
    expect(heard).toEqual(['a1', 'b1']);
    expect(errors.map((e) => (e as Error).message)).toEqual(['boom']);
  });
});
