import type { DnsMessage, Question } from './codec.js';
import { EncryptedTransports, type EncryptedCounters, type TlsSettings } from './encrypted.js';
import { addIgnoredCounters, newIgnoredCounters, type ExchangeResult, type IgnoredCounters } from './exchange.js';
import { formatServer, type ServerAddress } from './server-address.js';
import { TcpTransport } from './tcp.js';
import { AdaptiveRate, SendCount, type SendPacer } from './rate-limit.js';
import { RttEstimator } from './rtt.js';
import { UdpTransport, type UdpPoolOptions } from './udp.js';

/** What a message went over: plain DNS (UDP, TCP on truncation), or the server's encrypted transport. */
export type TransportName = 'udp' | 'tcp' | 'tls' | 'https';

/** Why a query produced no usable response. */
export type FailureReason = 'timeout' | 'servfail' | 'refused' | 'formerr' | 'notimp' | 'rcode' | 'malformed' | 'network';

/** The outcome of one question after every retry: a usable response, or why there is none. */
export type QueryOutcome =
  | {
      readonly kind: 'response';
      readonly message: DnsMessage;
      readonly server: ServerAddress;
      readonly transport: TransportName;
      readonly tries: number;
    }
  | {
      readonly kind: 'failure';
      readonly reason: FailureReason;
      /** One sentence naming the fault and the servers, e.g. "timeout after 3 tries to 192.0.2.53:53". */
      readonly detail: string;
      readonly tries: number;
      /**
       * Each try as data, in order: the server asked ("host:port") and why it
       * gave no usable answer. {@link DnsClient} always says; other query
       * sources (an authoritative server's own question) may not.
       */
      readonly failures?: readonly ServerFailure[];
    };

/** Why one server gave no usable answer to one try. */
export interface ServerFailure {
  readonly server: string;
  readonly reason: FailureReason;
}

/** Settings of a {@link DnsClient}. */
export interface DnsClientOptions {
  /** Servers to ask, in order; each retry moves to the next. */
  readonly servers: readonly ServerAddress[];
  /** Per-attempt timeout in milliseconds. */
  readonly timeoutMs: number;
  /** Attempts after the first. */
  readonly retries: number;
  /** Always use TCP. */
  readonly forceTcp?: boolean;
  /** RD flag; false when asking authoritative servers directly. */
  readonly recursionDesired?: boolean;
  /**
   * After a UDP attempt to a server times out, make the next attempt to that
   * server over TCP (then UDP again, alternating). Survives response rate
   * limiting, which drops UDP answers but never limits TCP. Off by default;
   * `run()` (the CLI) turns it on.
   */
  readonly tcpAfterUdpTimeout?: boolean;
  /**
   * Within an attempt, send a UDP question again when it is not answered
   * within the server's retransmission timeout (RFC 6298, from the round
   * trips measured to that server), doubling the wait each time, until
   * `timeoutMs`; the earlier datagrams stay in flight. Default true; false
   * sends one datagram an attempt.
   */
  readonly retransmit?: boolean;
  /**
   * Paces (`--rate`) and counts every query sent; share one across the
   * clients of a run so that the rate holds across every server.
   */
  readonly pacer?: SendPacer;
  readonly udp?: UdpPoolOptions;
  /** For `tls://` and `https://` servers: extra trust anchors (`--ca`), idle time. */
  readonly tls?: TlsSettings;
}

/** Counters of what a client sent and got, for reports and metrics. */
export interface ClientStats {
  /** Messages sent, by transport. */
  udpQueries: number;
  tcpQueries: number;
  /** Final outcomes of {@link DnsClient.query}, by result. */
  outcomes: Record<'response' | FailureReason, number>;
  truncated: number;
  ednsFallbacks: number;
  /** UDP datagrams sent again within an attempt (counted in udpQueries too). */
  retransmits: number;
  /** Waits before asking a server again that answered REFUSED. */
  backoffs: number;
}

/** Counters of several clients added up (authoritative mode and --compare use one client per server). */
export function sumClientStats(clients: Iterable<DnsClient>): { readonly stats: ClientStats; readonly ignored: IgnoredCounters } {
  const stats = newClientStats();
  const ignored = newIgnoredCounters();
  for (const client of clients) {
    stats.udpQueries += client.stats.udpQueries;
    stats.tcpQueries += client.stats.tcpQueries;
    stats.truncated += client.stats.truncated;
    stats.ednsFallbacks += client.stats.ednsFallbacks;
    stats.retransmits += client.stats.retransmits;
    stats.backoffs += client.stats.backoffs;
    for (const key of Object.keys(stats.outcomes) as (keyof ClientStats['outcomes'])[]) stats.outcomes[key] += client.stats.outcomes[key];
    addIgnoredCounters(ignored, client.ignored);
  }
  return { stats, ignored };
}

function newClientStats(): ClientStats {
  return {
    udpQueries: 0,
    tcpQueries: 0,
    outcomes: { response: 0, timeout: 0, servfail: 0, refused: 0, formerr: 0, notimp: 0, rcode: 0, malformed: 0, network: 0 },
    truncated: 0,
    ednsFallbacks: 0,
    retransmits: 0,
    backoffs: 0,
  };
}

/**
 * Resolver policy above the transports: UDP with EDNS0 first; TC=1 → the same
 * question over TCP; FORMERR/NOTIMP to an EDNS query → once more without EDNS;
 * timeouts, SERVFAIL and REFUSED → the next server, up to `retries` more times
 * (with `tcpAfterUdpTimeout`, over TCP when that server's UDP attempt timed out).
 * Every path is bounded by timeouts, so no query can hang.
 */
export class DnsClient {
  readonly stats: ClientStats = newClientStats();
  private readonly udp: UdpTransport;
  private readonly tcp = new TcpTransport();
  private readonly options: DnsClientOptions;
  /** Servers with a scheme (`tls://`, `https://`) are asked over it, every query, and only over it. */
  private readonly encrypted: EncryptedTransports;
  /** What the client keeps per server, by identity (they come from `servers`). */
  private readonly perServer = new Map<ServerAddress, ServerState>();
  /** After close(): a query still waiting for its turn (a rate, a REFUSED pause) ends instead of sending. */
  private closed = false;
  /** REFUSED pauses under way, each the function that ends it: close() ends them at once. */
  private readonly pauses = new Set<() => void>();

  private state(server: ServerAddress): ServerState {
    let state = this.perServer.get(server);
    if (state === undefined) {
      state = { sends: new SendCount(), found: undefined, rtt: undefined };
      this.perServer.set(server, state);
    }
    return state;
  }

  constructor(options: DnsClientOptions) {
    if (options.servers.length === 0) throw new Error('DnsClient needs at least one server');
    this.options = options;
    this.udp = new UdpTransport(options.udp, options.pacer);
    this.encrypted = new EncryptedTransports(options.tls);
  }

  /** DNS over TLS and HTTPS: messages, connections, handshakes. */
  get encryptedStats(): EncryptedCounters {
    return this.encrypted.stats;
  }

  /** The retransmission timeout estimator of a server. */
  private estimator(state: ServerState): RttEstimator {
    // No retransmission may come later than the attempt's own timeout.
    return (state.rtt ??= new RttEstimator({ ceilingMs: this.options.timeoutMs }));
  }

  get servers(): readonly ServerAddress[] {
    return this.options.servers;
  }

  /** Datagrams and messages ignored because they did not answer a query in flight. */
  get ignored(): IgnoredCounters {
    const sum = newIgnoredCounters();
    addIgnoredCounters(sum, this.udp.ignored);
    addIgnoredCounters(sum, this.tcp.ignored);
    addIgnoredCounters(sum, this.encrypted.ignored);
    return sum;
  }

  /** Ask one question, retrying across servers; never throws for DNS or network faults. */
  async query(question: Question): Promise<QueryOutcome> {
    const { servers, retries } = this.options;
    const attempts = Math.max(1, retries + 1);
    const problems: { server: ServerAddress; reason: FailureReason; detail: string }[] = [];
    // With `tcpAfterUdpTimeout`: servers whose last attempt timed out over UDP.
    // Response rate limiting (NSD, Knot, BIND RRL) drops most UDP answers over
    // the limit and sends only every n-th one as a TC=1 "slip" (NSD rrl-slip,
    // default 2); it never limits TCP. So an attempt that follows a UDP timeout
    // from the same server goes over TCP (and the next one back to UDP, in case
    // TCP is what is blocked). A lost datagram costs the same either way; a
    // rate-limited one no longer turns into "unknown" (test/integration/rrl-load.test.ts).
    let udpTimedOut: Set<ServerAddress> | undefined;
    let refusals = 0;
    for (let attempt = 0; attempt < attempts; attempt += 1) {
      // Closed during the attempt before or the pause after it: no more tries.
      if (attempt > 0 && this.closed) return this.closedOutcome(problems);
      const server = servers[attempt % servers.length]!;
      const result = await this.attempt(server, question, udpTimedOut?.delete(server) === true);
      if (result.kind === 'response') {
        this.stats.outcomes.response += 1;
        return { kind: 'response', message: result.message, server: result.server, transport: result.transport, tries: attempt + 1 };
      }
      if (this.options.tcpAfterUdpTimeout === true && result.reason === 'timeout' && result.transport === 'udp') (udpTimedOut ??= new Set()).add(server);
      problems.push({ server, reason: result.reason, detail: result.detail });
      // A resolver that limits its clients' rate answers REFUSED past the limit (dnsdist
      // MaxQPSIPRule, public resolvers): asking it again at once is refused again. Wait,
      // doubling, before asking a server again that refused (never past the timeout).
      const next = servers[(attempt + 1) % servers.length]!;
      if (result.reason === 'refused' && attempt + 1 < attempts && problems.some((p) => p.server === next && p.reason === 'refused')) {
        refusals += 1;
        this.stats.backoffs += 1;
        await this.pause(refusedPauseMs(refusals, this.options.timeoutMs));
      }
      // A server that answered FORMERR without EDNS will say it again: move on.
    }
    const outcome = summarise(problems, attempts);
    this.stats.outcomes[outcome.reason] += 1;
    return outcome;
  }

  close(): void {
    this.closed = true;
    for (const end of [...this.pauses]) end();
    for (const state of this.perServer.values()) state.found?.stop();
    this.udp.close();
    this.tcp.close();
    this.encrypted.close();
  }

  /** Wait `ms` before asking again, unless the client closes first (then at once). */
  private pause(ms: number): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((done) => {
      const end = (): void => {
        clearTimeout(timer);
        this.pauses.delete(end);
        done();
      };
      const timer = setTimeout(end, ms);
      this.pauses.add(end);
    });
  }

  /** A question given up because the client closed: a network failure, after the tries it had. */
  private closedOutcome(problems: readonly { server: ServerAddress; reason: FailureReason; detail: string }[]): QueryOutcome & { kind: 'failure' } {
    this.stats.outcomes.network += 1;
    const before = summarise(problems, problems.length);
    return { kind: 'failure', reason: 'network', detail: `client closed, after ${before.detail}`, tries: problems.length, failures: before.failures };
  }

  private async attempt(
    server: ServerAddress,
    question: Question,
    tcpRetry = false,
  ): Promise<
    | { kind: 'response'; message: DnsMessage; server: ServerAddress; transport: TransportName }
    | { kind: 'failure'; reason: FailureReason; detail: string; transport: TransportName }
  > {
    let edns = true;
    let transport: TransportName = server.scheme ?? (this.options.forceTcp === true || tcpRetry ? 'tcp' : 'udp');
    // `timeoutMs` bounds the whole attempt, not each exchange: a server that
    // answers TC=1 or FORMERR just before the timeout must not stretch one
    // attempt to three timeouts. It starts when the first query leaves
    // (after waiting for its turn under --rate).
    let deadline: number | undefined;
    const state = this.state(server);
    const pacer = this.options.pacer;
    // With --rate, the user's rate rules: no rate is looked for.
    const findRate = pacer?.limited !== true;
    // At most: UDP+EDNS, UDP without EDNS, TCP — three exchanges per attempt.
    for (let step = 0; step < 3; step += 1) {
      // A rate this server showed by refusing, then --rate (or only the count of what leaves).
      // The clock is read again only after waiting for a turn.
      let now = performance.now();
      if (state.found !== undefined) {
        const turn = state.found.acquire();
        if (turn !== undefined) {
          await turn;
          now = performance.now();
        }
      } else if (findRate) state.sends.add(now);
      if (pacer !== undefined) {
        if (pacer.limited) {
          await pacer.acquire();
          now = performance.now();
        } else pacer.take();
      }
      if (this.closed) return { kind: 'failure', reason: 'network', detail: 'client closed', transport };
      deadline ??= now + this.options.timeoutMs;
      const remaining = Math.ceil(deadline - now);
      if (remaining <= 0) return { kind: 'failure', reason: 'timeout', detail: `no answer within ${this.options.timeoutMs} ms`, transport };
      const result = transport === 'tls' || transport === 'https'
        ? await this.encrypted.exchange(server, question, { timeoutMs: remaining, edns, recursionDesired: this.options.recursionDesired !== false })
        : await this.send(transport, server, state, question, edns, remaining);
      // With retransmissions, the transport says how many datagrams the exchange took.
      if (transport === 'udp' && this.options.retransmit !== false) {
        const datagrams = result.datagrams ?? 1;
        this.stats.udpQueries += datagrams;
        this.stats.retransmits += datagrams - 1;
      }
      if (result.kind !== 'message') {
        const reason: FailureReason = result.kind === 'timeout' ? 'timeout' : result.kind === 'malformed' ? 'malformed' : 'network';
        const prefix = transport === 'tcp' && this.options.forceTcp !== true ? (tcpRetry ? 'after a UDP timeout, ' : 'after a truncated UDP answer, ') : '';
        return { kind: 'failure', reason, detail: `${prefix}${result.detail}`, transport };
      }
      const message = result.message;
      if (message.rcode === 'REFUSED') {
        if (state.found !== undefined) state.found.refused();
        else if (findRate) state.found = new AdaptiveRate(state.sends.recent(performance.now()));
      } else state.found?.answered();
      if ((message.rcode === 'FORMERR' || message.rcode === 'NOTIMP') && edns) {
        // RFC 6891 §7: a responder without EDNS support answers FORMERR (some NOTIMP); ask again plainly.
        this.stats.ednsFallbacks += 1;
        edns = false;
        continue;
      }
      if (message.tc && transport === 'udp') {
        this.stats.truncated += 1;
        transport = 'tcp';
        continue;
      }
      // TC=1 over TCP means the records are incomplete; taking them would turn a fault into "record missing".
      if (message.tc) return { kind: 'failure', reason: 'malformed', detail: 'truncated answer (TC=1) over TCP', transport };
      switch (message.rcode) {
        case 'NOERROR':
        case 'NXDOMAIN':
          return { kind: 'response', message, server, transport };
        case 'SERVFAIL':
          return { kind: 'failure', reason: 'servfail', detail: 'SERVFAIL', transport };
        case 'REFUSED':
          return { kind: 'failure', reason: 'refused', detail: 'REFUSED', transport };
        case 'FORMERR':
          return { kind: 'failure', reason: 'formerr', detail: 'FORMERR', transport };
        case 'NOTIMP':
          return { kind: 'failure', reason: 'notimp', detail: 'NOTIMP', transport };
        default:
          return { kind: 'failure', reason: 'rcode', detail: `rcode ${message.rcode}`, transport };
      }
    }
    return { kind: 'failure', reason: 'malformed', detail: 'no usable answer after EDNS fallback and TCP', transport };
  }

  /** One exchange over UDP or TCP; the UDP datagrams it took are counted by {@link attempt}. */
  private send(transport: 'udp' | 'tcp', server: ServerAddress, state: ServerState, question: Question, edns: boolean, timeoutMs: number): Promise<ExchangeResult> {
    const recursionDesired = this.options.recursionDesired !== false;
    if (transport === 'tcp') {
      this.stats.tcpQueries += 1;
      return this.tcp.exchange(server, question, { timeoutMs, edns, recursionDesired });
    }
    if (this.options.retransmit === false) {
      this.stats.udpQueries += 1;
      return this.udp.exchange(server, question, { timeoutMs, edns, recursionDesired });
    }
    return this.udp.exchange(server, question, { timeoutMs, edns, recursionDesired, rtt: this.estimator(state) });
  }
}

/** What a {@link DnsClient} keeps per server. */
interface ServerState {
  /** About what was sent to it in the last second, until it first refuses (then `found` counts). */
  readonly sends: SendCount;
  /** The rate it showed by refusing: made at its first REFUSED, never with --rate. */
  found: AdaptiveRate | undefined;
  rtt: RttEstimator | undefined;
}

/** The first wait before asking again a server that answered REFUSED (then doubled, with jitter). */
export const REFUSED_BACKOFF_MS = 100;

/**
 * The wait before asking again a server that refused, at the `refusals`-th
 * pause of one question: {@link REFUSED_BACKOFF_MS}, doubled at each pause,
 * times a jitter from ½ to 1½ (`random` in [0, 1)) so that the questions
 * refused together do not come back together; never longer than the
 * attempt timeout.
 */
export function refusedPauseMs(refusals: number, timeoutMs: number, random: number = Math.random()): number {
  return Math.min(timeoutMs, REFUSED_BACKOFF_MS * 2 ** (Math.max(1, refusals) - 1) * (0.5 + random));
}

/** One line for a failed question: the last reason, how many tries, which servers, what each said. */
function summarise(problems: readonly { server: ServerAddress; reason: FailureReason; detail: string }[], attempts: number): QueryOutcome & { kind: 'failure' } {
  const last = problems[problems.length - 1]!;
  const servers = [...new Set(problems.map((p) => formatServer(p.server)))];
  const allSame = problems.every((p) => p.reason === last.reason);
  const tries = `${attempts} ${attempts === 1 ? 'try' : 'tries'}`;
  let detail: string;
  switch (last.reason) {
    case 'timeout':
      detail = allSame ? `timeout after ${tries} to ${servers.join(', ')}` : `no usable answer after ${tries}`;
      break;
    case 'servfail':
    case 'refused':
    case 'formerr':
    case 'notimp':
      detail = allSame ? `${last.detail} from ${servers.join(', ')} (${tries})` : `no usable answer after ${tries}`;
      break;
    default:
      detail = allSame ? `${last.detail} (${tries} to ${servers.join(', ')})` : `no usable answer after ${tries}`;
  }
  if (!allSame) {
    detail += ': ' + problems.map((p) => `${formatServer(p.server)} ${p.reason === 'timeout' ? 'timed out' : p.detail}`).join('; ');
  }
  return { kind: 'failure', reason: last.reason, detail, tries: attempts, failures: problems.map((p) => ({ server: formatServer(p.server), reason: p.reason })) };
}
