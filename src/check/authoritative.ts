/**
 * Authoritative mode: for each name the checks ask about, find its zone
 * through the configured resolver (SOA, walking up), learn the zone's NS set
 * and every NS host's addresses (also through the resolver), then ask each
 * of those servers directly, RD=0, with one DnsClient per server address so
 * that retries go to that server only.
 *
 * The normal rules judge one server's view per zone: the first server, in
 * NS-name order with IPv4 before IPv6, that answers the zone's SOA
 * authoritatively. A fixed, named server rather than the resolver, because
 * the point of the mode is what the zone's servers publish now, before
 * caches catch up; a fixed one rather than a per-question fallback, so that
 * every finding describes one coherent copy of the zone (differences between
 * copies are auth-consistency's job, and name every server).
 */
import type { FailureReason, QueryOutcome } from '../dns/client.js';
import type { SendPacer } from '../dns/rate-limit.js';
import { DnsClient } from '../dns/client.js';
import { nameKey, type DnsMessage, type Question, type ResourceRecord } from '../dns/codec.js';
import { nameIsAtOrBelow, parentName } from '../dns/name-text.js';
import { canonicalAddress, compareAddresses } from '../dns/ip-text.js';
import { formatServer, type ServerAddress } from '../dns/server-address.js';
import type { AuthoritativeObservation, AuthServer, Comparison, NameserverHost, ServerAnswer, ServerProbe, SoaProbe, ZoneObservation } from '../lookup/authoritative.js';
import { LookupCache, type Lookup } from '../lookup/cache.js';
import type { QuerySource } from '../lookup/resolve.js';
import { isRootTarget, srvRecords } from '../lookup/service.js';
import { absenceWord, isUnknown } from '../lookup/types.js';
import { classifyEmpty, MAX_REFERRALS } from '../lookup/resolve.js';
import type { DomainObservation } from '../rules/types.js';
import { observeDomain, type DomainSpec } from './check-domain.js';
import type { Result } from '../result.js';

/** Settings of authoritative mode. */
export interface AuthoritativeOptions {
  /** Port to ask the authoritative servers on (default 53; tests use high ports). */
  readonly port?: number;
  /** Per-attempt timeout for each authoritative server. */
  readonly timeoutMs: number;
  /** Attempts after the first, all to the same server. */
  readonly retries: number;
  readonly forceTcp?: boolean;
  /** Paces (--rate) and counts the queries to every authoritative server together with the run's others. */
  readonly pacer?: SendPacer;
}


/** The zone a name is in, or why it could not be found. */
type Located = Result<string, { readonly message: string; readonly reason: FailureReason }>;

/** The entry of `cache` under `key`, made the first time it is asked for; later askers share it. */
function shared<V>(cache: Map<string, V>, key: string, make: () => V): V {
  let value = cache.get(key);
  if (value === undefined) {
    value = make();
    cache.set(key, value);
  }
  return value;
}

/** One server address and its client; shared by every zone it serves. */
class ServerConnection {
  private readonly answers = new Map<string, Promise<QueryOutcome>>();
  constructor(
    readonly address: ServerAddress,
    readonly client: DnsClient,
  ) {}

  /** Ask once per question; later askers share the outcome. */
  ask(question: Question): Promise<QueryOutcome> {
    return shared(this.answers, `${question.type} ${nameKey(question.name)}`, () => this.client.query(question));
  }
}

/** A zone as probed: the observation, plus the connections of its authoritative servers. */
interface ZoneState {
  readonly observation: ZoneObservation;
  /** Servers that answered the SOA authoritatively, in order; the first is the view. */
  readonly authoritative: readonly { readonly server: AuthServer; readonly connection: ServerConnection }[];
}

/**
 * The engine of `--authoritative`. One per run: zones, NS sets and server
 * answers are cached for the run, so domains sharing a zone or a server ask
 * once. {@link observe} replaces the normal observation of a domain.
 */
export class AuthoritativeChecker {
  private readonly locate = new Map<string, Promise<Located>>();
  private readonly zones = new Map<string, Promise<ZoneState>>();
  private readonly connections = new Map<string, ServerConnection>();
  /** Lookups of the view, CNAMEs followed, cached for the run like the resolver's. */
  readonly viewCache: LookupCache;

  /**
   * @param resolver the run's client of the configured resolver (RD=1), for SOA walks
   * @param resolverLookup the run's cached lookups through it, for NS sets and NS host addresses
   */
  constructor(
    private readonly resolver: QuerySource,
    private readonly resolverLookup: Lookup,
    private readonly options: AuthoritativeOptions,
  ) {
    const view: QuerySource = { query: (question) => this.viewQuery(question) };
    // The view's questions go with RD=0, and only AA answers reach the lookups (viewQuery).
    this.viewCache = new LookupCache(view, { lookup: { recursionDesired: false } });
  }

  /** Observe a domain through its zones' servers: the view's answers for the rules, every server's for comparison. */
  readonly observe = async (spec: DomainSpec): Promise<DomainObservation> => {
    const base = await observeDomain(this.viewCache.lookup, spec.domain, spec.expectations);
    const owners = [base.sipfed.owner, ...(base.xmpp !== undefined ? [base.xmpp.owner] : [])];
    const zoneOrder: string[] = [];
    const zoneErrors: { name: string; detail: string }[] = [];
    const comparisons: Comparison[] = [];
    const note = (located: Located, name: string): string | undefined => {
      if (!located.ok) {
        if (!zoneErrors.some((e) => e.name === name)) zoneErrors.push({ name, detail: located.error.message });
        return undefined;
      }
      if (!zoneOrder.includes(located.value)) zoneOrder.push(located.value);
      return located.value;
    };

    const srvComparisons = await Promise.all(owners.map(async (owner) => {
      const zone = note(await this.zoneOf(owner), owner);
      return zone === undefined ? undefined : this.compare(owner, 'srv', zone);
    }));
    // Targets named by any server, not only the view: a target only one copy names is exactly what needs checking.
    const targets: string[] = [];
    const addTarget = (target: string): void => {
      const t = nameKey(target);
      if (!isRootTarget(t) && !targets.includes(t)) targets.push(t);
    };
    for (const service of [base.sipfed, base.xmpp]) for (const r of service === undefined ? [] : srvRecords(service.srv)) addTarget(r.target);
    for (const c of srvComparisons) {
      if (c === undefined) continue;
      comparisons.push(c.comparison);
      for (const target of c.targets) addTarget(target);
    }
    const targetComparisons = await Promise.all(targets.map(async (target) => {
      const zone = note(await this.zoneOf(target), target);
      return zone === undefined ? undefined : this.compare(target, 'addresses', zone);
    }));
    for (const c of targetComparisons) if (c !== undefined) comparisons.push(c.comparison);

    const zones = await Promise.all(zoneOrder.map(async (zone) => (await this.zoneState(zone)).observation));
    const authoritative: AuthoritativeObservation = { zones, comparisons, zoneErrors };
    return { ...base, authoritative };
  };

  /** Every authoritative server's client, for the run's counters. */
  clients(): DnsClient[] {
    return [...this.connections.values()].map((c) => c.client);
  }

  /** Close every server's client. */
  close(): void {
    for (const { client } of this.connections.values()) client.close();
  }

  // -------------------------------------------------------------------------
  // The view: what the rules see

  private async viewQuery(question: Question): Promise<QueryOutcome> {
    const name = nameKey(question.name);
    const located = await this.zoneOf(name);
    if (!located.ok) return failure(located.error.reason, `the zone of ${name} could not be found through the resolver: ${located.error.message}`);
    let zone = located.value;
    for (let referrals = 0; ; referrals += 1) {
      const state = await this.zoneState(zone);
      if (state.observation.error !== undefined) return failure('servfail', `the name servers of ${zone} could not be learnt: ${state.observation.error}`);
      const view = state.authoritative[0];
      if (view === undefined) return failure('refused', `no name server of ${zone} answered authoritatively`);
      const outcome = await view.connection.ask(question);
      if (outcome.kind !== 'response' || outcome.message.aa) return outcome;
      // AA clear: not data to judge (a cached answer would pass for records the zone does not hold).
      // A referral to a zone below this one means the name lies in a child zone, which is judged at
      // its own servers (its own SOA probes, serial and consistency), as a resolver would go there.
      const empty = outcome.message.answers.length === 0 ? classifyEmpty(outcome.message, name, false) : undefined;
      if (empty?.kind !== 'referral' || empty.delegation.zone === zone || !nameIsAtOrBelow(empty.delegation.zone, zone)) {
        return failure('rcode', `${view.server.address} answered ${name} ${question.type} without the AA flag (not authoritative)`);
      }
      if (referrals >= MAX_REFERRALS) return failure('rcode', `${name} ${question.type}: more than ${MAX_REFERRALS} referrals below ${located.value}, given up`);
      zone = empty.delegation.zone;
      // Later questions about the name (the comparisons, the zone list) go to the child zone.
      this.locate.set(name, Promise.resolve({ ok: true, value: zone }));
    }
  }

  // -------------------------------------------------------------------------
  // Zones

  /** The zone holding `name`, by asking the resolver for SOA and walking up (memoised per name). */
  private zoneOf(name: string): Promise<Located> {
    const key = nameKey(name);
    return shared(this.locate, key, () => this.findZone(key));
  }

  private async findZone(name: string): Promise<Located> {
    let current = name;
    for (;;) {
      const outcome = await this.resolver.query({ name: current, type: 'SOA' });
      if (outcome.kind === 'failure') return { ok: false, error: { message: `SOA ${current}: ${outcome.detail}`, reason: outcome.reason } };
      const zone = zoneFromSoaResponse(outcome.message, current);
      if (zone !== undefined) return { ok: true, value: zone };
      // No SOA to go by (a CNAME at the name, or a forwarder that strips the authority section): one label up.
      if (current === '.') return { ok: false, error: { message: `no SOA record found for ${name} or any name above it`, reason: 'rcode' } };
      // Label-aware: a name from DNS may hold a dot inside a label (`a\.b`), which is no boundary.
      current = parentName(current);
    }
  }

  private zoneState(zone: string): Promise<ZoneState> {
    return shared(this.zones, zone, () => this.probeZone(zone));
  }

  /** NS set, NS host addresses (both through the resolver), then the SOA of the zone from each address, RD=0. */
  private async probeZone(zone: string): Promise<ZoneState> {
    const ns = await this.resolverLookup(zone, 'NS');
    if (isUnknown(ns)) return { observation: { zone, error: `NS ${zone}: ${ns.detail}`, nameservers: [], servers: [] }, authoritative: [] };
    const names = ns.kind === 'answer' ? [...new Set(ns.records.flatMap((r) => (r.type === 'NS' ? [nameKey(r.target)] : [])))].sort() : [];
    if (names.length === 0) {
      const why = ns.kind === 'answer' ? 'the answer holds no NS records' : absenceWord(ns);
      return { observation: { zone, error: `NS ${zone}: ${why}`, nameservers: [], servers: [] }, authoritative: [] };
    }
    const nameservers = await Promise.all(names.map((name) => this.nameserverHost(name)));
    // One server per distinct address; names that share an address are listed together.
    const byAddress = new Map<string, string[]>();
    for (const host of nameservers) for (const address of host.addresses) byAddress.set(address, [...(byAddress.get(address) ?? []), host.name]);
    const servers = [...byAddress.entries()]
      .map(([address, hostNames]) => ({ address, hostNames: hostNames.sort() }))
      .sort((a, b) => (a.hostNames[0]! < b.hostNames[0]! ? -1 : a.hostNames[0]! > b.hostNames[0]! ? 1 : compareAddresses(a.address, b.address)));
    const probed = await Promise.all(servers.map(async ({ address, hostNames }) => {
      const connection = this.connection(address);
      const server: AuthServer = { names: hostNames, address: formatServer(connection.address) };
      const soa = classifySoa(await connection.ask({ name: zone, type: 'SOA' }), zone);
      return { probe: { server, soa } satisfies ServerProbe, connection };
    }));
    const authoritative = probed.filter((p) => p.probe.soa.kind === 'authoritative').map((p) => ({ server: p.probe.server, connection: p.connection }));
    const view = authoritative[0]?.server;
    return {
      observation: { zone, nameservers, servers: probed.map((p) => p.probe), ...(view !== undefined ? { view } : {}) },
      authoritative,
    };
  }

  private async nameserverHost(name: string): Promise<NameserverHost> {
    const [a, aaaa] = await Promise.all([this.resolverLookup(name, 'A'), this.resolverLookup(name, 'AAAA')]);
    const addresses: string[] = [];
    for (const outcome of [a, aaaa]) {
      if (outcome.kind !== 'answer') continue;
      for (const r of outcome.records) {
        if (r.type !== 'A' && r.type !== 'AAAA') continue;
        const address = canonicalAddress(r.address);
        if (address !== undefined && !addresses.includes(address)) addresses.push(address);
      }
    }
    addresses.sort(compareAddresses);
    const errors = [a, aaaa].flatMap((o) => (isUnknown(o) ? [`${o.type} ${name}: ${o.detail}`] : []));
    if (errors.length > 0) return { name, addresses, problem: { kind: 'error', detail: errors.join('; ') } };
    if (addresses.length === 0) return { name, addresses, problem: { kind: 'absent', detail: `neither A nor AAAA (${a.kind === 'nxdomain' ? 'NXDOMAIN' : 'NODATA'})` } };
    return { name, addresses };
  }

  private connection(address: string): ServerConnection {
    return shared(this.connections, address, () => this.connect(address));
  }

  private connect(address: string): ServerConnection {
    const server: ServerAddress = { host: address, port: this.options.port ?? 53, family: address.includes(':') ? 6 : 4 };
    const client = new DnsClient({
      servers: [server],
      timeoutMs: this.options.timeoutMs,
      retries: this.options.retries,
      forceTcp: this.options.forceTcp === true,
      recursionDesired: false,
      // Authoritative servers rate-limit UDP answers (RRL) but never TCP: retry a UDP timeout over TCP.
      tcpAfterUdpTimeout: true,
      // One socket is plenty for one server, and keeps file descriptors down across many servers.
      udp: { sockets: 1 },
      ...(this.options.pacer !== undefined ? { pacer: this.options.pacer } : {}),
    });
    return new ServerConnection(server, client);
  }

  // -------------------------------------------------------------------------
  // Comparisons

  /** Ask every authoritative server of `zone` the question(s) behind `what`, and reduce each answer. */
  private async compare(name: string, what: 'srv' | 'addresses', zone: string): Promise<{ comparison: Comparison; targets: string[] }> {
    name = nameKey(name);
    const state = await this.zoneState(zone);
    const targets: string[] = [];
    const answers = await Promise.all(state.authoritative.map(async ({ server, connection }) => {
      if (what === 'srv') {
        const outcome = await connection.ask({ name, type: 'SRV' });
        if (outcome.kind === 'response' && outcome.message.aa) {
          for (const r of outcome.message.answers) if (r.type === 'SRV' && nameKey(r.name) === name) targets.push(r.target);
        }
        return { server, answer: reduce(outcome, name) };
      }
      const [a, aaaa] = await Promise.all([connection.ask({ name, type: 'A' }), connection.ask({ name, type: 'AAAA' })]);
      return { server, answer: combine(reduce(a, name), reduce(aaaa, name)) };
    }));
    return { comparison: { name, what, zone, answers }, targets };
  }
}

/** A failure outcome made here (never counted in a client's stats). */
function failure(reason: FailureReason, detail: string): QueryOutcome {
  return { kind: 'failure', reason, detail, tries: 0 };
}

/**
 * The zone from a response to "SOA of `name`?": the name itself when the
 * answer holds its SOA; else, unless the name is an alias (then the authority
 * SOA belongs to the alias target's zone), the owner of the SOA in the
 * authority section of a negative answer (RFC 2308 §3) when it is at or above
 * the name.
 */
export function zoneFromSoaResponse(message: DnsMessage, name: string): string | undefined {
  const at = nameKey(name);
  if (message.answers.some((r) => r.type === 'SOA' && nameKey(r.name) === at)) return at;
  if (message.answers.some((r) => r.type === 'CNAME' && nameKey(r.name) === at)) return undefined;
  const soa = message.authorities.find((r) => r.type === 'SOA' && nameIsAtOrBelow(at, nameKey(r.name)));
  return soa === undefined ? undefined : nameKey(soa.name);
}

/** Local errors that mean "this host has no route to that address", not "the server is silent". */
const NO_ROUTE = /\b(ENETUNREACH|EADDRNOTAVAIL|EAFNOSUPPORT|ERR_SOCKET_DGRAM_NOT_RUNNING)\b/;

/** How a server answered the SOA question for its zone. */
export function classifySoa(outcome: QueryOutcome, zone: string): SoaProbe {
  if (outcome.kind === 'failure') {
    const tries = `${outcome.tries} ${outcome.tries === 1 ? 'try' : 'tries'}`;
    // No reply at all: lame or unreachable; any reply that is not an authoritative answer: lame.
    switch (outcome.reason) {
      case 'timeout':
        return { kind: 'silent', detail: `does not answer (timeout, ${tries})` };
      case 'network':
        return NO_ROUTE.test(outcome.detail)
          ? { kind: 'unreachable', detail: `not reachable from this host (${outcome.detail})` }
          : { kind: 'silent', detail: `cannot be reached (${outcome.detail})` };
      case 'malformed':
        return { kind: 'lame', detail: `answers with malformed messages (${outcome.detail})` };
      case 'servfail':
      case 'refused':
      case 'formerr':
      case 'notimp':
        return { kind: 'lame', detail: `answers ${outcome.reason.toUpperCase()} (${tries})` };
      default:
        return { kind: 'lame', detail: `answers ${outcome.detail}` };
    }
  }
  const message = outcome.message;
  const soa = message.answers.find((r): r is ResourceRecord & { type: 'SOA' } => r.type === 'SOA' && nameKey(r.name) === zone);
  if (!message.aa) {
    const referral = message.authorities.some((r) => r.type === 'NS');
    return { kind: 'lame', detail: `answers without the AA flag${referral ? ' (a referral)' : soa !== undefined ? ' (a cached or recursive answer)' : ''}` };
  }
  if (soa !== undefined) return { kind: 'authoritative', serial: soa.serial, mname: soa.mname };
  const other = message.authorities.find((r) => r.type === 'SOA');
  const elsewhere = other !== undefined && nameKey(other.name) !== zone ? `, as part of ${nameKey(other.name)}` : '';
  return { kind: 'lame', detail: `answers ${message.rcode} without the SOA of ${zone}${elsewhere}` };
}

/** A response as comparable data; anything but an authoritative NOERROR/NXDOMAIN is an error. */
export function reduce(outcome: QueryOutcome, name: string): ServerAnswer {
  if (outcome.kind === 'failure') return { kind: 'error', detail: outcome.detail };
  const message = outcome.message;
  if (!message.aa) return { kind: 'error', detail: 'answer without the AA flag' };
  const values = message.answers.flatMap((r) => {
    switch (r.type) {
      case 'SRV':
        return [`${r.priority} ${r.weight} ${r.port} ${nameKey(r.target)}`];
      case 'A':
      case 'AAAA':
        return [canonicalAddress(r.address) ?? r.address];
      case 'CNAME':
        // An alias says where the name leads; the owner tells which hop when there are several.
        return [nameKey(r.name) === name ? `CNAME ${nameKey(r.target)}` : `${nameKey(r.name)} CNAME ${nameKey(r.target)}`];
      default:
        return [];
    }
  });
  if (values.length > 0) {
    // Every query goes with DO=1: a server of a signed zone sends the RRSIGs along (src/rules/dnssec/auth-rrsig.ts).
    const signed = message.answers.some((r) => r.type === 'OTHER' && r.rrtype === 'RRSIG' && nameKey(r.name) === name);
    return signed ? { kind: 'data', values: [...new Set(values)].sort(), signed: true } : { kind: 'data', values: [...new Set(values)].sort() };
  }
  return message.rcode === 'NXDOMAIN' ? { kind: 'nxdomain' } : { kind: 'nodata' };
}

/** A target's address set from its A and AAAA answers. */
export function combine(a: ServerAnswer, aaaa: ServerAnswer): ServerAnswer {
  if (a.kind === 'error') return aaaa.kind === 'error' ? { kind: 'error', detail: `A: ${a.detail}; AAAA: ${aaaa.detail}` } : { kind: 'error', detail: `A: ${a.detail}` };
  if (aaaa.kind === 'error') return { kind: 'error', detail: `AAAA: ${aaaa.detail}` };
  const values = [...(a.kind === 'data' ? a.values : []), ...(aaaa.kind === 'data' ? aaaa.values : [])];
  if (values.length > 0) return { kind: 'data', values: [...new Set(values)].sort() };
  return a.kind === 'nxdomain' && aaaa.kind === 'nxdomain' ? { kind: 'nxdomain' } : { kind: 'nodata' };
}
