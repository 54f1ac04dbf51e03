/** `--probe` results in the report's `records`: each SRV target (and the RFC 6120 fallback host) gains a `tls` list, one entry per port and address. */
import type { AddressProbe, ProbedService, ProbeObservation, ServiceProbe, TrustVerdict } from '../probe/types.js';
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

/** The target record with its `tls` list; a target the probe did not reach keeps none. */
export type ProbedTargetRecord = TargetRecord & { readonly tls?: readonly TlsRecord[] };

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
    service.targets.filter((p) => p.target.toLowerCase() === name.replace(/\.$/, '').toLowerCase()).flatMap((p) => p.addresses.map((a) => tlsRecord(a, p.port)));
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
      return tls.length > 0 ? { ...t, tls } : t;
    });
    out[key] = { ...record, targets };
  }
  return out as unknown as DomainRecords;
}
