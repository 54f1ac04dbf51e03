/**
 * The lookups the deployment profiles need beyond the core's, asked only for
 * the profiles that use them: nothing for `federation`, the external-access
 * names for the edge profiles, Microsoft's four names for `online`, both for
 * `auto` (which decides from them).
 */
import type { Lookup } from '../lookup/cache.js';
import { isAbsent } from '../lookup/types.js';
import { isRootTarget, resolveAddresses, resolveService, srvRecords, type ServiceResolution } from '../lookup/service.js';
import { DEFAULT_PROFILE, EDGE_HOST_ROLES, type ProfileName } from '../rules/profiles/profiles.js';
import type { DomainExpectations, DomainObservation, HostResolution } from '../rules/types.js';
import type { EdgeHostRole } from '../rules/profiles/profiles.js';

/** The observation fields the profiles add. */
export type ProfileObservation = Pick<DomainObservation, 'sipTls' | 'accessEdge' | 'lyncdiscover' | 'hosts' | 'sipCname' | 'lyncdiscoverCname' | 'xmpps' | 'apex'>;

/** Profile lookups started early; `finish` adds those that depend on the core's XMPP answer. */
export interface PendingProfileLookups {
  finish(xmpp: ServiceResolution | undefined): Promise<ProfileObservation>;
}

/** A host's A record (CNAMEs followed), and AAAA only when A is absent: the same policy as SRV targets. */
export async function resolveHost(lookup: Lookup, name: string, role?: EdgeHostRole): Promise<HostResolution> {
  return { name, ...(role !== undefined ? { role } : {}), ...(await resolveAddresses(lookup, name)) };
}

const EDGE_PROFILES: readonly ProfileName[] = ['edge', 'sfb2019-edge', 'auto'];
const ONLINE_PROFILES: readonly ProfileName[] = ['online', 'auto'];

/**
 * Start the profile's own lookups now, alongside the core's. For the default
 * profile nothing is asked, so a federation check sends exactly the core's
 * queries.
 */
export function startProfileLookups(lookup: Lookup, domain: string, expectations: DomainExpectations): PendingProfileLookups {
  const profile = expectations.profile ?? DEFAULT_PROFILE;
  const edge = EDGE_PROFILES.includes(profile);
  const online = ONLINE_PROFILES.includes(profile);
  if (!edge && !online) return { finish: async () => ({}) };
  const xmppWanted = edge && expectations.xmpp !== 'off';
  const hostEntries = edge ? EDGE_HOST_ROLES.flatMap((role) => (expectations.hosts?.[role] !== undefined ? [[role, expectations.hosts[role]!] as const] : [])) : [];
  const early = Promise.all([
    resolveService(lookup, `_sip._tls.${domain}`),
    edge ? resolveHost(lookup, expectations.edge ?? `sip.${domain}`) : undefined,
    edge ? resolveHost(lookup, `lyncdiscover.${domain}`) : undefined,
    Promise.all(hostEntries.map(([role, name]) => resolveHost(lookup, name, role))),
    online ? lookup(`sip.${domain}`, 'CNAME') : undefined,
    online ? lookup(`lyncdiscover.${domain}`, 'CNAME') : undefined,
    xmppWanted ? resolveService(lookup, `_xmpps-server._tcp.${domain}`) : undefined,
  ]);
  // Awaited only in finish(), after the core's lookups: mark it handled now so that a
  // rejection meanwhile is not reported as unhandled; finish() still sees it.
  early.catch(() => undefined);
  return {
    finish: async (xmpp) => {
      const [sipTls, accessEdge, lyncdiscover, hosts, sipCname, lyncdiscoverCname, xmpps] = await early;
      // RFC 6120 §3.2.2: only without any _xmpp-server._tcp answer do servers fall back to D itself.
      const absent = xmpp !== undefined && isAbsent(xmpp.srv);
      // Direct-TLS records (XEP-0368) make the fallback moot as well.
      const direct = xmpps !== undefined && srvRecords(xmpps.srv).some((r) => !isRootTarget(r.target));
      const fallback = xmppWanted && expectations.xmpp === 'optional' && absent && !direct;
      const apex = fallback ? await resolveHost(lookup, domain) : undefined;
      return {
        sipTls,
        ...(accessEdge !== undefined ? { accessEdge } : {}),
        ...(lyncdiscover !== undefined ? { lyncdiscover } : {}),
        ...(edge ? { hosts } : {}),
        ...(sipCname !== undefined ? { sipCname } : {}),
        ...(lyncdiscoverCname !== undefined ? { lyncdiscoverCname } : {}),
        ...(xmpps !== undefined ? { xmpps } : {}),
        ...(apex !== undefined ? { apex } : {}),
      };
    },
  };
}
