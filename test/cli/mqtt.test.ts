import { type ChildProcess, spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliPath, runCli } from '../helpers/cli.js';
import { freePort, MosquittoBroker } from '../helpers/mosquitto.js';
import { TestSubscriber } from '../helpers/mqtt-client.js';
import { waitFor } from '../helpers/wait.js';

// `m2m-bridge mqtt sub|pub` through the binary against a real Mosquitto: the demo's client, with no npx.

let broker: MosquittoBroker;
let app: TestSubscriber;

beforeAll(async () => {
  broker = await MosquittoBroker.start();
  app = await TestSubscriber.connect(broker.url, ['tool/#']);
}, 20_000);

afterAll(async () => {
  await app?.close();
  await broker?.close();
});

/** `m2m-bridge mqtt sub …` left running; its output collected. */
function subscriber(args: string[]): { child: ChildProcess; output: () => string; done: Promise<number | null> } {
  const child = spawn(process.execPath, [cliPath, 'mqtt', 'sub', '--mqtt-url', broker.url, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
  });
  const done = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { child, output: () => output, done };
}

describe('m2m-bridge mqtt pub', () => {
  it('publishes with QoS 1 by default, retained with -r, and returns once the broker acknowledged it', async () => {
    const result = await runCli(['mqtt', 'pub', '--mqtt-url', broker.url, '-t', 'tool/a', '-m', '{"body":"hi"}']);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    const got = await app.waitFor('tool/a', (m) => m.topic === 'tool/a');
    expect(got).toMatchObject({ text: '{"body":"hi"}', retain: false });

    expect((await runCli(['mqtt', 'pub', '--mqtt-url', broker.url, '-t', 'tool/kept', '-m', 'v1', '-r'])).code).toBe(0);
    // A subscriber that comes later gets the retained message: it was stored by the broker.
    const late = await runCli(['mqtt', 'sub', '--mqtt-url', broker.url, '-t', 'tool/kept', '-C', '1', '-W', '5']);
    expect(late).toMatchObject({ code: 0, stdout: 'v1\n' });
    await runCli(['mqtt', 'pub', '--mqtt-url', broker.url, '-t', 'tool/kept', '-m', '', '-r']);
  });

  it('refuses a wildcard topic, a missing message or a bad QoS before connecting', async () => {
    const wildcard = await runCli(['mqtt', 'pub', '--mqtt-url', broker.url, '-t', 'tool/#', '-m', 'x']);
    expect(wildcard.code).toBe(2);
    expect(wildcard.stderr).toMatch(/-t: a topic to publish on has no wildcards, got "tool\/#"/);
    const noMessage = await runCli(['mqtt', 'pub', '--mqtt-url', broker.url, '-t', 'tool/a']);
    expect(noMessage.code).toBe(2);
    expect(noMessage.stderr).toMatch(/give the message with -m/);
    const qos = await runCli(['mqtt', 'pub', '--mqtt-url', broker.url, '-t', 'tool/a', '-m', 'x', '-q', '3']);
    expect(qos.code).toBe(2);
    expect(qos.stderr).toMatch(/-q: expected 0, 1 or 2, got "3"/);
  });

  it('says the broker is unreachable, naming it', async () => {
    const url = `mqtt://127.0.0.1:${await freePort()}`;
    const result = await runCli(['mqtt', 'pub', '--mqtt-url', url, '-t', 'tool/a', '-m', 'x', '--timeout', '2']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`broker unreachable at ${url}: .*ECONNREFUSED`));
  });
});

describe('m2m-bridge mqtt sub', () => {
  it('prints "TOPIC PAYLOAD" lines with -v until Ctrl-C, from every filter given', async () => {
    const sub = subscriber(['-t', 'tool/x/#', '-t', 'tool/y', '-v']);
    // Subscribed once a retained message comes through: then the live ones are sure to follow.
    await runCli(['mqtt', 'pub', '--mqtt-url', broker.url, '-t', 'tool/x/ready', '-m', 'r', '-r']);
    await waitFor('the subscription', () => sub.output().includes('tool/x/ready r\n'));
    await runCli(['mqtt', 'pub', '--mqtt-url', broker.url, '-t', 'tool/y', '-m', 'two words']);
    await runCli(['mqtt', 'pub', '--mqtt-url', broker.url, '-t', 'tool/z', '-m', 'not subscribed']);
    await runCli(['mqtt', 'pub', '--mqtt-url', broker.url, '-t', 'tool/x/1', '-m', '{"a":1}']);
    await waitFor('both messages', () => sub.output().includes('tool/x/1 {"a":1}\n'));
    sub.child.kill('SIGINT');
    expect(await sub.done).toBe(0);
    expect(sub.output()).toBe('tool/x/ready r\ntool/y two words\ntool/x/1 {"a":1}\n');
    await runCli(['mqtt', 'pub', '--mqtt-url', broker.url, '-t', 'tool/x/ready', '-m', '', '-r']);
  });

  it('prints JSON lines with --json, and exits 1 when -C messages do not come within -W seconds', async () => {
    await runCli(['mqtt', 'pub', '--mqtt-url', broker.url, '-t', 'tool/j', '-m', 'kept', '-r']);
    const result = await runCli([
      'mqtt',
      'sub',
      '--mqtt-url',
      broker.url,
      '-t',
      'tool/j',
      '-C',
      '2',
      '-W',
      '1',
      '--json',
    ]);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toEqual({ topic: 'tool/j', payload: 'kept', retain: true });
    expect(result.stderr).toMatch(/1 of 2 messages within 1 s/);
    await runCli(['mqtt', 'pub', '--mqtt-url', broker.url, '-t', 'tool/j', '-m', '', '-r']);
  });

  it('needs a topic filter', async () => {
    const result = await runCli(['mqtt', 'sub', '--mqtt-url', broker.url]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/give at least one topic filter with -t/);
  });
});
