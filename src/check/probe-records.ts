/** `--probe` results in the report's `records`: each SRV target (and the RFC 6120 fallback host) gains a `tls` list, one entry per port and address. */
import { nameKey } from '../dns/name-text.js';
import type { AddressProbe, AnswerSecurity, ProbedService, ProbeObservation, ServiceProbe, TargetProbe, TrustVerdict } from '../probe/types.js';
import { daneMatchOf, daneNames, daneOutcome, daneSecurity, tlsaRecords } from '../rules/dane/rules.js';
import { tlsaMnemonic, unusableReason } from '../probe/dane.js';
import type { DomainRecords, HostRecord, ServiceRecord, TargetRecord } from './records.js';

/** One certificate of a chain, as reported. */
export interface CertificateRecord {
  readonly subject: string;
  readonly issuer: string;
  readonly notBefore: string;
  readonly notAfter: string;
  readonly fingerprint256: string;
}

/** What the probe of one target address found. */
export interface TlsRecord {
  readonly address: string;
  readonly port: number;
  /** `tls` when the handshake completed, else why not (refused, timeout, no-route, tls-error, stream-error, no-starttls, starttls-failure, …). */
  readonly result: string;
  /** Why it did not complete (absent for `tls`). */
  readonly reason?: string;
  readonly version?: string;
  readonly cipher?: string;
  readonly alpn?: string;
  /** Only TLS 1.0/1.1 or OpenSSL security level 0 worked. */
  readonly legacyOnly?: boolean;
  /** XMPP: STARTTLS was offered as required. */
  readonly starttlsRequired?: boolean;
  readonly trust?: TrustVerdict['kind'];
  /** The leaf's subject alternative names (DNS, SRV-ID, XmppAddr) and subject CN. */
  readonly names?: { readonly dns: readonly string[]; readonly srv: readonly string[]; readonly xmppAddr: readonly string[]; readonly commonName: string | null };
  /** The leaf's notAfter (ISO 8601). */
  readonly notAfter?: string;
  /** The chain as sent, leaf first. */
  readonly chain?: readonly CertificateRecord[];
}

const KEYS: Readonly<Record<Exclude<ProbedService, 'xmpp-fallback'>, keyof DomainRecords>> = { sipfed: 'sipfederationtls', 'sip-tls': 'sipTls', xmpp: 'xmppServer', xmpps: 'xmppsServer' };

/** One TLSA record of a target and which probed addresses' chains it matched. */
export interface TlsaRecordReport {
  readonly usage: number;
  readonly selector: number;
  readonly matchingType: number;
  /** The association data, lower-case hex. */
  readonly data: string;
  /** RFC 7218, e.g. `DANE-EE SPKI SHA2-256`. */
  readonly mnemonic: string;
  readonly usable: boolean;
  /** Why an unusable record was set aside (RFC 6698 §4.1). */
  readonly reason?: string;
  /** Ignored by digest algorithm agility (RFC 7671 §9): the stronger matching type of its usage and selector in the set. */
  readonly supersededBy?: string;
  /** The addresses whose chain as sent it matched. */
  readonly matched: readonly string[];
}

/** `--probe`: the TLSA lookup of one SRV target and port (RFC 7673 §3). */
export interface TlsaReport {
  /** `_<port>._tcp.<base domain>`. */
  readonly owner: string;
  /** The TLSA base domain: the target, or its securely CNAME-expanded name (RFC 7671 §7). */
  readonly baseDomain: string;
  /** The SNI of the handshakes DANE was judged on (RFC 7671 §7: the base domain, when the target is a secure alias). */
  readonly serverName: string;
  readonly port: number;
  /** answer, nodata, nxdomain, or referral / error (could not tell). */
  readonly result: string;
  readonly detail?: string;
  /** The TLSA, SRV and address answers' DNSSEC state: DANE counts only when all are secure. */
  readonly security: { readonly tlsa: AnswerSecurity; readonly srv: AnswerSecurity; readonly addresses: AnswerSecurity };
  readonly records: readonly TlsaRecordReport[];
}

/** The target record with its `tls` list (and `tlsa` lookups); a target the probe did not reach keeps none. */
export type ProbedTargetRecord = TargetRecord & { readonly tls?: readonly TlsRecord[]; readonly tlsa?: readonly TlsaReport[] };

function tlsaReport(service: ServiceProbe, target: TargetProbe): TlsaReport | undefined {
  const lookup = target.tlsa;
  if (lookup === undefined) return undefined;
  const o = lookup.outcome;
  const security = daneSecurity(service, lookup);
  const names = daneNames(service, target, lookup);
  const matches = target.addresses.map((a) => {
    const judged = daneOutcome(a).outcome;
    return [a.address, a.outcome.kind === 'tls' && judged.kind === 'tls' ? daneMatchOf(lookup, judged, names) : undefined] as const;
  });
  const serverName = target.addresses.find((a) => a.dane !== undefined)?.dane?.serverName ?? target.serverName;
  const records = tlsaRecords(lookup).map((r, i): TlsaRecordReport => {
    const reason = unusableReason(r);
    const supersededBy = matches.map(([, m]) => m?.records[i]?.supersededBy).find((s) => s !== undefined);
    return {
      usage: r.usage,
      selector: r.selector,
      matchingType: r.matchingType,
      data: r.data.toLowerCase(),
      mnemonic: tlsaMnemonic(r),
      usable: reason === undefined,
      ...(reason !== undefined ? { reason } : {}),
      ...(supersededBy !== undefined ? { supersededBy } : {}),
      matched: matches.flatMap(([address, m]) => (m?.records[i]?.matched === true ? [address] : [])),
    };
  });
  return {
    owner: lookup.owner,
    baseDomain: lookup.baseDomain,
    serverName,
    port: target.port,
    result: o.kind,
    ...(o.kind === 'error' || o.kind === 'referral' ? { detail: o.detail } : {}),
    security: { tlsa: security.tlsa, srv: security.srv, addresses: security.addresses },
    records,
  };
}

function tlsRecord(a: AddressProbe, port: number): TlsRecord {
  const o = a.outcome;
  if (o.kind !== 'tls') return { address: a.address, port, result: o.kind, reason: o.reason, ...(o.starttls !== undefined ? { starttlsRequired: o.starttls.required } : {}) };
  const leaf = o.chain[0];
  return {
    address: a.address,
    port,
    result: 'tls',
    version: o.version,
    cipher: o.cipher,
    ...(o.alpn !== undefined ? { alpn: o.alpn } : {}),
    legacyOnly: o.legacyOnly,
    ...(o.starttls !== undefined ? { starttlsRequired: o.starttls.required } : {}),
    trust: o.trust.kind,
    ...(leaf !== undefined ? { names: { dns: leaf.dnsNames, srv: leaf.srvNames, xmppAddr: leaf.xmppAddrs, commonName: leaf.commonName ?? null }, notAfter: leaf.notAfter } : {}),
    chain: o.chain.map((c) => ({ subject: c.subject, issuer: c.issuer, notBefore: c.notBefore, notAfter: c.notAfter, fingerprint256: c.fingerprint256 })),
  };
}

/** `records` with each probed target's results added. */
export function withProbeRecords(records: DomainRecords, probe: ProbeObservation | undefined): DomainRecords {
  if (probe === undefined) return records;
  const out: Record<string, unknown> = { ...records };
  const tlsOf = (service: ServiceProbe, name: string): TlsRecord[] =>
    service.targets.filter((p) => nameKey(p.target) === nameKey(name)).flatMap((p) => p.addresses.map((a) => tlsRecord(a, p.port)));
  for (const service of probe.services) {
    if (service.service === 'xmpp-fallback') {
      // The domain itself (RFC 6120 §3.2.2): its results go with the xmpp-fallback host.
      const hosts = (out.hosts as readonly HostRecord[] | undefined)?.map((h) => {
        const tls = h.role === 'xmpp-fallback' ? tlsOf(service, h.name) : [];
        return tls.length > 0 ? { ...h, tls } : h;
      });
      if (hosts !== undefined) out.hosts = hosts;
      continue;
    }
    const key = KEYS[service.service];
    const record = out[key] as ServiceRecord | null | undefined;
    if (record === null || record === undefined) continue;
    const targets = record.targets.map((t): ProbedTargetRecord => {
      const tls = tlsOf(service, t.name);
      const tlsa = service.targets.filter((p) => nameKey(p.target) === nameKey(t.name)).flatMap((p) => tlsaReport(service, p) ?? []);
      return { ...t, ...(tls.length > 0 ? { tls } : {}), ...(tlsa.length > 0 ? { tlsa } : {}) };
    });
    out[key] = { ...record, targets };
  }
  return out as unknown as DomainRecords;
}
