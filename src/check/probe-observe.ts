/**
 * `--probe`: after a domain's SRV targets and their addresses are known,
 * connect to every target on its SRV port at every address — A and AAAA each
 * on its own, no Happy Eyeballs — the way a federation partner would.
 * AAAA is asked here when the DNS checks did not need it (A answered).
 */
import type { Lookup } from '../lookup/cache.js';
import { addressRecords, isRootTarget, srvRecords, type ServiceResolution, type TargetResolution } from '../lookup/service.js';
import { combineDnssec, outcomeDnssec } from '../lookup/dnssec.js';
import { lookupTlsaRecords } from '../lookup/tlsa.js';
import type { LookupOutcome } from '../lookup/types.js';
import type { Prober } from '../probe/prober.js';
import type { AddressProbe, ProbedService, ProbeMode, ProbeObservation, ServiceProbe, TargetProbe, TlsaLookup } from '../probe/types.js';
import type { DomainExpectations, DomainObservation } from '../rules/types.js';
import { nameKey } from '../dns/name-text.js';

/** The port of the RFC 6120 §3.2.2 fallback (the domain itself, no SRV). */
const XMPP_FALLBACK_PORT = 5269;

/** Profiles whose `_sip._tls` targets are the Access Edge, probed like the federation targets. */
const EDGE_PROFILES = new Set(['edge', 'sfb2019-edge', 'auto']);

function addressesOf(outcome: LookupOutcome | undefined, type: 'A' | 'AAAA'): string[] {
  return addressRecords(outcome).flatMap((r) => (r.type === type ? [r.address] : []));
}

async function probeTarget(
  prober: Prober,
  lookup: Lookup,
  domain: string,
  mode: ProbeMode,
  resolution: TargetResolution | undefined,
  target: string,
  port: number,
  dane: boolean,
  srvSecure = false,
): Promise<TargetProbe> {
  const serverName = mode === 'tls' ? target : domain;
  if (resolution === undefined) return { target, port, serverName, addresses: [], addressError: 'its addresses were not looked up' };
  if (resolution.a.kind === 'error') return { target, port, serverName, addresses: [], addressError: resolution.a.detail };
  const aaaa = resolution.aaaa ?? (await lookup(target, 'AAAA'));
  const endpoints = [...addressesOf(resolution.a, 'A').map((a) => [a, 4] as const), ...addressesOf(aaaa, 'AAAA').map((a) => [a, 6] as const)];
  // RFC 7673 §3: the TLSA base domain is the SRV target and its port, not the domain.
  const tlsa = dane && endpoints.length > 0 ? lookupTlsa(lookup, target, port, [resolution.a, aaaa]) : undefined;
  const probed = Promise.all(
    endpoints.map(async ([address, family]): Promise<AddressProbe> => ({
      address,
      family,
      outcome: await prober.probe({ mode, address, port, serverName, ...(mode !== 'tls' ? { streamTo: domain } : {}) }),
    })),
  );
  const [addresses, tlsaLookup] = await Promise.all([probed, tlsa]);
  const daneName = tlsaLookup !== undefined && srvSecure ? daneServerName(mode, serverName, tlsaLookup) : undefined;
  if (daneName === undefined || tlsaLookup === undefined) return { target, port, serverName, addresses, ...(tlsaLookup !== undefined ? { tlsa: tlsaLookup } : {}) };
  // RFC 7671 §7: DANE partners send the TLSA base domain (the expanded name) as SNI; the server may
  // answer it with another certificate, so DANE is judged on a handshake of its own (the prober
  // asks each endpoint once per SNI).
  const withDane = await Promise.all(
    addresses.map(async (a): Promise<AddressProbe> => ({ ...a, dane: { serverName: daneName, outcome: await prober.probe({ mode, address: a.address, port, serverName: daneName }) } })),
  );
  return { target, port, serverName, addresses: withDane, tlsa: tlsaLookup };
}

/**
 * The SNI a DANE client sends when it is not the one already sent: the TLSA
 * base domain, when that is a secure alias's expanded name holding TLSA
 * records and every answer is DNSSEC-secure (RFC 7671 §7: the name that
 * results from a secure CNAME expansion is the SNI HostName). Only for SIP
 * over TLS, whose SNI is the SRV target; XMPP sends the domain (RFC 6120
 * §13.7.2.1), which the expansion of the target does not change.
 */
function daneServerName(mode: ProbeMode, serverName: string, tlsa: TlsaLookup): string | undefined {
  // Insecure answers: DANE partners do not use the records (RFC 7673 §3), so nothing changes for them.
  if (mode !== 'tls' || tlsa.outcome.kind !== 'answer' || tlsa.security !== 'secure' || tlsa.addressSecurity !== 'secure') return undefined;
  return nameKey(tlsa.baseDomain) !== nameKey(serverName) ? tlsa.baseDomain : undefined;
}

async function lookupTlsa(lookup: Lookup, target: string, port: number, addressAnswers: readonly (LookupOutcome | undefined)[]): Promise<TlsaLookup> {
  // RFC 7671 §7: a securely CNAME-expanded target is asked first (src/lookup/tlsa.ts).
  const { owner, outcome, baseDomain, expandedName } = await lookupTlsaRecords(lookup, target, port, addressAnswers);
  // RFC 7673 §3: the TLSA records count only when the address answers are secure too (the weakest decides).
  const addressSecurity = combineDnssec(addressAnswers.flatMap((o) => (o !== undefined ? [outcomeDnssec(o)] : [])));
  return { owner, baseDomain, ...(expandedName !== undefined ? { expandedName } : {}), outcome, security: outcomeDnssec(outcome), addressSecurity };
}

async function probeService(prober: Prober, lookup: Lookup, domain: string, service: ProbedService, mode: ProbeMode, resolution: ServiceResolution): Promise<ServiceProbe> {
  const pairs: { target: string; port: number }[] = [];
  for (const record of srvRecords(resolution.srv)) {
    if (isRootTarget(record.target)) continue;
    const target = record.target.replace(/\.$/, '');
    if (!pairs.some((p) => nameKey(p.target) === nameKey(target) && p.port === record.port)) pairs.push({ target, port: record.port });
  }
  const byName = (name: string): TargetResolution | undefined => resolution.targets.find((t) => nameKey(t.target) === nameKey(name));
  const srvSecurity = outcomeDnssec(resolution.srv);
  const targets = await Promise.all(pairs.map((p) => probeTarget(prober, lookup, domain, mode, byName(p.target), p.target, p.port, true, srvSecurity === 'secure')));
  return { service, owner: resolution.owner, mode, srvSecurity, targets };
}

/** Probe every SRV target of an observed domain. */
export async function observeProbes(prober: Prober, lookup: Lookup, observation: DomainObservation, expectations: DomainExpectations): Promise<ProbeObservation> {
  const at = prober.now().toISOString();
  const jobs: Promise<ServiceProbe>[] = [probeService(prober, lookup, observation.domain, 'sipfed', 'tls', observation.sipfed)];
  if (observation.sipTls !== undefined && EDGE_PROFILES.has(expectations.profile ?? 'federation')) {
    jobs.push(probeService(prober, lookup, observation.domain, 'sip-tls', 'tls', observation.sipTls));
  }
  if (observation.xmpp !== undefined) jobs.push(probeService(prober, lookup, observation.domain, 'xmpp', 'xmpp-starttls', observation.xmpp));
  if (observation.xmpps !== undefined) jobs.push(probeService(prober, lookup, observation.domain, 'xmpps', 'xmpps', observation.xmpps));
  if (observation.apex !== undefined) {
    // RFC 6120 §3.2.2: without any _xmpp-server._tcp answer, partners connect to D itself on 5269.
    const apex = observation.apex;
    const resolution: TargetResolution = { target: apex.name, a: apex.a, aaaa: apex.aaaa };
    jobs.push(
      probeTarget(prober, lookup, observation.domain, 'xmpp-starttls', resolution, apex.name, XMPP_FALLBACK_PORT, false).then(
        // No SRV answer names this target, so none can vouch for it (and no TLSA is asked of it).
        (target): ServiceProbe => ({ service: 'xmpp-fallback', owner: observation.domain, mode: 'xmpp-starttls', srvSecurity: 'insecure', targets: [target] }),
      ),
    );
  }
  const services = (await Promise.all(jobs)).filter((s) => s.targets.length > 0);
  return { at, expiryWarnDays: prober.expiryWarnDays, services };
}
