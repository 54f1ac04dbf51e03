import { createSocket, type Socket, type RemoteInfo } from 'node:dgram';
import { decodeMessage, encodeQuery, EDNS_PAYLOAD, peekId, type Question } from './codec.js';
import { mismatchReason, newIgnoredCounters, type ExchangeOptions, type ExchangeResult, type IgnoredCounters, type Transport } from './exchange.js';
import { randomId } from './random.js';
import type { SendPacer } from './rate-limit.js';
import { backoff, RTO_FLOOR_MS, type RttEstimator } from './rtt.js';
import { sameHost, type ServerAddress } from './server-address.js';

/** One question asked over UDP: its first datagram and any retransmissions. */
interface Query {
  readonly server: ServerAddress;
  readonly question: Question;
  readonly resolve: (result: ExchangeResult) => void;
  readonly timeoutMs: number;
  /** The encoded question (the first datagram's bytes; retransmissions copy it). */
  readonly template: Buffer;
  /** When the attempt ends (performance.now() ms). */
  readonly deadline: number;
  /** The server's round-trip estimator, which sets when to send again; undefined: never. */
  readonly rtt: RttEstimator | undefined;
  /** Retransmissions so far: the k-th waits 2^k retransmission timeouts (RFC 6298 §5.5). */
  resent: number;
  /** When the last datagram was queued. */
  lastAt: number;
  /** Datagrams of this question still waiting for an answer, by socket. */
  readonly transmissions: Transmission[];
  /** Datagrams sent (a retransmission cancelled by an answer read first is not). */
  count: number;
  done: boolean;
  /** The slot of the timer wheel that holds this query. */
  slot: number;
  /** The last bad datagram that matched one of its IDs and its source, reported if nothing better comes. */
  lastProblem?: string;
}

/** One datagram of a {@link Query}, with an ID of its own on one socket. */
interface Transmission {
  readonly query: Query;
  readonly id: number;
  readonly pooled: PooledSocket;
  /** The bytes, until they are sent. */
  payload: Buffer | undefined;
  /** When it left (performance.now() ms); NaN until then. */
  sentAt: number;
  /** A retransmission takes its turn from the pacer when it leaves; the first datagram took it before. */
  readonly retransmission: boolean;
}

/**
 * Queries sent in one burst at most: a burst of thousands (a high
 * --concurrency) could overflow a resolver's receive buffer (about 200 kB by
 * default on Linux) and be dropped; 64 are a few kB.
 */
const MAX_BURST = 64;

/** Retransmissions may be at most this share of the questions asked (plus {@link RETRANSMIT_BURST}). */
export const RETRANSMIT_SHARE = 0.3;
/** Retransmissions allowed at once, e.g. at the start or the end of a run. */
export const RETRANSMIT_BURST = 100;

/** What a query ends with when its server's port is closed (see the socket's error handler). */
const PORT_UNREACHABLE = 'ICMP port unreachable';

/** Resolution of the timer wheel: a query times out at most this much after its timeout. */
const TICK_MS = 10;

/**
 * One timer for every query in flight instead of one per query: queries
 * sit in slots of {@link TICK_MS} by deadline, and a single timeout is set
 * for the earliest slot. A query never times out early; at most one tick late.
 */
class TimerWheel<T extends { slot: number }> {
  private readonly slots = new Map<number, Set<T>>();
  private timer: NodeJS.Timeout | undefined;
  /** The slot the timer is set for. */
  private armed = Number.POSITIVE_INFINITY;

  constructor(private readonly expire: (item: T) => void) {}

  add(item: T, timeoutMs: number): void {
    const slot = Math.ceil((performance.now() + timeoutMs) / TICK_MS);
    item.slot = slot;
    let set = this.slots.get(slot);
    if (set === undefined) {
      set = new Set();
      this.slots.set(slot, set);
    }
    set.add(item);
    if (slot < this.armed) this.arm(slot);
  }

  remove(item: T): void {
    const set = this.slots.get(item.slot);
    if (set === undefined) return;
    set.delete(item);
    if (set.size === 0) this.slots.delete(item.slot);
    // The timer stays: when it fires it finds nothing due and sets itself for the next slot, or stops.
    if (this.slots.size === 0) this.stop();
  }

  stop(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.armed = Number.POSITIVE_INFINITY;
  }

  private arm(slot: number): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.armed = slot;
    this.timer = setTimeout(this.fire, Math.max(1, Math.ceil(slot * TICK_MS - performance.now())));
  }

  private readonly fire = (): void => {
    this.timer = undefined;
    this.armed = Number.POSITIVE_INFINITY;
    const due = Math.floor(performance.now() / TICK_MS);
    for (const [slot, set] of this.slots) {
      if (slot > due) continue;
      this.slots.delete(slot);
      for (const item of set) this.expire(item);
    }
    let next = Number.POSITIVE_INFINITY;
    for (const slot of this.slots.keys()) if (slot < next) next = slot;
    if (next !== Number.POSITIVE_INFINITY && next < this.armed) this.arm(next);
  };
}

interface PooledSocket {
  readonly socket: Socket;
  readonly server: ServerAddress;
  readonly pending: Map<number, Transmission>;
  /** Datagrams sent, counted when they were asked. */
  sent: number;
  retiring: boolean;
  /** Connected: datagrams can go. Until then they wait in `waiting`. */
  ready: boolean;
  waiting: Transmission[];
}

/** Options of the UDP socket pool. */
export interface UdpPoolOptions {
  /** Sockets per server; each is bound to an OS-chosen random port. */
  readonly sockets?: number;
  /** Replace a socket after it has sent this many queries, so the source port keeps changing (RFC 5452 §9.2). */
  readonly queriesPerSocket?: number;
}

const serverKey = (server: ServerAddress): string => `${server.family} ${server.host} ${server.port}`;

/**
 * UDP transport over a small pool of long-lived sockets per server, each
 * connected to its server: the kernel then delivers only datagrams from that
 * address and port, and a send needs no address (measured: about 12 % less
 * time per datagram than sendto on an unconnected socket). Each socket keeps
 * an ID-keyed map of datagrams in flight; a datagram is taken as the answer
 * only if it comes from the address and port asked, carries an ID in flight,
 * has QR set and repeats the question (RFC 5452 §9.1). Everything else is
 * ignored and counted, and the query keeps waiting for the real answer until
 * its timeout.
 *
 * With an `rtt` estimator, a question not answered within its server's
 * retransmission timeout is sent again (the wait doubling each time, RFC 6298
 * §5.5) until its timeout, and the estimator learns every answer's round
 * trip. The timeout is the one of the moment, not of the first send: the
 * first burst to a server never measured waits the initial timeout only
 * until the first answers have measured the server. Each
 * retransmission from the next socket of the pool with a fresh ID, while the
 * earlier datagrams stay in flight, so whichever answer comes first is taken
 * (a late answer to the first datagram counts). Retransmissions wait for
 * their turn from the {@link SendPacer} when there is a rate.
 */
export class UdpTransport implements Transport {
  readonly ignored: IgnoredCounters = newIgnoredCounters();
  private readonly size: number;
  private readonly queriesPerSocket: number;
  private readonly pacer: SendPacer | undefined;
  private readonly pools = new Map<string, { sockets: PooledSocket[]; next: number }>();
  /** Sockets out of the pools that still wait for answers; close() must end them too. */
  private readonly retired = new Set<PooledSocket>();
  private closed = false;
  /** Datagrams waiting for the next {@link flush}. */
  private outbox: Transmission[] = [];
  /** Retransmissions waiting for the pacer, and its timer. */
  private deferred: Transmission[] = [];
  private deferTimer: NodeJS.Timeout | undefined;
  private readonly wheel = new TimerWheel<Query>((query) => this.expire(query));
  /**
   * Retransmissions allowed now: each new question adds {@link RETRANSMIT_SHARE},
   * each retransmission takes one. Random loss of a few percent never runs out;
   * an overloaded path, where round trips outgrow the timeouts and every
   * question looks lost, does, instead of doubling its load.
   */
  private budget = RETRANSMIT_BURST;

  constructor(options: UdpPoolOptions = {}, pacer?: SendPacer) {
    this.size = Math.max(1, options.sockets ?? 4);
    this.queriesPerSocket = Math.max(1, options.queriesPerSocket ?? 10_000);
    this.pacer = pacer;
  }

  exchange(server: ServerAddress, question: Question, options: ExchangeOptions): Promise<ExchangeResult> {
    if (this.closed) throw new Error('UdpTransport used after close()');
    const payload = encodeQuery(0, question, {
      ednsPayload: options.edns ? EDNS_PAYLOAD : undefined,
      recursionDesired: options.recursionDesired,
    });
    return new Promise<ExchangeResult>((resolve) => {
      const rtt = options.rtt;
      const now = performance.now();
      const query: Query = {
        server,
        question,
        resolve,
        timeoutMs: options.timeoutMs,
        template: payload,
        deadline: now + options.timeoutMs,
        rtt,
        resent: 0,
        lastAt: now,
        transmissions: [],
        count: 0,
        done: false,
        slot: 0,
      };
      if (rtt !== undefined) this.budget = Math.min(RETRANSMIT_BURST, this.budget + RETRANSMIT_SHARE);
      this.wheel.add(query, rtt === undefined ? options.timeoutMs : Math.min(this.nextCheck(rtt, 0), options.timeoutMs));
      this.transmit(query, payload, false);
    });
  }

  /**
   * When to look again at a question resent `resent` times: after its
   * retransmission timeout; but while the server was never measured, every
   * {@link RTO_FLOOR_MS}, so that the first answers' round trips apply to the
   * questions already waiting.
   */
  private nextCheck(rtt: RttEstimator, resent: number): number {
    const due = backoff(rtt.timeoutMs, resent);
    return rtt.samples === 0 ? Math.min(due, RTO_FLOOR_MS) : due;
  }

  /** Queue one datagram of `query` on the next socket of its pool, under a fresh ID. */
  private transmit(query: Query, payload: Buffer, retransmission: boolean): void {
    const pooled = this.pick(query.server);
    let id = randomId();
    // Keep IDs unique per socket; with at most a few thousand in flight this ends quickly.
    while (pooled.pending.has(id)) id = randomId();
    payload.writeUInt16BE(id, 0);
    const tx: Transmission = { query, id, pooled, payload, sentAt: Number.NaN, retransmission };
    query.transmissions.push(tx);
    pooled.pending.set(id, tx);
    pooled.sent += 1;
    this.outbox.push(tx);
    if (this.outbox.length === 1) setImmediate(this.flush);
    else if (this.outbox.length >= MAX_BURST) this.flush();
    if (pooled.sent >= this.queriesPerSocket) this.retire(pooled);
  }

  /** The wheel's call: time to send `query` again, or its attempt is over. */
  private expire(query: Query): void {
    if (query.done) return;
    const now = performance.now();
    const left = query.deadline - now;
    const rtt = query.rtt;
    if (rtt === undefined || left < TICK_MS) {
      this.end(query, query.lastProblem !== undefined
        ? { kind: 'malformed', detail: query.lastProblem, datagrams: Math.max(1, query.count) }
        : { kind: 'timeout', detail: `no answer within ${query.timeoutMs} ms`, datagrams: Math.max(1, query.count) });
      return;
    }
    const waited = now - query.lastAt;
    const due = backoff(rtt.timeoutMs, query.resent);
    if (waited < due - TICK_MS / 2) {
      // Not yet by the estimate of now (it changed since this check was set).
      const rest = due - waited;
      // Never measured: look again soon, the first answers may change the estimate.
      this.wheel.add(query, Math.max(TICK_MS, Math.min(rtt.samples === 0 ? Math.min(rest, RTO_FLOOR_MS) : rest, left)));
      return;
    }
    // Shares of 0.3 add up to a hair under the whole (ten make 2.9999999999999996): a hair is a whole.
    if (this.budget < 1 - 1e-9) {
      // Out of budget: most of what went unanswered is late, not lost (queues somewhere are
      // full); sending more would only fill them further. Look again after another timeout.
      this.wheel.add(query, Math.max(TICK_MS, Math.min(rtt.timeoutMs, left)));
      return;
    }
    this.budget -= 1;
    query.resent += 1;
    query.lastAt = now;
    this.wheel.add(query, Math.min(this.nextCheck(rtt, query.resent), left));
    // A copy: the datagrams still in flight keep their own bytes (and IDs).
    this.transmit(query, Buffer.from(query.template), true);
  }

  /**
   * Send what was asked since the last flush, together: right after the event
   * loop has handled every answer that arrived (setImmediate), so the
   * questions those answers led to leave as one burst. The resolver then wakes
   * once for the burst rather than once a datagram, and so do we for the
   * answers; waking another process costs the sender more than the datagram.
   * A retransmission due when a timer fired is sent here too, after the
   * answers that arrived meanwhile were read: one that came in time for it
   * (during a pause of the process) cancels it.
   */
  private readonly flush = (): void => {
    const outbox = this.outbox;
    this.outbox = [];
    for (const tx of outbox) {
      if (tx.retransmission && this.pacer !== undefined && this.pacer.limited && (this.deferred.length > 0 || this.pacer.delayMs() > 0)) {
        this.deferred.push(tx);
        continue;
      }
      this.dispatch(tx);
    }
    this.scheduleDeferred();
  };

  private dispatch(tx: Transmission): void {
    if (tx.pooled.ready) this.send(tx);
    else tx.pooled.waiting.push(tx);
  }

  private scheduleDeferred(): void {
    if (this.deferTimer !== undefined || this.deferred.length === 0 || this.closed) return;
    this.deferTimer = setTimeout(() => {
      this.deferTimer = undefined;
      while (this.deferred.length > 0 && this.pacer!.delayMs() === 0) {
        const tx = this.deferred.shift()!;
        // Answered meanwhile: nothing to send, no turn taken.
        if (tx.query.done) continue;
        this.dispatch(tx);
      }
      this.scheduleDeferred();
    }, Math.max(1, Math.ceil(this.pacer!.delayMs())));
  }

  private send(tx: Transmission): void {
    const { pooled, payload } = tx;
    // Ended meanwhile (answered, close(), or the socket failed): its socket may be gone.
    if (payload === undefined || tx.query.done || pooled.pending.get(tx.id) !== tx) return;
    tx.payload = undefined;
    tx.query.count += 1;
    if (tx.retransmission) {
      this.pacer?.take();
    }
    tx.sentAt = performance.now();
    pooled.socket.send(payload, (err: NodeJS.ErrnoException | null | undefined) => {
      if (!err) return;
      // The ICMP port unreachable of an earlier datagram can surface on this send instead of a receive.
      if (err.code === 'ECONNREFUSED') this.fail(pooled, PORT_UNREACHABLE);
      else this.end(tx.query, { kind: 'network', detail: `cannot send: ${err.message}`, datagrams: Math.max(1, tx.query.count) });
    });
  }

  /** Close every socket; queries still in flight end as network failures. */
  close(): void {
    this.closed = true;
    this.wheel.stop();
    if (this.deferTimer !== undefined) clearTimeout(this.deferTimer);
    this.deferTimer = undefined;
    const all = [...[...this.pools.values()].flatMap((pool) => pool.sockets), ...this.retired];
    this.pools.clear();
    this.retired.clear();
    for (const pooled of all) this.shut(pooled, 'transport closed');
    for (const tx of this.deferred) this.end(tx.query, { kind: 'network', detail: 'transport closed', datagrams: Math.max(1, tx.query.count) });
    this.deferred = [];
  }

  private pick(server: ServerAddress): PooledSocket {
    const key = serverKey(server);
    let pool = this.pools.get(key);
    if (pool === undefined) {
      pool = { sockets: [], next: 0 };
      this.pools.set(key, pool);
    }
    while (pool.sockets.length < this.size) pool.sockets.push(this.open(server));
    pool.next = (pool.next + 1) % pool.sockets.length;
    return pool.sockets[pool.next]!;
  }

  private open(server: ServerAddress): PooledSocket {
    const socket = createSocket({ type: server.family === 6 ? 'udp6' : 'udp4' });
    const pooled: PooledSocket = { socket, server, pending: new Map(), sent: 0, retiring: false, ready: false, waiting: [] };
    socket.on('message', (buf, rinfo) => this.onMessage(pooled, buf, rinfo));
    socket.on('error', (err: NodeJS.ErrnoException) => {
      // connect() fails at once when there is no route (e.g. IPv6 on an IPv4-only host): the
      // queries waiting for it end as network failures, and the next ones get a fresh socket.
      if (err.syscall === 'connect') this.fail(pooled, `cannot send: ${err.message}`);
      // A connected socket hears the ICMP port unreachable of its server (Linux reports it as
      // ECONNREFUSED on the next receive): nothing listens there, so its queries end now as
      // network failures — retried as any — instead of each waiting for its timeout. It can
      // only make a query unknown, never give it an answer.
      else if (err.code === 'ECONNREFUSED') this.fail(pooled, PORT_UNREACHABLE);
      // Other errors leave the queries to time out.
    });
    // Connecting binds to port 0 first: the OS picks a random ephemeral port.
    socket.connect(server.port, server.host, () => {
      pooled.ready = true;
      const waiting = pooled.waiting;
      pooled.waiting = [];
      for (const tx of waiting) this.send(tx);
    });
    return pooled;
  }

  /** The socket cannot be used: take it out of its pool, end its queries, close it. */
  private fail(pooled: PooledSocket, detail: string): void {
    this.unpool(pooled);
    this.retired.delete(pooled);
    this.shut(pooled, detail);
  }

  private shut(pooled: PooledSocket, detail: string): void {
    pooled.waiting = [];
    for (const tx of [...pooled.pending.values()]) this.end(tx.query, { kind: 'network', detail, datagrams: Math.max(1, tx.query.count) });
    pooled.pending.clear();
    try {
      pooled.socket.close();
    } catch {
      // Closed already.
    }
  }

  private unpool(pooled: PooledSocket): void {
    const pool = this.pools.get(serverKey(pooled.server));
    if (pool === undefined) return;
    const index = pool.sockets.indexOf(pooled);
    if (index >= 0) pool.sockets.splice(index, 1);
  }

  private retire(pooled: PooledSocket): void {
    pooled.retiring = true;
    this.unpool(pooled);
    if (pooled.pending.size === 0) pooled.socket.close();
    else this.retired.add(pooled);
  }

  private onMessage(pooled: PooledSocket, buf: Buffer, rinfo: RemoteInfo): void {
    const id = peekId(buf);
    const tx = id === undefined ? undefined : pooled.pending.get(id);
    if (tx === undefined) {
      this.ignored.unknownId += 1;
      return;
    }
    const query = tx.query;
    if (rinfo.port !== query.server.port || !sameHost(rinfo.address, query.server.host)) {
      this.ignored.wrongSource += 1;
      return;
    }
    const decoded = decodeMessage(buf);
    if (!decoded.ok) {
      this.ignored.malformed += 1;
      query.lastProblem = `malformed response: ${decoded.error}`;
      return;
    }
    const mismatch = mismatchReason(decoded.value, tx.id, query.question);
    if (mismatch !== undefined) {
      this.ignored.mismatched += 1;
      query.lastProblem = `response did not match the query: ${mismatch}`;
      return;
    }
    // Each datagram has its own ID, so this round trip is exact (no Karn ambiguity, RFC 6298 §3).
    const rttMs = Number.isNaN(tx.sentAt) ? undefined : performance.now() - tx.sentAt;
    if (rttMs !== undefined) query.rtt?.sample(rttMs);
    this.end(query, { kind: 'message', message: decoded.value, size: buf.length, rttMs, datagrams: Math.max(1, query.count) });
  }

  /** The question is answered or over: forget every datagram of it. */
  private end(query: Query, result: ExchangeResult): void {
    if (query.done) return;
    query.done = true;
    this.wheel.remove(query);
    for (const tx of query.transmissions) {
      const pooled = tx.pooled;
      if (pooled.pending.get(tx.id) === tx) pooled.pending.delete(tx.id);
      if (pooled.retiring && pooled.pending.size === 0 && !this.closed && this.retired.delete(pooled)) pooled.socket.close();
    }
    query.resolve(result);
  }
}
