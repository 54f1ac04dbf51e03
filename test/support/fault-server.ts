/**
 * A scriptable, fault-injecting DNS server for tests, listening on 127.0.0.1
 * (or ::1) with UDP and TCP on the same OS-chosen port.
 *
 * Real DNS servers (NSD, Unbound) cover well-behaved answers in the
 * integration tests; this one produces the faults no real server produces on
 * demand: dropped and late datagrams, forged answers (wrong ID, wrong
 * question, wrong source port), garbage, malformed messages built byte by
 * byte, TC=1 followed by a TCP refusal, reset or silent close, EDNS
 * intolerance, and TCP framing edge cases.
 *
 * A script maps a question to a plan. Keys are `name` or `name TYPE`
 * (case-insensitive, trailing dot optional); `*` is the default. A plan is one
 * behaviour or a list of them: the n-th query for the same name and type gets
 * the n-th behaviour and the last one repeats, so "drop the first attempt,
 * answer the second" is `[drop(), answer([a('192.0.2.1')])]`. Queries over
 * UDP and TCP count alike, so `[truncated(), answer(...)]` answers the TCP
 * retry that follows the TC=1 answer.
 *
 * @example
 * const server = await startFaultServer({
 *   'sip.example.com A': [drop(), answer([a('192.0.2.10')])],
 *   '*': rcode('NXDOMAIN'),
 * });
 */
import { randomBytes } from 'node:crypto';
import { createSocket, type RemoteInfo, type Socket as UdpSocket } from 'node:dgram';
import { createServer, type Server, type Socket as TcpSocket } from 'node:net';
import { decodeRaw, encodeRaw, type DnsPacketTypes } from '../../src/dns/codec.js';
import { isLoopback, type ServerAddress } from '../../src/dns/server-address.js';

// ---------------------------------------------------------------------------
// Records

/** A record to put in a scripted answer; `name` defaults to the question name, `ttl` to 300. */
export type RecordSpec =
  | { readonly type: 'A' | 'AAAA'; readonly name?: string; readonly ttl?: number; readonly address: string }
  | { readonly type: 'CNAME' | 'NS'; readonly name?: string; readonly ttl?: number; readonly target: string }
  | {
      readonly type: 'SRV';
      readonly name?: string;
      readonly ttl?: number;
      readonly priority: number;
      readonly weight: number;
      readonly port: number;
      readonly target: string;
    }
  | { readonly type: 'SOA'; readonly name?: string; readonly ttl?: number; readonly mname: string; readonly rname: string; readonly serial: number; readonly minimum: number }
  | { readonly type: 'TXT'; readonly name?: string; readonly ttl?: number; readonly text: readonly string[] };

/** Owner name and TTL overrides for the record helpers. */
export interface RecordOptions {
  readonly name?: string;
  readonly ttl?: number;
}

/** An A record. */
export function a(address: string, options: RecordOptions = {}): RecordSpec {
  return { type: 'A', address, ...options };
}

/** An AAAA record. */
export function aaaa(address: string, options: RecordOptions = {}): RecordSpec {
  return { type: 'AAAA', address, ...options };
}

/** A CNAME record pointing at `target`. */
export function cname(target: string, options: RecordOptions = {}): RecordSpec {
  return { type: 'CNAME', target, ...options };
}

/** An SRV record; priority and weight default to 0 and 100. */
export function srv(target: string, port: number, options: RecordOptions & { readonly priority?: number; readonly weight?: number } = {}): RecordSpec {
  const { priority = 0, weight = 100, ...rest } = options;
  return { type: 'SRV', target, port, priority, weight, ...rest };
}

/** An SOA record, e.g. for the authority section of a negative answer. */
export function soa(zone: string, options: { readonly ttl?: number; readonly serial?: number; readonly minimum?: number } = {}): RecordSpec {
  return { type: 'SOA', name: zone, ttl: options.ttl ?? 300, mname: `ns1.${zone}`, rname: `hostmaster.${zone}`, serial: options.serial ?? 1, minimum: options.minimum ?? 60 };
}

/** A TXT record made of the given strings. */
export function txt(text: readonly string[], options: RecordOptions = {}): RecordSpec {
  return { type: 'TXT', text, ...options };
}

// ---------------------------------------------------------------------------
// Behaviours

/** The response codes a scripted answer can carry. */
export type RcodeName = 'NOERROR' | 'FORMERR' | 'SERVFAIL' | 'NXDOMAIN' | 'NOTIMP' | 'REFUSED';

const RCODE_VALUE: Readonly<Record<RcodeName, number>> = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 };

/** Hand-built malformed responses (all carry the right ID, QR=1 and the question, so only the fault is wrong). */
export type MalformedFault =
  /** The answer's owner name is a compression pointer to itself. */
  | 'pointer-loop'
  /** A name made of one label followed by a pointer back to that label: x.x.x.x... forever. */
  | 'pointer-cycle'
  /** A compression pointer past the end of the message. */
  | 'pointer-out-of-range'
  /** Only the first 7 bytes of a response (the ID survives, the rest of the header does not). */
  | 'truncated-header'
  /** ANCOUNT 5 and ARCOUNT 3 with a single answer record present. */
  | 'inflated-counts'
  /** An owner name with a 64-octet label (length byte 0x40 is not a valid label type). */
  | 'long-label'
  /** An owner name of five 60-octet labels, 306 octets in wire form (limit 255). */
  | 'long-name'
  /** An AAAA record whose RDLENGTH says 16 but the message ends after 6 bytes of it. */
  | 'truncated-rdata'
  /** An A record with RDLENGTH 0 followed by the 4 address bytes read as the next record. */
  | 'rdlength-mismatch';

/** What the server does with one query. */
export type Behaviour =
  | {
      readonly kind: 'answer';
      readonly answers: readonly RecordSpec[];
      readonly authorities: readonly RecordSpec[];
      readonly additionals: readonly RecordSpec[];
      readonly rcode: RcodeName;
      /** Over UDP, answer TC=1 (question only) when the message exceeds the query's EDNS size, or 512. */
      readonly truncateOverUdp: boolean;
      /** The AA flag (default true). */
      readonly aa?: boolean;
    }
  | { readonly kind: 'drop' }
  | { readonly kind: 'late'; readonly ms: number; readonly then: Behaviour }
  | { readonly kind: 'forged-id'; readonly forged: readonly RecordSpec[]; readonly then: Behaviour }
  | { readonly kind: 'wrong-question'; readonly forged: readonly RecordSpec[]; readonly then: Behaviour }
  | { readonly kind: 'other-port'; readonly forged: readonly RecordSpec[]; readonly then: Behaviour }
  | { readonly kind: 'qr-clear'; readonly forged: readonly RecordSpec[]; readonly then: Behaviour }
  | { readonly kind: 'garbage'; readonly keepId: boolean; readonly length: number; readonly then: Behaviour }
  | { readonly kind: 'truncated' }
  | { readonly kind: 'by-transport'; readonly udp: Behaviour; readonly tcp: Behaviour }
  | { readonly kind: 'tcp-reset' }
  | { readonly kind: 'tcp-close' }
  | { readonly kind: 'edns-intolerant'; readonly rcode: 'FORMERR' | 'NOTIMP'; readonly echoQuestion: boolean; readonly then: Behaviour }
  | { readonly kind: 'malformed'; readonly fault: MalformedFault; readonly then: Behaviour }
  | { readonly kind: 'split'; readonly pieces: number; readonly gapMs: number; readonly then: Behaviour }
  | { readonly kind: 'coalesce'; readonly then: Behaviour }
  | { readonly kind: 'raw'; readonly build: (query: QueryInfo) => readonly Buffer[] }
  | { readonly kind: 'stream'; readonly build: (query: QueryInfo) => readonly StreamChunk[]; readonly close: boolean };

/** One piece of a hand-written TCP stream; over UDP each chunk is a datagram. */
export interface StreamChunk {
  readonly bytes: Buffer;
  /** Wait this long before writing the chunk. */
  readonly delayMs?: number;
}

/** One behaviour, or one per attempt (the last repeats). */
export type Plan = Behaviour | readonly Behaviour[];

/** Question name (or `name TYPE`) → plan; `*` is the default. Unmatched questions get REFUSED. */
export type FaultScript = Readonly<Record<string, Plan>>;

/** Extra sections and flags for {@link answer}. */
export interface AnswerOptions {
  readonly authorities?: readonly RecordSpec[];
  readonly additionals?: readonly RecordSpec[];
  readonly rcode?: RcodeName;
  /** Default true: over UDP a message larger than the client's EDNS size (or 512) is sent as TC=1. */
  readonly truncateOverUdp?: boolean;
  /** Default true; false for a referral or a cached answer. */
  readonly aa?: boolean;
}

/** Answer normally with these records. */
export function answer(answers: readonly RecordSpec[] = [], options: AnswerOptions = {}): Behaviour {
  return {
    kind: 'answer',
    answers,
    authorities: options.authorities ?? [],
    additionals: options.additionals ?? [],
    rcode: options.rcode ?? 'NOERROR',
    truncateOverUdp: options.truncateOverUdp ?? true,
    ...(options.aa === false ? { aa: false } : {}),
  };
}

/** An answer with this response code and no records (SERVFAIL, REFUSED, NXDOMAIN...). */
export function rcode(code: RcodeName, options: Omit<AnswerOptions, 'rcode'> = {}): Behaviour {
  return answer([], { ...options, rcode: code });
}

/** Say nothing. */
export function drop(): Behaviour {
  return { kind: 'drop' };
}

/** Do `then` after `ms` milliseconds. */
/**
 * One behaviour over UDP, another over TCP, however many datagrams came
 * before: a client that sends a question again within an attempt (a
 * retransmission) must meet the same fault, not the next step of the plan.
 */
export function byTransport(udp: Behaviour, tcp: Behaviour): Behaviour {
  return { kind: 'by-transport', udp, tcp };
}

export function late(ms: number, then: Behaviour): Behaviour {
  return { kind: 'late', ms, then };
}

/** Default forged content: an address and a target that must never show up in a result. */
export const FORGED_ADDRESS = '203.0.113.66';
export const FORGED_TARGET = 'forged.attacker.invalid';

function forgedFor(type: string): readonly RecordSpec[] {
  if (type === 'SRV') return [srv(FORGED_TARGET, 6666)];
  if (type === 'AAAA') return [aaaa('2001:db8:bad::66')];
  if (type === 'CNAME') return [cname(FORGED_TARGET)];
  return [a(FORGED_ADDRESS)];
}

/** A response with the right question but an ID not in flight, sent before `then`. */
export function forgedId(then: Behaviour, forged?: readonly RecordSpec[]): Behaviour {
  return { kind: 'forged-id', forged: forged ?? [], then };
}

/** A response with the right ID but another question name, sent before `then`. */
export function wrongQuestion(then: Behaviour, forged?: readonly RecordSpec[]): Behaviour {
  return { kind: 'wrong-question', forged: forged ?? [], then };
}

/** A perfect-looking response (right ID and question) from a second UDP socket, sent before `then`. */
export function otherPort(then: Behaviour, forged?: readonly RecordSpec[]): Behaviour {
  return { kind: 'other-port', forged: forged ?? [], then };
}

/** A message with the right ID and question but QR clear, sent before `then` (default: nothing after). */
export function qrClear(then: Behaviour = drop(), forged?: readonly RecordSpec[]): Behaviour {
  return { kind: 'qr-clear', forged: forged ?? [], then };
}

/** Random bytes, starting with the query's ID when `keepId`, or with another ID; then `then`. */
export function garbage(options: { readonly keepId: boolean; readonly length?: number }, then: Behaviour = drop()): Behaviour {
  return { kind: 'garbage', keepId: options.keepId, length: options.length ?? 48, then };
}

/** TC=1 with the question and no records, over either transport. */
export function truncated(): Behaviour {
  return { kind: 'truncated' };
}

/** TCP: reset the connection (RST) after reading the query. UDP: drop. */
export function tcpReset(): Behaviour {
  return { kind: 'tcp-reset' };
}

/** TCP: close the connection (FIN) without answering. UDP: drop. */
export function tcpClose(): Behaviour {
  return { kind: 'tcp-close' };
}

/** When the query carries EDNS, answer `code` (FORMERR or NOTIMP); otherwise do `then`. */
export function ednsIntolerant(code: 'FORMERR' | 'NOTIMP', then: Behaviour, options: { readonly echoQuestion?: boolean } = {}): Behaviour {
  return { kind: 'edns-intolerant', rcode: code, echoQuestion: options.echoQuestion ?? true, then };
}

/** Send a hand-built malformed response, then `then` (default: nothing). */
export function malformed(fault: MalformedFault, then: Behaviour = drop()): Behaviour {
  return { kind: 'malformed', fault, then };
}

/** TCP: write each framed message of `then` in `pieces` chunks, `gapMs` apart. UDP: just `then`. */
export function split(then: Behaviour, pieces = 4, gapMs = 5): Behaviour {
  return { kind: 'split', pieces, gapMs, then };
}

/** TCP: write every message `then` produces at once in a single chunk. UDP: just `then`. */
export function coalesce(then: Behaviour): Behaviour {
  return { kind: 'coalesce', then };
}

/** Send whatever `build` returns: datagrams over UDP, length-framed messages over TCP. */
export function raw(build: (query: QueryInfo) => readonly Buffer[]): Behaviour {
  return { kind: 'raw', build };
}

/** Write unframed bytes (TCP) or datagrams (UDP); with `close`, end the TCP connection afterwards. */
export function stream(build: (query: QueryInfo) => readonly StreamChunk[], options: { readonly close?: boolean } = {}): Behaviour {
  return { kind: 'stream', build, close: options.close ?? false };
}

/** An answer whose answer section is a CNAME chain of `hops` links from `start`, then `final` at its end. */
export function cnameChain(start: string, hops: number, final: (owner: string) => readonly RecordSpec[]): Behaviour {
  const names = chainNames(start, hops);
  const records: RecordSpec[] = [];
  for (let i = 0; i < hops; i += 1) records.push(cname(names[i + 1]!, { name: names[i]! }));
  records.push(...final(names[hops]!));
  return answer(records);
}

/** A script in which each link of a `hops`-long CNAME chain is its own question, as a resolver chasing it would ask. */
export function cnameChainScript(start: string, hops: number, final: (owner: string) => readonly RecordSpec[]): Record<string, Plan> {
  const names = chainNames(start, hops);
  const script: Record<string, Plan> = {};
  for (let i = 0; i < hops; i += 1) script[names[i]!] = answer([cname(names[i + 1]!, { name: names[i]! })]);
  script[names[hops]!] = answer(final(names[hops]!));
  return script;
}

/** An answer with a CNAME loop: start → loop1.start → ... → start. */
export function cnameLoop(start: string, length = 2): Behaviour {
  const names = chainNames(start, length - 1);
  const records: RecordSpec[] = names.map((owner, i) => cname(names[(i + 1) % names.length]!, { name: owner }));
  return answer(records);
}

function chainNames(start: string, hops: number): string[] {
  const base = start.replace(/\.$/, '');
  const names = [base];
  for (let i = 1; i <= hops; i += 1) names.push(`hop${i}.${base}`);
  return names;
}

// ---------------------------------------------------------------------------
// Server

/** What the server knows about a query when it acts on it; also handed to {@link raw} and {@link stream}. */
export interface QueryInfo {
  readonly id: number;
  /** As sent, without a trailing dot. */
  readonly name: string;
  readonly type: string;
  readonly transport: 'udp' | 'tcp';
  readonly edns: boolean;
  readonly ednsPayload: number | undefined;
  readonly rd: boolean;
  /** The query as received. */
  readonly bytes: Buffer;
  /** The question section of the query in wire form, for building responses by hand. */
  readonly question: Buffer;
  /** The client's source address and port. */
  readonly from: { readonly address: string; readonly port: number };
}

/** A query the server received, in arrival order: what {@link QueryInfo} says of it but its octets, and what the server did. */
export interface ReceivedQuery extends Omit<QueryInfo, 'bytes' | 'question'> {
  /** The script key that matched (`*` for the default, '' when none did). */
  readonly rule: string;
  /** 0 for the first query with this name and type, 1 for the second... */
  readonly attempt: number;
  /** The kind of the behaviour applied. */
  readonly behaviour: Behaviour['kind'] | 'refused-unscripted';
  /** Milliseconds since the server started. */
  readonly atMs: number;
}

/** A running fault server. */
export interface FaultServer {
  /** 127.0.0.1 (or ::1) and the port, the same for UDP and TCP. */
  readonly address: ServerAddress;
  /** Every query received so far. */
  readonly queries: ReceivedQuery[];
  /** The port of the second UDP socket used by {@link otherPort}. */
  readonly otherPort: number;
  /** Stop listening, drop connections and cancel scheduled sends. */
  close(): Promise<void>;
}

/** Server-wide settings. */
export interface FaultServerOptions {
  /** `refuse`: no TCP listener on the port, so TCP connections are refused. Default `listen`. */
  readonly tcp?: 'listen' | 'refuse';
  /** Listen on IPv4 (default) or IPv6 loopback. */
  readonly host?: '127.0.0.1' | '::1';
}

/** The output side of one query: where its messages go. */
interface Sink {
  readonly transport: 'udp' | 'tcp';
  /** Send one DNS message (a datagram, or a length-framed message over TCP). */
  send(message: Buffer): void;
  /** UDP: send from the second socket. TCP: not applicable (nothing is sent). */
  sendFromOtherPort(message: Buffer): void;
  /** Write raw bytes: a datagram over UDP, unframed bytes over TCP. */
  writeRaw(bytes: Buffer): void;
  reset(): void;
  end(): void;
}

const QR = 0x8000;
const AA = 0x0400;
const TC = 0x0200;
const RD = 0x0100;

/**
 * Start a fault server on 127.0.0.1 with an OS-chosen port (UDP and TCP on
 * the same port). Close it with `close()` when the test ends.
 */
export async function startFaultServer(script: FaultScript, options: FaultServerOptions = {}): Promise<FaultServer> {
  const rules = new Map<string, Plan>();
  for (const [key, plan] of Object.entries(script)) rules.set(normaliseKey(key), plan);
  const queries: ReceivedQuery[] = [];
  const attempts = new Map<string, number>();
  const timers = new Set<NodeJS.Timeout>();
  const connections = new Set<TcpSocket>();
  const started = performance.now();
  let closed = false;

  const host = options.host ?? '127.0.0.1';
  const family = host === '::1' ? 6 : 4;
  const { udp, tcp, port } = await bindBoth(host, options.tcp ?? 'listen');
  const other = createSocket(family === 6 ? 'udp6' : 'udp4');
  await new Promise<void>((resolve, reject) => {
    other.once('error', reject);
    other.bind(0, host, () => resolve());
  });
  other.on('error', () => undefined);
  udp.on('error', () => undefined);

  const later = (ms: number, fn: () => void): void => {
    if (closed) return;
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (!closed) fn();
    }, ms);
    timers.add(timer);
  };

  const handle = (bytes: Buffer, sink: Sink, from: { address: string; port: number }): void => {
    const info = parseQuery(bytes, sink.transport, from);
    if (info === undefined) return; // Not a query we can read: a real server would drop or FORMERR it.
    const lookup = findPlan(rules, info.name, info.type);
    const counterKey = `${info.name.toLowerCase()} ${info.type}`;
    const attempt = attempts.get(counterKey) ?? 0;
    attempts.set(counterKey, attempt + 1);
    const behaviour = lookup === undefined ? undefined : pickBehaviour(lookup.plan, attempt);
    const { bytes: _bytes, question: _question, ...asked } = info;
    queries.push({
      ...asked,
      rule: lookup?.key ?? '',
      attempt,
      behaviour: behaviour?.kind ?? 'refused-unscripted',
      atMs: performance.now() - started,
    });
    run(behaviour ?? rcode('REFUSED'), info, sink, later);
  };

  udp.on('message', (msg: Buffer, rinfo: RemoteInfo) => {
    if (closed) return;
    const sink: Sink = {
      transport: 'udp',
      send: (m) => udp.send(m, rinfo.port, rinfo.address),
      sendFromOtherPort: (m) => other.send(m, rinfo.port, rinfo.address),
      writeRaw: (m) => udp.send(m, rinfo.port, rinfo.address),
      reset: () => undefined,
      end: () => undefined,
    };
    handle(msg, sink, { address: rinfo.address, port: rinfo.port });
  });

  tcp?.on('connection', (socket: TcpSocket) => {
    if (closed) {
      socket.destroy();
      return;
    }
    connections.add(socket);
    socket.on('close', () => connections.delete(socket));
    socket.on('error', () => undefined);
    socket.setNoDelay(true);
    let buffered = Buffer.alloc(0);
    const sink: Sink = {
      transport: 'tcp',
      send: (m) => {
        if (!socket.destroyed) socket.write(frame(m));
      },
      sendFromOtherPort: () => undefined,
      writeRaw: (m) => {
        if (!socket.destroyed) socket.write(m);
      },
      reset: () => socket.resetAndDestroy(),
      end: () => socket.end(),
    };
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      while (buffered.length >= 2) {
        const length = buffered.readUInt16BE(0);
        if (buffered.length < length + 2) break;
        const message = buffered.subarray(2, length + 2);
        buffered = buffered.subarray(length + 2);
        handle(Buffer.from(message), sink, { address: socket.remoteAddress ?? '', port: socket.remotePort ?? 0 });
      }
    });
  });

  return {
    address: { host, port, family },
    queries,
    otherPort: other.address().port,
    close: async () => {
      if (closed) return;
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      for (const socket of connections) socket.destroy();
      await Promise.all([
        new Promise<void>((resolve) => udp.close(() => resolve())),
        new Promise<void>((resolve) => other.close(() => resolve())),
        tcp === undefined ? Promise.resolve() : new Promise<void>((resolve) => tcp.close(() => resolve())),
      ]);
    },
  };
}

/** Refuse any server address off the loopback interface: these tests must never reach out. */
export function assertLoopback(...servers: readonly ServerAddress[]): void {
  for (const server of servers) {
    if (!isLoopback(server.host)) throw new Error(`test tried to use non-loopback DNS server ${server.host}`);
  }
}

async function bindBoth(host: string, tcpMode: 'listen' | 'refuse'): Promise<{ udp: UdpSocket; tcp: Server | undefined; port: number }> {
  // The OS picks the UDP port; TCP then needs the same number, which another
  // process may hold, so try a few times.
  let lastError: unknown;
  for (let tries = 0; tries < 20; tries += 1) {
    const udp = createSocket(host === '::1' ? 'udp6' : 'udp4');
    await new Promise<void>((resolve, reject) => {
      udp.once('error', reject);
      udp.bind(0, host, () => resolve());
    });
    const port = udp.address().port;
    if (tcpMode === 'refuse') return { udp, tcp: undefined, port };
    const tcp = createServer();
    try {
      await new Promise<void>((resolve, reject) => {
        tcp.once('error', reject);
        tcp.listen({ host, port, exclusive: true }, () => resolve());
      });
      tcp.on('error', () => undefined);
      return { udp, tcp, port };
    } catch (err) {
      lastError = err;
      await new Promise<void>((resolve) => udp.close(() => resolve()));
    }
  }
  throw new Error(`cannot bind UDP and TCP on the same port: ${String(lastError)}`);
}

function normaliseKey(key: string): string {
  if (key === '*') return key;
  const [name = '', type] = key.trim().split(/\s+/);
  const bare = name.replace(/\.$/, '').toLowerCase();
  return type === undefined ? bare : `${bare} ${type.toUpperCase()}`;
}

function findPlan(rules: ReadonlyMap<string, Plan>, name: string, type: string): { key: string; plan: Plan } | undefined {
  const bare = name.toLowerCase();
  for (const key of [`${bare} ${type.toUpperCase()}`, bare, '*']) {
    const plan = rules.get(key);
    if (plan !== undefined) return { key, plan };
  }
  return undefined;
}

function pickBehaviour(plan: Plan, attempt: number): Behaviour | undefined {
  if (!isPlanList(plan)) return plan;
  return plan[Math.min(attempt, plan.length - 1)];
}

function isPlanList(plan: Plan): plan is readonly Behaviour[] {
  return Array.isArray(plan);
}

/** Read a query as the server does; undefined for anything that is not a readable query. */
export function parseQuery(
  bytes: Buffer,
  transport: 'udp' | 'tcp' = 'udp',
  from: { readonly address: string; readonly port: number } = { address: '127.0.0.1', port: 0 },
): QueryInfo | undefined {
  let packet: DnsPacketTypes.DecodedPacket;
  try {
    packet = decodeRaw(bytes);
  } catch {
    return undefined;
  }
  if (packet.flag_qr) return undefined;
  const q = packet.questions?.[0];
  if (q === undefined) return undefined;
  const opt = (packet.additionals ?? []).find((r): r is DnsPacketTypes.OptAnswer => r.type === 'OPT');
  const question = questionSection(bytes);
  if (question === undefined) return undefined;
  return {
    id: packet.id ?? 0,
    name: questionName(bytes),
    type: String(q.type),
    transport,
    edns: opt !== undefined,
    ednsPayload: opt?.udpPayloadSize,
    rd: packet.flag_rd,
    bytes,
    question,
    from,
  };
}

/**
 * One octet of a label as dig prints it (RFC 1035 §5.1, BIND's
 * dns_name_totext): printable ASCII as is, the master-file specials after a
 * backslash, everything else as three decimal digits. Written here apart from
 * src/dns/name-text.ts, so that tests check the codec against it.
 */
export function digOctet(octet: number): string {
  if (octet <= 0x20 || octet >= 0x7f) return `\\${String(octet).padStart(3, '0')}`;
  const ch = String.fromCharCode(octet);
  return '."\\();@$'.includes(ch) ? `\\${ch}` : ch;
}

/** The first question's name in presentation form without the trailing dot, every octet kept (dns-packet would read UTF-8). */
function questionName(bytes: Buffer): string {
  const labels: string[] = [];
  for (let offset = 12; offset < bytes.length && bytes[offset]! > 0; offset += bytes[offset]! + 1) {
    labels.push([...bytes.subarray(offset + 1, offset + 1 + bytes[offset]!)].map(digOctet).join(''));
  }
  return labels.length === 0 ? '.' : labels.join('.');
}

/** The first question of a query in wire form (queries are not compressed). */
function questionSection(bytes: Buffer): Buffer | undefined {
  let offset = 12;
  while (offset < bytes.length) {
    const len = bytes[offset]!;
    if (len === 0) break;
    if (len > 63) return undefined;
    offset += len + 1;
  }
  const end = offset + 5;
  return end <= bytes.length ? bytes.subarray(12, end) : undefined;
}

function frame(message: Buffer): Buffer {
  const framed = Buffer.alloc(message.length + 2);
  framed.writeUInt16BE(message.length, 0);
  message.copy(framed, 2);
  return framed;
}

type Later = (ms: number, fn: () => void) => void;

function run(behaviour: Behaviour, q: QueryInfo, sink: Sink, later: Later): void {
  switch (behaviour.kind) {
    case 'answer': {
      const message = buildResponse(q, {
        answers: behaviour.answers,
        authorities: behaviour.authorities,
        additionals: behaviour.additionals,
        rcode: behaviour.rcode,
        ...(behaviour.aa === false ? { aa: false } : {}),
      });
      const limit = q.edns ? Math.max(512, q.ednsPayload ?? 512) : 512;
      if (sink.transport === 'udp' && behaviour.truncateOverUdp && message.length > limit) {
        // RFC 2181 §9: a message that does not fit is sent with TC=1; we send the question only.
        sink.send(buildResponse(q, { tc: true }));
      } else {
        sink.send(message);
      }
      return;
    }
    case 'drop':
      return;
    case 'by-transport':
      run(sink.transport === 'udp' ? behaviour.udp : behaviour.tcp, q, sink, later);
      return;
    case 'late':
      later(behaviour.ms, () => run(behaviour.then, q, sink, later));
      return;
    case 'forged-id': {
      // Any ID but the query's; XOR keeps it deterministic and always different.
      sink.send(buildResponse(q, { id: q.id ^ 0x5a5a, answers: pickForged(behaviour.forged, q) }));
      run(behaviour.then, q, sink, later);
      return;
    }
    case 'wrong-question':
      sink.send(buildResponse(q, { questionName: `forged.${q.name}`, answers: pickForged(behaviour.forged, q) }));
      run(behaviour.then, q, sink, later);
      return;
    case 'other-port':
      sink.sendFromOtherPort(buildResponse(q, { answers: pickForged(behaviour.forged, q) }));
      run(behaviour.then, q, sink, later);
      return;
    case 'qr-clear':
      sink.send(buildResponse(q, { qr: false, answers: pickForged(behaviour.forged, q) }));
      run(behaviour.then, q, sink, later);
      return;
    case 'garbage': {
      const bytes = randomBytes(Math.max(2, behaviour.length));
      bytes.writeUInt16BE(behaviour.keepId ? q.id : q.id ^ 0xa5a5, 0);
      sink.send(bytes);
      run(behaviour.then, q, sink, later);
      return;
    }
    case 'truncated':
      sink.send(buildResponse(q, { tc: true }));
      return;
    case 'tcp-reset':
      sink.reset();
      return;
    case 'tcp-close':
      sink.end();
      return;
    case 'edns-intolerant':
      if (q.edns) {
        sink.send(buildResponse(q, { rcode: behaviour.rcode, omitQuestion: !behaviour.echoQuestion, edns: false }));
      } else {
        run(behaviour.then, q, sink, later);
      }
      return;
    case 'malformed':
      sink.send(buildMalformed(q, behaviour.fault));
      run(behaviour.then, q, sink, later);
      return;
    case 'split': {
      if (sink.transport !== 'tcp') {
        run(behaviour.then, q, sink, later);
        return;
      }
      const pieces = Math.max(1, behaviour.pieces);
      // Each framed message is cut into `pieces` parts written gapMs apart; later messages queue behind.
      let queuedUntil = 0;
      const splitting: Sink = {
        ...sink,
        send: (m) => {
          const framed = frame(m);
          const size = Math.ceil(framed.length / pieces);
          for (let i = 0; i < pieces; i += 1) {
            const part = framed.subarray(i * size, Math.min(framed.length, (i + 1) * size));
            if (part.length === 0) continue;
            const at = queuedUntil;
            queuedUntil += behaviour.gapMs;
            if (at === 0) sink.writeRaw(part);
            else later(at, () => sink.writeRaw(part));
          }
        },
      };
      run(behaviour.then, q, splitting, later);
      return;
    }
    case 'coalesce': {
      if (sink.transport !== 'tcp') {
        run(behaviour.then, q, sink, later);
        return;
      }
      const held: Buffer[] = [];
      let holding = true;
      const coalescing: Sink = {
        ...sink,
        send: (m) => (holding ? held.push(frame(m)) : sink.send(m)),
        writeRaw: (m) => (holding ? held.push(m) : sink.writeRaw(m)),
      };
      // Only what `then` sends synchronously is coalesced; anything sent later (after `late`) goes out as it comes.
      run(behaviour.then, q, coalescing, later);
      holding = false;
      if (held.length > 0) sink.writeRaw(Buffer.concat(held));
      return;
    }
    case 'raw':
      for (const message of behaviour.build(q)) sink.send(message);
      return;
    case 'stream': {
      let at = 0;
      const chunks = behaviour.build(q);
      for (const chunk of chunks) {
        at += chunk.delayMs ?? 0;
        if (at === 0) sink.writeRaw(chunk.bytes);
        else later(at, () => sink.writeRaw(chunk.bytes));
      }
      if (behaviour.close) {
        if (at === 0) sink.end();
        else later(at, () => sink.end());
      }
      return;
    }
  }
}

function pickForged(forged: readonly RecordSpec[], q: QueryInfo): readonly RecordSpec[] {
  return forged.length > 0 ? forged : forgedFor(q.type);
}

/** How {@link buildResponse} should shape a response to `q`. */
export interface ResponseSpec {
  readonly id?: number;
  /** Default true. */
  readonly qr?: boolean;
  readonly tc?: boolean;
  readonly rcode?: RcodeName;
  /** Another question name (the type stays the query's). */
  readonly questionName?: string;
  /** Leave the question section empty. */
  readonly omitQuestion?: boolean;
  readonly answers?: readonly RecordSpec[];
  readonly authorities?: readonly RecordSpec[];
  readonly additionals?: readonly RecordSpec[];
  /** Include an OPT record; default: when the query had one. */
  readonly edns?: boolean;
  /** The AA flag; default true. */
  readonly aa?: boolean;
}

/**
 * Encode a well-formed response to `q` (exported for tests that mutate real
 * responses). Names are in presentation form; a name with an escape (`\\255`,
 * `\\.`), which dns-packet cannot write, makes the response built by hand.
 */
export function buildResponse(q: QueryInfo, spec: ResponseSpec = {}): Buffer {
  const flags = (spec.aa === false ? 0 : AA) | (q.rd ? RD : 0) | (spec.tc === true ? TC : 0) | RCODE_VALUE[spec.rcode ?? 'NOERROR'];
  if (responseNames(q, spec).some((name) => name.includes('\\'))) return buildByHand(q, spec, flags);
  const additionals = (spec.additionals ?? []).map((r) => toPacketRecord(r, q.name));
  if (spec.edns ?? q.edns) {
    additionals.push({ type: 'OPT', name: '.', udpPayloadSize: 1232, extendedRcode: 0, ednsVersion: 0, flags: 0, flag_do: false, options: [] });
  }
  const packet: DnsPacketTypes.Packet = {
    type: spec.qr === false ? 'query' : 'response',
    id: spec.id ?? q.id,
    flags,
    questions: spec.omitQuestion === true ? [] : [{ name: spec.questionName ?? q.name, type: q.type as DnsPacketTypes.RecordType, class: 'IN' }],
    answers: (spec.answers ?? []).map((r) => toPacketRecord(r, q.name)),
    authorities: (spec.authorities ?? []).map((r) => toPacketRecord(r, q.name)),
    additionals,
  };
  return encodeRaw(packet);
}

/** Every name a response to `q` would carry. */
function responseNames(q: QueryInfo, spec: ResponseSpec): string[] {
  const names = [spec.questionName ?? q.name];
  for (const r of [...(spec.answers ?? []), ...(spec.authorities ?? []), ...(spec.additionals ?? [])]) {
    names.push(r.name ?? q.name);
    if (r.type === 'CNAME' || r.type === 'NS' || r.type === 'SRV') names.push(r.target);
    if (r.type === 'SOA') names.push(r.mname, r.rname);
  }
  return names;
}

/**
 * The response of {@link buildResponse} written here, names octet for octet
 * from their presentation form and uncompressed; dns-packet still writes the
 * RDATA that holds no name (A, AAAA, TXT). The question is the query's own
 * octets unless another one is asked for.
 */
function buildByHand(q: QueryInfo, spec: ResponseSpec, flags: number): Buffer {
  const answers = spec.answers ?? [];
  const authorities = spec.authorities ?? [];
  const additionals = spec.additionals ?? [];
  const edns = spec.edns ?? q.edns;
  const question = spec.omitQuestion === true ? [] : [spec.questionName === undefined ? q.question : Buffer.concat([presentationToWire(spec.questionName), q.question.subarray(-4)])];
  const records = [...answers, ...authorities, ...additionals].map((r) => {
    const packet = toPacketRecord(r, '.');
    const fixed = encodeRaw({ type: 'response', id: 0, answers: [{ ...packet, name: '.' } as DnsPacketTypes.Answer] }).subarray(12 + 1);
    const owner = presentationToWire(r.name ?? q.name);
    const rdata = recordDataByHand(r) ?? fixed.subarray(10);
    const tail = Buffer.from(fixed.subarray(0, 10));
    tail.writeUInt16BE(rdata.length, 8);
    return Buffer.concat([owner, tail, rdata]);
  });
  const opt = edns ? [encodeRaw({ type: 'response', id: 0, additionals: [{ type: 'OPT', name: '.', udpPayloadSize: 1232, extendedRcode: 0, ednsVersion: 0, flags: 0, flag_do: false, options: [] }] }).subarray(12)] : [];
  const qr = spec.qr === false ? 0 : QR;
  return Buffer.concat([
    header(spec.id ?? q.id, qr | flags, question.length, answers.length, authorities.length, additionals.length + opt.length),
    ...question,
    ...records,
    ...opt,
  ]);
}

/** The RDATA of the records that hold names, from their presentation form; undefined for the others. */
function recordDataByHand(r: RecordSpec): Buffer | undefined {
  switch (r.type) {
    case 'CNAME':
    case 'NS':
      return presentationToWire(r.target);
    case 'SRV': {
      const fixed = Buffer.alloc(6);
      fixed.writeUInt16BE(r.priority, 0);
      fixed.writeUInt16BE(r.weight, 2);
      fixed.writeUInt16BE(r.port, 4);
      return Buffer.concat([fixed, presentationToWire(r.target)]);
    }
    case 'SOA': {
      const counters = Buffer.alloc(20);
      [r.serial, 3600, 600, 86400, r.minimum].forEach((n, i) => counters.writeUInt32BE(n, 4 * i));
      return Buffer.concat([presentationToWire(r.mname), presentationToWire(r.rname), counters]);
    }
    default:
      return undefined;
  }
}

/**
 * A name in presentation form as wire octets, uncompressed: `\\DDD` is that
 * octet, `\\X` is X, an unescaped dot ends a label, other characters are
 * their UTF-8 octets. Written here apart from src/dns/name-text.ts.
 */
export function presentationToWire(text: string): Buffer {
  const out: Buffer[] = [];
  let label: number[] = [];
  const end = (): void => {
    out.push(Buffer.from([label.length]), Buffer.from(label));
    label = [];
  };
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i]!;
    const digits = /^\d{3}/.exec(text.slice(i + 1, i + 4));
    if (ch === '\\' && digits !== null) {
      label.push(Number(digits[0]));
      i += 3;
    } else if (ch === '\\') {
      label.push(...Buffer.from(text[i + 1] ?? '', 'utf8'));
      i += 1;
    } else if (ch === '.') {
      if (label.length > 0) end();
    } else {
      label.push(...Buffer.from(ch, 'utf8'));
    }
  }
  if (label.length > 0) end();
  return Buffer.concat([...out, Buffer.from([0])]);
}

function toPacketRecord(r: RecordSpec, defaultName: string): DnsPacketTypes.Answer {
  const name = r.name ?? defaultName;
  const ttl = r.ttl ?? 300;
  switch (r.type) {
    case 'A':
    case 'AAAA':
      return { type: r.type, name, ttl, class: 'IN', data: r.address };
    case 'CNAME':
    case 'NS':
      return { type: r.type, name, ttl, class: 'IN', data: r.target };
    case 'SRV':
      return { type: 'SRV', name, ttl, class: 'IN', data: { priority: r.priority, weight: r.weight, port: r.port, target: r.target } };
    case 'SOA':
      return {
        type: 'SOA',
        name,
        ttl,
        class: 'IN',
        data: { mname: r.mname, rname: r.rname, serial: r.serial, refresh: 3600, retry: 600, expire: 86400, minimum: r.minimum },
      };
    case 'TXT':
      return { type: 'TXT', name, ttl, class: 'IN', data: [...r.text] };
  }
}

// ---------------------------------------------------------------------------
// Hand-built wire format, for the faults dns-packet refuses to encode.

function header(id: number, flags: number, qd: number, an: number, ns: number, ar: number): Buffer {
  const h = Buffer.alloc(12);
  h.writeUInt16BE(id, 0);
  h.writeUInt16BE(flags, 2);
  h.writeUInt16BE(qd, 4);
  h.writeUInt16BE(an, 6);
  h.writeUInt16BE(ns, 8);
  h.writeUInt16BE(ar, 10);
  return h;
}

/** TYPE, CLASS IN, TTL 300, then RDLENGTH and RDATA. */
function rrTail(type: number, rdata: Buffer, rdlength = rdata.length): Buffer {
  const fixed = Buffer.alloc(10);
  fixed.writeUInt16BE(type, 0);
  fixed.writeUInt16BE(1, 2);
  fixed.writeUInt32BE(300, 4);
  fixed.writeUInt16BE(rdlength, 8);
  return Buffer.concat([fixed, rdata]);
}

function labels(...parts: readonly Buffer[]): Buffer {
  return Buffer.concat([...parts.flatMap((p) => [Buffer.from([p.length & 0xff]), p]), Buffer.from([0])]);
}

function pointer(offset: number): Buffer {
  const p = Buffer.alloc(2);
  p.writeUInt16BE(0xc000 | offset, 0);
  return p;
}

const TYPE_A = 1;
const TYPE_CNAME = 5;
const TYPE_AAAA = 28;

/** Build one of the malformed responses by hand; see {@link MalformedFault}. */
export function buildMalformed(q: QueryInfo, fault: MalformedFault): Buffer {
  const flags = QR | AA | (q.rd ? RD : 0);
  const qlen = q.question.length;
  const answerAt = 12 + qlen;
  const ipv4 = Buffer.from([192, 0, 2, 77]);
  switch (fault) {
    case 'pointer-loop':
      return Buffer.concat([header(q.id, flags, 1, 1, 0, 0), q.question, pointer(answerAt), rrTail(TYPE_A, ipv4)]);
    case 'pointer-cycle': {
      // Owner: pointer to the question name (fine). RDATA of a CNAME: label "x" then a pointer back to "x".
      const rdataAt = answerAt + 2 + 10;
      const target = Buffer.concat([Buffer.from([1, 0x78]), pointer(rdataAt)]);
      return Buffer.concat([header(q.id, flags, 1, 1, 0, 0), q.question, pointer(12), rrTail(TYPE_CNAME, target)]);
    }
    case 'pointer-out-of-range':
      return Buffer.concat([header(q.id, flags, 1, 1, 0, 0), q.question, pointer(0x3fff), rrTail(TYPE_A, ipv4)]);
    case 'truncated-header':
      return header(q.id, flags, 1, 1, 0, 0).subarray(0, 7);
    case 'inflated-counts':
      return Buffer.concat([header(q.id, flags, 1, 5, 0, 3), q.question, pointer(12), rrTail(TYPE_A, ipv4)]);
    case 'long-label':
      return Buffer.concat([header(q.id, flags, 1, 1, 0, 0), q.question, labels(Buffer.alloc(64, 0x61)), rrTail(TYPE_A, ipv4)]);
    case 'long-name': {
      const label = Buffer.alloc(60, 0x62);
      return Buffer.concat([header(q.id, flags, 1, 1, 0, 0), q.question, labels(label, label, label, label, label), rrTail(TYPE_A, ipv4)]);
    }
    case 'truncated-rdata': {
      const partial = Buffer.from([0x20, 0x01, 0x0d, 0xb8, 0x00, 0x01]);
      return Buffer.concat([header(q.id, flags, 1, 1, 0, 0), q.question, pointer(12), rrTail(TYPE_AAAA, partial, 16)]);
    }
    case 'rdlength-mismatch':
      // RDLENGTH 0, yet the 4 address bytes follow: a decoder that ignores RDLENGTH reads an address.
      return Buffer.concat([header(q.id, flags, 1, 1, 0, 0), q.question, pointer(12), rrTail(TYPE_A, ipv4, 0)]);
  }
}
