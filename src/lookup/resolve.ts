import { nameKey, type DnsMessage, type QueryType, type ResourceRecord } from '../dns/codec.js';
import type { QueryOutcome } from '../dns/client.js';
import { formatServer, type ServerAddress } from '../dns/server-address.js';
import type { CnameHop, LookupOutcome } from './types.js';

/** CNAME hops followed before giving up (the same bound as common resolvers' chain limits). */
export const MAX_CNAME_HOPS = 8;

/** Anything that can answer a single question: the DNS client, or a test double around it. */
export interface QuerySource {
  query(question: { name: string; type: QueryType }): Promise<QueryOutcome>;
}


/** "host:port" of each server, made once: every outcome of a run carries it (100,000 domains, 400,000 copies otherwise). */
const serverNames = new WeakMap<ServerAddress, string>();

function serverName(server: ServerAddress): string {
  let name = serverNames.get(server);
  if (name === undefined) {
    name = formatServer(server);
    serverNames.set(server, name);
  }
  return name;
}

/**
 * Look up (name, type) and follow CNAMEs: first those in the answer section,
 * then by asking for the last target (an authoritative server does not follow
 * out-of-zone aliases). At most {@link MAX_CNAME_HOPS} hops; a loop or a longer
 * chain is an `error`, never an absent record. Names from answers come in
 * presentation form (`\DDD`, `\.`), which the codec asks for as exactly the
 * octets that came, so a target holding any octet is asked for as itself.
 */
export async function lookup(source: QuerySource, name: string, type: QueryType): Promise<LookupOutcome> {
  const chain: CnameHop[] = [];
  let current = name;
  for (let asked = 0; asked <= MAX_CNAME_HOPS; asked += 1) {
    const outcome = await source.query({ name: current, type });
    if (outcome.kind === 'failure') {
      return { kind: 'error', name, type, chain, reason: outcome.reason, detail: outcome.detail };
    }
    const walked = walkAnswer(outcome.message, name, current, type, chain);
    if (walked.kind === 'loop' || walked.kind === 'limit') {
      return chainError(name, type, chain, walked.kind);
    }
    current = walked.current;
    // Fields written out rather than spread from a provenance object: this runs for every lookup.
    const server = serverName(outcome.server);
    const transport = outcome.transport;
    const authenticated = outcome.message.ad;
    if (walked.records.length > 0) {
      return { kind: 'answer', name, type, records: walked.records, chain, server, transport, authenticated };
    }
    // RFC 6604 §2.1: the RCODE describes the last name in the chain.
    if (outcome.message.rcode === 'NXDOMAIN') return { kind: 'nxdomain', name, type, chain, server, transport, authenticated };
    // NOERROR, nothing of the type: if no alias was followed in this response, the name has no such data.
    if (!walked.followed) return { kind: 'nodata', name, type, chain, server, transport, authenticated };
    // The response ended on an alias target without data: ask for the target itself.
  }
  return chainError(name, type, chain, 'limit');
}

function chainError(name: string, type: QueryType, chain: readonly CnameHop[], kind: 'loop' | 'limit'): LookupOutcome {
  const path = [name, ...chain.map((hop) => hop.to)].join(' → ');
  return kind === 'loop'
    ? { kind: 'error', name, type, chain, reason: 'cname-loop', detail: `CNAME loop: ${path}` }
    : { kind: 'error', name, type, chain, reason: 'cname-limit', detail: `CNAME chain longer than ${MAX_CNAME_HOPS} hops: ${path}` };
}

type Walk =
  | { kind: 'ok'; current: string; records: readonly ResourceRecord[]; followed: boolean }
  | { kind: 'loop' }
  | { kind: 'limit' };

/** Whether `name` was met already on the way from `first` along `chain` (at most a few hops: a scan beats a Set). */
function visited(name: string, first: string, chain: readonly CnameHop[]): boolean {
  const key = nameKey(name);
  if (nameKey(first) === key) return true;
  for (let i = 0; i < chain.length - 1; i += 1) if (nameKey(chain[i]!.to) === key) return true;
  return false;
}

/** The records of `type` owned by `owner` (a {@link nameKey}); the answer section itself when it holds nothing else, as it mostly does. */
function recordsOf(answers: readonly ResourceRecord[], type: QueryType, owner: string): readonly ResourceRecord[] {
  let all = true;
  for (const r of answers) {
    if (r.type !== type || nameKey(r.name) !== owner) {
      all = false;
      break;
    }
  }
  return all ? answers : answers.filter((r) => r.type === type && nameKey(r.name) === owner);
}

function walkAnswer(message: DnsMessage, first: string, start: string, type: QueryType, chain: CnameHop[]): Walk {
  let current = start;
  let followed = false;
  for (;;) {
    const here = nameKey(current);
    const records = recordsOf(message.answers, type, here);
    if (records.length > 0 || type === 'CNAME') return { kind: 'ok', current, records, followed };
    const alias = message.answers.find((r) => r.type === 'CNAME' && nameKey(r.name) === here);
    if (alias === undefined || alias.type !== 'CNAME') return { kind: 'ok', current, records: [], followed };
    chain.push({ from: current, to: alias.target });
    if (visited(alias.target, first, chain)) return { kind: 'loop' };
    if (chain.length > MAX_CNAME_HOPS) return { kind: 'limit' };
    current = alias.target;
    followed = true;
  }
}
