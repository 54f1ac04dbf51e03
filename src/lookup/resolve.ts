import { nameKey, type DnsMessage, type Question, type QueryType, type ResourceRecord } from '../dns/codec.js';
import type { QueryOutcome } from '../dns/client.js';
import { canonicalAddress, compareAddresses } from '../dns/ip-text.js';
import { nameIsAtOrBelow } from '../dns/name-text.js';
import { formatServer, type ServerAddress } from '../dns/server-address.js';
import type { Result } from '../result.js';
import { delegationServers, type CnameHop, type Delegation, type LookupErrorReason, type LookupOutcome } from './types.js';

/** CNAME hops followed before giving up (the same bound as common resolvers' chain limits). */
export const MAX_CNAME_HOPS = 8;
/** Referrals followed for one name before giving up (a name rarely lies more than two cuts below the zone asked). */
export const MAX_REFERRALS = 4;

/** Anything that can answer a single question: the DNS client, or a test double around it. */
export interface QuerySource {
  query(question: Question): Promise<QueryOutcome>;
}


/**
 * Where a lookup goes on when an RD=0 question meets a referral
 * (`--no-recursion`): a source that asks the delegation's own servers, or
 * why there is none (no address for any of them, too many delegations).
 */
export interface ReferralFollower {
  sourceFor(delegation: Delegation): Promise<Result<QuerySource>>;
}

/** How a lookup reads the responses of its source. */
export interface LookupOptions {
  /**
   * The RD flag of the source's questions (default true). It decides what an
   * empty answer means: only an authoritative server's AA flag counts
   * (RFC 1035 §4.1.1), and through a resolver a referral is never an answer.
   */
  readonly recursionDesired?: boolean;
  /** Follow referrals (RD=0 only); without one a referral is reported as a `referral` outcome. */
  readonly follow?: ReferralFollower;
  /** Added to the detail of an unfollowed referral: what the user can do (zone mode: load the child zone). */
  readonly referralAdvice?: string;
  /**
   * Ask a resolver's SERVFAIL again with CD=1 to tell a DNSSEC validation
   * failure (`bogus`) from another (see {@link validationFailure}). Default:
   * on when RD is set; never asked of authoritative servers (RD=0), whose
   * SERVFAIL has nothing to do with validation.
   */
  readonly detectBogus?: boolean;
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
export async function lookup(source: QuerySource, name: string, type: QueryType, options: LookupOptions = {}): Promise<LookupOutcome> {
  const recursionDesired = options.recursionDesired !== false;
  const chain: CnameHop[] = [];
  let current = name;
  // The source asked now: the configured one, or a delegation's servers after a referral.
  let asking = source;
  let referrals = 0;
  let cut: string | undefined;
  // The last referral followed, in words: a failure of its servers names it.
  let delegated = '';
  const detectBogus = options.detectBogus ?? recursionDesired;
  // RFC 4035 §3.2.3: AD vouches for one response. When a chain takes several (an alias asked
  // again for its target), the outcome is secure only if every response in it was.
  let everyAd = true;
  for (let asked = 0; asked <= MAX_CNAME_HOPS + MAX_REFERRALS; asked += 1) {
    let outcome = await asking.query({ name: current, type });
    if (outcome.kind === 'failure' && outcome.reason === 'servfail' && detectBogus && referrals === 0) {
      const checked = await validationFailure(asking, current, type, outcome);
      if (checked.kind === 'bogus') return { kind: 'error', name, type, chain, reason: 'bogus', detail: checked.detail, server: checked.server };
      outcome = checked.outcome;
    }
    if (outcome.kind === 'failure') {
      if (referrals === 0) return { kind: 'error', name, type, chain, reason: outcome.reason, detail: outcome.detail, ...(outcome.failures !== undefined ? { failures: outcome.failures } : {}) };
      return { kind: 'error', name, type, chain, reason: 'delegation', detail: `${delegated}, whose servers gave no answer: ${outcome.detail}`, ...(outcome.failures !== undefined ? { failures: outcome.failures } : {}) };
    }
    const walked = walkAnswer(outcome.message, name, current, type, chain);
    if (walked.kind === 'loop' || walked.kind === 'limit') {
      return chainError(name, type, chain, walked.kind);
    }
    // Fields written out rather than spread from a provenance object: this runs for every lookup.
    const server = serverName(outcome.server);
    const transport = outcome.transport;
    everyAd &&= outcome.message.ad;
    const authenticated = everyAd;
    if (walked.records.length > 0) {
      return { kind: 'answer', name, type, records: walked.records, chain, server, transport, authenticated };
    }
    // RFC 6604 §2.1: the RCODE describes the last name in the chain.
    if (walked.followed && outcome.message.rcode !== 'NXDOMAIN') {
      // The response ended on an alias target without data: ask for the target itself, from the start.
      current = walked.current;
      asking = source;
      referrals = 0;
      cut = undefined;
      delegated = '';
      continue;
    }
    const empty = classifyEmpty(outcome.message, walked.current, recursionDesired);
    switch (empty.kind) {
      case 'nodata':
        return { kind: 'nodata', name, type, chain, server, transport, authenticated };
      case 'nxdomain':
        return { kind: 'nxdomain', name, type, chain, server, transport, authenticated };
      case 'error':
        return { kind: 'error', name, type, chain, reason: empty.reason, detail: `${server} ${empty.detail}` };
      case 'referral': {
        const delegation = empty.delegation;
        const where = `${current} is delegated to ${delegationServers(delegation)} (zone ${delegation.zone}, by ${server})`;
        if (options.follow === undefined) {
          const detail = options.referralAdvice === undefined ? where : `${where}; ${options.referralAdvice}`;
          return { kind: 'referral', name, type, chain, delegation, reason: 'referral', detail, server, transport, authenticated };
        }
        // Each referral must lead further down (RFC 1034 §5.3.3): a cut at or above the last one is a loop or an upward referral.
        if (cut !== undefined && (delegation.zone === cut || !nameIsAtOrBelow(delegation.zone, cut))) {
          return { kind: 'error', name, type, chain, reason: 'lame', detail: `${where}, which does not lead below ${cut} (a referral loop or an upward referral)` };
        }
        referrals += 1;
        if (referrals > MAX_REFERRALS) {
          return { kind: 'error', name, type, chain, reason: 'delegation', detail: `${where}: more than ${MAX_REFERRALS} referrals, given up` };
        }
        const next = await options.follow.sourceFor(delegation);
        if (!next.ok) return { kind: 'error', name, type, chain, reason: 'delegation', detail: `${where}, whose servers cannot be asked: ${next.error}` };
        asking = next.value;
        cut = delegation.zone;
        delegated = where;
        continue;
      }
    }
  }
  return chainError(name, type, chain, 'limit');
}

/**
 * After a SERVFAIL: is it a DNSSEC validation failure? Ask the same question
 * with CD=1 (RFC 4035 §3.2.2: the resolver answers without validating). A
 * resolver that SERVFAILs for another reason (an upstream that does not
 * answer, a lame delegation) fails again; one that answers now has the data
 * and rejected it. Then once more without CD, so that a SERVFAIL that was
 * transient (an upstream that answered the second time) is not taken for a
 * validation failure: SERVFAIL, answer with CD=1, SERVFAIL again is bogus.
 * Otherwise the outcome to go on with: the original failure, or the
 * answer of the last question when it came.
 */
export async function validationFailure(
  source: QuerySource,
  name: string,
  type: QueryType,
  failure: QueryOutcome,
): Promise<{ readonly kind: 'bogus'; readonly detail: string; readonly server: string } | { readonly kind: 'not-bogus'; readonly outcome: QueryOutcome }> {
  const unchecked = await source.query({ name, type, checkingDisabled: true });
  if (unchecked.kind !== 'response') return { kind: 'not-bogus', outcome: failure };
  const again = await source.query({ name, type });
  if (again.kind === 'response') return { kind: 'not-bogus', outcome: again };
  if (again.reason !== 'servfail') return { kind: 'not-bogus', outcome: failure };
  const server = serverName(unchecked.server);
  const message = unchecked.message;
  const what =
    message.answers.length > 0
      ? 'has records'
      : message.rcode === 'NXDOMAIN'
        ? 'is NXDOMAIN'
        : `has no ${type} records`;
  return { kind: 'bogus', server, detail: `DNSSEC validation failed at ${server} (the answer with CD=1 ${what})` };
}

/** What an answer without records of the asked type says. */
export type EmptyAnswer =
  | { readonly kind: 'nodata' }
  | { readonly kind: 'nxdomain' }
  | { readonly kind: 'referral'; readonly delegation: Delegation }
  | { readonly kind: 'error'; readonly reason: LookupErrorReason; readonly detail: string };

/**
 * Classify a response that holds no records of the asked type for `name`
 * (after its CNAMEs). Strict, because reading "could not tell" as "absent"
 * is the one false red this tool must never give:
 * - NXDOMAIN: absent, except asked with RD=0 without AA, which is not a
 *   name error from the zone's server (RFC 1035 §4.1.1: "meaningful only for
 *   responses from an authoritative name server").
 * - NOERROR with the SOA of a zone holding the name in the authority section:
 *   NODATA (RFC 2308 §2.2). An SOA of a zone that does not hold the name: lame.
 * - NOERROR with NS records of a zone holding the name and AA clear: a
 *   referral (RFC 1034 §4.3.2 step 3b; RFC 2308 §2.2 "referral response").
 *   Asked with RD=1 a resolver must never give one (a broken forwarder does):
 *   could not tell. NS owned by the root, or not above the name: lame.
 * - NOERROR, AA set, no SOA, asked with RD=0: NODATA (the zone's own server
 *   speaks for it, even when it leaves out the SOA or adds its NS).
 * - Anything else (no SOA, no NS; or AA without SOA through a resolver): could
 *   not tell (`no-soa`).
 */
export function classifyEmpty(message: DnsMessage, name: string, recursionDesired: boolean): EmptyAnswer {
  const at = nameKey(name);
  const soa = message.authorities.find((r) => r.type === 'SOA');
  if (message.rcode === 'NXDOMAIN') {
    if (!recursionDesired && !message.aa) {
      return { kind: 'error', reason: 'not-authoritative', detail: `answered NXDOMAIN for ${at} without the AA flag: not an authoritative name error (RFC 1035 §4.1.1)` };
    }
    return { kind: 'nxdomain' };
  }
  if (message.rcode !== 'NOERROR') return { kind: 'error', reason: 'rcode', detail: `answered ${message.rcode} for ${at}` };
  if (soa !== undefined) {
    const zone = nameKey(soa.name);
    if (nameIsAtOrBelow(at, zone)) return { kind: 'nodata' };
    return { kind: 'error', reason: 'lame', detail: `answered ${at} with no records and the SOA of ${zone}, a zone that does not hold it (lame)` };
  }
  const ns = message.authorities.filter((r): r is ResourceRecord & { type: 'NS' } => r.type === 'NS');
  if (ns.length > 0) {
    const zone = nameKey(ns[0]!.name);
    if (!message.aa) {
      if (zone === '.' || !nameIsAtOrBelow(at, zone)) {
        return { kind: 'error', reason: 'lame', detail: `answered ${at} with a referral to ${zone}, which does not lead to it (an upward or unrelated referral: lame)` };
      }
      const delegation = delegationOf(message, zone);
      if (recursionDesired) {
        return {
          kind: 'error',
          reason: 'referral',
          detail: `answered ${at} with a referral to ${delegationServers(delegation)} (zone ${delegation.zone}) instead of an answer, though recursion was asked for (a broken forwarder, or a server that does not recurse)`,
        };
      }
      return { kind: 'referral', delegation };
    }
  }
  if (message.aa && !recursionDesired) return { kind: 'nodata' };
  return {
    kind: 'error',
    reason: 'no-soa',
    detail: `answered NOERROR for ${at} with no records and no SOA (RFC 2308 §2.2: without it an empty answer is not NODATA)`,
  };
}

/** The delegation to `zone` a referral describes: its NS targets, with glue from the additional section. */
export function delegationOf(message: DnsMessage, zone: string): Delegation {
  const names: string[] = [];
  for (const r of message.authorities) if (r.type === 'NS' && nameKey(r.name) === zone && !names.includes(nameKey(r.target))) names.push(nameKey(r.target));
  names.sort();
  const servers = names.map((host) => {
    const addresses: string[] = [];
    for (const r of message.additionals) {
      if ((r.type !== 'A' && r.type !== 'AAAA') || nameKey(r.name) !== host) continue;
      const address = canonicalAddress(r.address);
      if (address !== undefined && !addresses.includes(address)) addresses.push(address);
    }
    return { name: host, addresses: addresses.sort(compareAddresses) };
  });
  return { zone, servers };
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
