/**
 * The floor under any DNS client written for Node: its own UDP sockets
 * (`node:dgram`) sending the questions fedcheck asks — both SRV records and
 * the A record of each target, read from the benchmark's query file — with
 * as many in flight as fedcheck has at `--concurrency` (two questions a
 * domain), and taking each answer by its ID. Nothing else: no decoding, no
 * rules, no report. What fedcheck costs above this is its own; this is what
 * Node costs.
 *
 *   node dist/bench/udp-floor.js --server 127.0.0.1:PORT --file queries.txt [--window 128]
 *
 * Four sockets connected to the server, as fedcheck's pool; random IDs from
 * a CSPRNG; a question unanswered after `--timeout` ms is sent again (so a
 * drop costs time, as it would a real client). Only loopback servers are
 * accepted. Prints one JSON line: questions, answered, retries, seconds.
 */
import { randomFillSync } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { labelsToWire } from '../src/dns/name-text.js';

interface Args {
  host: string;
  port: number;
  file: string;
  window: number;
  timeoutMs: number;
}

function parseArgs(argv: readonly string[]): Args {
  let server: string | undefined;
  let file: string | undefined;
  let window = 128;
  let timeoutMs = 500;
  for (let i = 0; i < argv.length; i += 2) {
    const value = argv[i + 1];
    if (value === undefined) throw new Error(`${argv[i]} needs a value`);
    if (argv[i] === '--server') server = value;
    else if (argv[i] === '--file') file = value;
    else if (argv[i] === '--window') window = Number(value);
    else if (argv[i] === '--timeout') timeoutMs = Number(value);
    else throw new Error(`unknown option ${argv[i]}`);
  }
  const match = server === undefined ? null : /^(127\.[0-9.]+):(\d+)$/.exec(server);
  if (match === null || isIP(match[1]!) !== 4 || file === undefined) {
    throw new Error('usage: udp-floor --server 127.0.0.1:PORT --file QUERIES [--window N] [--timeout MS] (loopback only)');
  }
  return { host: match[1]!, port: Number(match[2]), file, window, timeoutMs };
}

const TYPES: Readonly<Record<string, number>> = { A: 1, SRV: 33 };

/** A query with RD set and an EDNS0 OPT record (1232 bytes), as fedcheck sends. */
function encode(name: string, type: number, id: number): Buffer {
  const wireName = labelsToWire(name.split('.').filter((l) => l !== ''));
  const buf = Buffer.alloc(12 + wireName.length + 4 + 11);
  buf.writeUInt16BE(id, 0);
  buf.writeUInt16BE(0x0100, 2);
  buf.writeUInt16BE(1, 4);
  buf.writeUInt16BE(1, 10);
  wireName.copy(buf, 12);
  const at = 12 + wireName.length;
  buf.writeUInt16BE(type, at);
  buf.writeUInt16BE(1, at + 2);
  // OPT: root owner, type 41, class = payload size, TTL 0, RDLENGTH 0.
  buf.writeUInt16BE(41, at + 5);
  buf.writeUInt16BE(1232, at + 7);
  return buf;
}

/** 16-bit IDs from a CSPRNG, drawn in blocks. */
const ids = (() => {
  const block = new Uint16Array(4096);
  let next = block.length;
  return (): number => {
    if (next === block.length) {
      randomFillSync(block);
      next = 0;
    }
    return block[next++]!;
  };
})();

interface InFlight {
  readonly index: number;
  sentAt: number;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const questions = readFileSync(args.file, 'utf8')
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter((parts) => parts.length === 2 && TYPES[parts[1]!] !== undefined)
    .map(([name, type]) => ({ name: name!, type: TYPES[type!]! }));

  const started = performance.now();
  const sockets: { socket: Socket; pending: Map<number, InFlight> }[] = [];
  let next = 0;
  let answered = 0;
  let retries = 0;
  let finish: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (finish = resolve));

  const send = (slot: (typeof sockets)[number], index: number): void => {
    let id = ids();
    while (slot.pending.has(id)) id = ids();
    const question = questions[index]!;
    slot.pending.set(id, { index, sentAt: performance.now() });
    slot.socket.send(encode(question.name, question.type, id));
  };
  const sendNext = (): void => {
    if (next >= questions.length) return;
    send(sockets[next % sockets.length]!, next);
    next += 1;
  };

  for (let i = 0; i < 4; i += 1) {
    const socket = createSocket('udp4');
    const slot = { socket, pending: new Map<number, InFlight>() };
    socket.on('message', (msg) => {
      if (msg.length < 12 || !slot.pending.delete(msg.readUInt16BE(0))) return;
      answered += 1;
      if (answered === questions.length) finish();
      else sendNext();
    });
    await new Promise<void>((resolve) => socket.connect(args.port, args.host, resolve));
    sockets.push(slot);
  }
  // Ask again what was not answered in time: a lost datagram costs a timeout, as for any client.
  const timer = setInterval(() => {
    const now = performance.now();
    for (const slot of sockets) {
      for (const [id, entry] of slot.pending) {
        if (now - entry.sentAt < args.timeoutMs) continue;
        slot.pending.delete(id);
        retries += 1;
        send(slot, entry.index);
      }
    }
  }, Math.max(10, args.timeoutMs / 5));
  for (let i = 0; i < Math.min(args.window, questions.length); i += 1) sendNext();
  if (questions.length > 0) await done;
  clearInterval(timer);
  for (const { socket } of sockets) socket.close();
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(`${JSON.stringify({ questions: questions.length, answered, retries, seconds })}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`udp-floor: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
