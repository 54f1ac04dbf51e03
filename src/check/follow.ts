/**
 * Following referrals for `--no-recursion`: the configured server is an
 * authoritative one, and a name below one of its zone cuts is answered by a
 * referral (RFC 1034 §4.3.2 step 3b). A resolver would go on to the child
 * zone's servers; so does this, within bounds, instead of reading the
 * referral as "absent".
 *
 * The servers' addresses come from the glue of the referral, else from the
 * configured server itself (asked for the NS host's A and AAAA, following
 * only glue-bearing referrals, so that two zones whose servers lie in each
 * other cannot send it round in circles). Every followed server is asked on
 * `port` (default 53), with RD=0, one client per delegation.
 */
import { DnsClient } from '../dns/client.js';
import { nameKey } from '../dns/name-text.js';
import { canonicalAddress, compareAddresses } from '../dns/ip-text.js';
import { nameIsAtOrBelow } from '../dns/name-text.js';
import type { SendPacer } from '../dns/rate-limit.js';
import type { ServerAddress } from '../dns/server-address.js';
import { lookup, type QuerySource, type ReferralFollower } from '../lookup/resolve.js';
import type { Delegation } from '../lookup/types.js';
import type { Result } from '../result.js';

/** Settings of {@link DelegationFollower}. */
export interface FollowOptions {
  /** Port of the delegations' servers (default 53; tests use high ports). */
  readonly port?: number;
  readonly timeoutMs: number;
  readonly retries: number;
  readonly forceTcp?: boolean;
  /** The run's pacer (`--rate`), so that queries to child zones count against the same rate. */
  readonly pacer?: SendPacer;
  /** Delegations followed in one run at most (default {@link MAX_DELEGATIONS}). */
  readonly maxDelegations?: number;
}

/** Distinct delegations one run follows at most: each costs a client, and a hostile zone could name endless cuts. */
export const MAX_DELEGATIONS = 256;
/** Addresses of one delegation asked at most (a referral may list dozens). */
export const MAX_DELEGATION_ADDRESSES = 8;

type Followed = Result<QuerySource>;

/** The {@link ReferralFollower} of a run: one client per delegated zone, cached for the run. */
export class DelegationFollower implements ReferralFollower {
  private readonly zones = new Map<string, Promise<Followed>>();
  private readonly made: DnsClient[] = [];
  /** Follows glue only: how NS host addresses are looked up, without going round in circles. */
  private readonly glueOnly: ReferralFollower = { sourceFor: (delegation) => this.follow(delegation, false) };

  /** @param configured the run's client of the configured server(s), RD=0 */
  constructor(
    private readonly configured: QuerySource,
    private readonly options: FollowOptions,
  ) {}

  sourceFor(delegation: Delegation): Promise<Followed> {
    return this.follow(delegation, true);
  }

  /** Every client made, for the run's counters. */
  clients(): DnsClient[] {
    return [...this.made];
  }

  close(): void {
    for (const client of this.made) client.close();
  }

  private follow(delegation: Delegation, lookUpNames: boolean): Promise<Followed> {
    const key = `${lookUpNames ? 'all' : 'glue'} ${delegation.zone}`;
    let pending = this.zones.get(key);
    if (pending === undefined) {
      if (this.zones.size >= (this.options.maxDelegations ?? MAX_DELEGATIONS)) {
        return Promise.resolve({ ok: false, error: `more than ${this.options.maxDelegations ?? MAX_DELEGATIONS} delegations followed in this run` });
      }
      pending = this.connect(delegation, lookUpNames);
      this.zones.set(key, pending);
    }
    return pending;
  }

  private async connect(delegation: Delegation, lookUpNames: boolean): Promise<Followed> {
    const addresses: string[] = [];
    const problems: string[] = [];
    const add = (text: string): void => {
      const address = canonicalAddress(text);
      if (address !== undefined && !addresses.includes(address)) addresses.push(address);
    };
    for (const server of delegation.servers) for (const address of server.addresses) add(address);
    if (addresses.length === 0 && lookUpNames) {
      // RFC 1034 §4.2.2: a server inside the child zone needs glue; without it the child cannot be reached.
      const outside = delegation.servers.filter((s) => !nameIsAtOrBelow(nameKey(s.name), delegation.zone));
      for (const server of delegation.servers) if (!outside.includes(server)) problems.push(`${server.name}: inside ${delegation.zone} but without glue`);
      const found = await Promise.all(
        outside.flatMap((server) => (['A', 'AAAA'] as const).map(async (type) => ({ server, type, outcome: await lookup(this.configured, server.name, type, { recursionDesired: false, follow: this.glueOnly }) }))),
      );
      for (const { server, type, outcome } of found) {
        if (outcome.kind === 'answer') {
          for (const r of outcome.records) if (r.type === 'A' || r.type === 'AAAA') add(r.address);
        } else if (type === 'A') {
          problems.push(`${server.name}: ${outcome.kind === 'error' || outcome.kind === 'referral' ? outcome.detail : `no address (${outcome.kind.toUpperCase()})`}`);
        }
      }
    }
    if (addresses.length === 0) {
      const names = delegation.servers.map((s) => s.name).join(', ') || 'none';
      return { ok: false, error: `no address for its name servers (${names}) in the referral's glue${problems.length > 0 ? `; ${problems.join('; ')}` : ''}` };
    }
    addresses.sort(compareAddresses);
    const servers: ServerAddress[] = addresses.slice(0, MAX_DELEGATION_ADDRESSES).map((host) => ({ host, port: this.options.port ?? 53, family: host.includes(':') ? 6 : 4 }));
    const client = new DnsClient({
      servers,
      timeoutMs: this.options.timeoutMs,
      // Each retry moves to the next server: give every address of the delegation a try.
      retries: Math.max(this.options.retries, servers.length - 1),
      forceTcp: this.options.forceTcp === true,
      recursionDesired: false,
      tcpAfterUdpTimeout: true,
      udp: { sockets: 1 },
      ...(this.options.pacer !== undefined ? { pacer: this.options.pacer } : {}),
    });
    this.made.push(client);
    return { ok: true, value: client };
  }
}
