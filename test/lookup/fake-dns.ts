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
};

/** A response message as the codec would decode it. */
export function message(answers: readonly ResourceRecord[], rcode: Rcode = 'NOERROR', options: { ad?: boolean; question?: { name: string; type: QueryType } } = {}): DnsMessage {
  return {
    id: 4242,
    qr: true,
    opcode: 'QUERY',
    aa: false,
    tc: false,
    rd: true,
    ra: true,
    ad: options.ad === true,
    rcode,
    questions: options.question ? [{ name: options.question.name, type: options.question.type, class: 'IN' }] : [],
    answers,
    authorities: [],
    additionals: [],
    edns: true,
  };
}

/** A usable response (NOERROR or NXDOMAIN) from {@link FAKE_SERVER}. */
export function response(answers: readonly ResourceRecord[], rcode: Rcode = 'NOERROR', options: { ad?: boolean; transport?: 'udp' | 'tcp' } = {}): QueryOutcome {
  return { kind: 'response', message: message(answers, rcode, options), server: FAKE_SERVER, transport: options.transport ?? 'udp', tries: 1 };
}

/** A failed question, as the DNS client reports it after its retries. */
export function failure(reason: FailureReason, detail: string): QueryOutcome {
  return { kind: 'failure', reason, detail, tries: 3 };
}

const key = (name: string, type: QueryType): string => `${name.toLowerCase().replace(/\.$/, '')} ${type}`;

/** Something that counts the questions it was asked. */
export interface CountingSource extends QuerySource {
  /** Every question asked, in order, as "name TYPE" (name as asked). */
  readonly calls: string[];
}

/**
 * Answers from a script of "name TYPE" → outcome (names case-insensitive).
 * An unscripted question rejects, so a test fails loudly when the code asks
 * something it should not.
 */
export function scripted(script: Readonly<Record<string, QueryOutcome>>): CountingSource {
  const table = new Map(Object.entries(script).map(([k, v]) => [k.replace(/^(\S+)\s+/, (_m, n: string) => `${n.toLowerCase()} `), v]));
  const calls: string[] = [];
  return {
    calls,
    query: async ({ name, type }) => {
      calls.push(`${name} ${type}`);
      const outcome = table.get(key(name, type));
      if (outcome === undefined) throw new Error(`unscripted question: ${name} ${type}`);
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
    query: async ({ name, type }) => {
      calls.push(`${name} ${type}`);
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
