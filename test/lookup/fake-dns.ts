/**
 * Test doubles for the lookup layer: QueryOutcome values built with the real
 * codec types, a scripted QuerySource (one canned outcome per question) and a
 * tiny in-memory zone that answers like a recursive resolver or like an
 * authoritative server. Pure logic, no sockets: nothing here can reach out.
 */
import type { DnsMessage, QueryType, Rcode, ResourceRecord } from '../../src/dns/codec.js';
import type { FailureReason, QueryOutcome } from '../../src/dns/client.js';
import type { ServerAddress } from '../../src/dns/server-address.js';
import type { QuerySource } from '../../src/lookup/resolve.js';

/** The server every fake response claims to come from (documentation loopback, never contacted). */
export const FAKE_SERVER: ServerAddress = { host: '127.0.0.1', port: 5300, family: 4 };

/** Resource record constructors. */
export const rr = {
  a: (name: string, address: string): ResourceRecord => ({ type: 'A', name, ttl: 300, address }),
  aaaa: (name: string, address: string): ResourceRecord => ({ type: 'AAAA', name, ttl: 300, address }),
  cname: (name: string, target: string): ResourceRecord => ({ type: 'CNAME', name, ttl: 300, target }),
  srv: (name: string, priority: number, weight: number, port: number, target: string): ResourceRecord => ({
    type: 'SRV',
    name,
    ttl: 300,
    priority,
    weight,
    port,
    target,
  }),
  txt: (name: string, text: string): ResourceRecord => ({ type: 'TXT', name, ttl: 300, text: [text] }),
  ns: (name: string, target: string): ResourceRecord => ({ type: 'NS', name, ttl: 300, target }),
  soa: (name: string, serial = 1): ResourceRecord => ({ type: 'SOA', name, ttl: 300, mname: `ns1.${name}`, rname: `hostmaster.${name}`, serial, minimum: 300 }),
};

/** The sections and flags of a response other than its answer. */
export interface MessageOptions {
  readonly ad?: boolean;
  readonly aa?: boolean;
  readonly question?: { name: string; type: QueryType };
  readonly authorities?: readonly ResourceRecord[];
  readonly additionals?: readonly ResourceRecord[];
}

/** A response message as the codec would decode it. */
export function message(answers: readonly ResourceRecord[], rcode: Rcode = 'NOERROR', options: MessageOptions = {}): DnsMessage {
  return {
    id: 4242,
    qr: true,
    opcode: 'QUERY',
    aa: options.aa === true,
    tc: false,
    rd: true,
    ra: true,
    ad: options.ad === true,
    rcode,
    questions: options.question ? [{ name: options.question.name, type: options.question.type, class: 'IN' }] : [],
    answers,
    authorities: options.authorities ?? [],
    additionals: options.additionals ?? [],
    edns: true,
  };
}

/** The SOA a resolver puts in the authority section of a negative answer (RFC 2308 §3); the root's, which holds every name. */
const NEGATIVE_SOA: readonly ResourceRecord[] = [rr.soa('.')];

/**
 * A usable response (NOERROR or NXDOMAIN) from {@link FAKE_SERVER}, as a
 * resolver gives it: without `authorities`, it carries an SOA (needed for a negative answer, harmless in another).
 */
export function response(answers: readonly ResourceRecord[], rcode: Rcode = 'NOERROR', options: MessageOptions & { transport?: 'udp' | 'tcp' } = {}): QueryOutcome {
  const authorities = options.authorities ?? NEGATIVE_SOA;
  return { kind: 'response', message: message(answers, rcode, { ...options, authorities }), server: FAKE_SERVER, transport: options.transport ?? 'udp', tries: 1 };
}

/** A failed question, as the DNS client reports it after its retries. */
export function failure(reason: FailureReason, detail: string): QueryOutcome {
  return { kind: 'failure', reason, detail, tries: 3 };
}

const key = (name: string, type: QueryType): string => `${name.toLowerCase().replace(/\.$/, '')} ${type}`;

/** Something that counts the questions it was asked. */
export interface CountingSource extends QuerySource {
  /** Every question asked, in order, as "name TYPE" (name as asked), " CD=1" added when CD was set. */
  readonly calls: string[];
}

/**
 * Answers from a script of "name TYPE" (or "name TYPE CD=1") → outcome (names case-insensitive).
 * An unscripted question rejects, so a test fails loudly when the code asks
 * something it should not.
 */
export function scripted(script: Readonly<Record<string, QueryOutcome>>): CountingSource {
  const table = new Map(Object.entries(script).map(([k, v]) => [k.replace(/^(\S+)\s+/, (_m, n: string) => `${n.toLowerCase()} `), v]));
  const calls: string[] = [];
  return {
    calls,
    query: async ({ name, type, checkingDisabled }) => {
      const cd = checkingDisabled === true ? ' CD=1' : '';
      calls.push(`${name} ${type}${cd}`);
      const outcome = table.get(`${key(name, type)}${cd}`);
      if (outcome === undefined) throw new Error(`unscripted question: ${name} ${type}${cd}`);
      return outcome;
    },
  };
}

/** How the fake zone behaves. */
export interface ZoneOptions {
  /**
   * true (default): like a recursive resolver, put the whole CNAME chain in the
   * answer. false: like an authoritative server, stop at the first alias.
   */
  readonly followAliases?: boolean;
  /** Questions ("name TYPE") that fail instead of being answered. */
  readonly failures?: Readonly<Record<string, QueryOutcome>>;
}

/**
 * An in-memory zone: answers NOERROR with the records of (name, type),
 * following CNAMEs; NODATA when the name owns other records; NXDOMAIN otherwise.
 */
export function zone(records: readonly ResourceRecord[], options: ZoneOptions = {}): CountingSource {
  const follow = options.followAliases !== false;
  const failures = new Map(Object.entries(options.failures ?? {}).map(([k, v]) => [k.replace(/^(\S+)\s+/, (_m, n: string) => `${n.toLowerCase()} `), v]));
  const at = (name: string): ResourceRecord[] => records.filter((r) => r.name.toLowerCase() === name.toLowerCase());
  const calls: string[] = [];
  return {
    calls,
    query: async ({ name, type, checkingDisabled }) => {
      calls.push(`${name} ${type}${checkingDisabled === true ? ' CD=1' : ''}`);
      const failed = failures.get(key(name, type));
      if (failed !== undefined) return failed;
      const answers: ResourceRecord[] = [];
      let current = name;
      for (let hops = 0; hops < 32; hops += 1) {
        const here = at(current);
        const wanted = here.filter((r) => r.type === type);
        if (wanted.length > 0) return response([...answers, ...wanted]);
        const alias = here.find((r) => r.type === 'CNAME');
        if (alias === undefined || alias.type !== 'CNAME') return response(answers, here.length > 0 ? 'NOERROR' : 'NXDOMAIN');
        answers.push(alias);
        if (!follow) return response(answers);
        current = alias.target;
      }
      return failure('servfail', `SERVFAIL from 127.0.0.1:5300 (CNAME chain too long for the fake zone)`);
    },
  };
}

/** A promise with its resolver exposed, for holding a query in flight. */
export function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}
