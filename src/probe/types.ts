/**
 * Typed outcomes of the TLS probe (`--probe`): what one connection to one SRV
 * target address found. Network faults are values, never exceptions.
 */
import type { DnssecState } from '../lookup/dnssec.js';
import type { LookupOutcome } from '../lookup/types.js';

/** How the probe talks to the endpoint. */
export type ProbeMode =
  /** Direct TLS on connect (SIP on 5061 / 443). */
  | 'tls'
  /** XMPP server-to-server stream, then STARTTLS (RFC 6120 §5.4). */
  | 'xmpp-starttls'
  /** XMPP direct TLS with ALPN `xmpp-server` (XEP-0368). */
  | 'xmpps';

/** One certificate of a chain, reduced to what rules and reports use. */
export interface CertificateSummary {
  readonly subject: string;
  readonly issuer: string;
  readonly serialNumber: string;
  /** ISO 8601 times (UTC). */
  readonly notBefore: string;
  readonly notAfter: string;
  readonly fingerprint256: string;
  /** A CA certificate (basicConstraints CA:TRUE). */
  readonly ca: boolean;
  /** The subject's common name, if any (never used for name matching: RFC 9525 §6.3). */
  readonly commonName?: string;
  /** subjectAltName dNSName entries, lower case. */
  readonly dnsNames: readonly string[];
  /** subjectAltName SRVName otherName entries (RFC 4985), e.g. `_xmpp-server.example.com`. */
  readonly srvNames: readonly string[];
  /** subjectAltName id-on-xmppAddr otherName entries (RFC 6120 §13.7.1.4). */
  readonly xmppAddrs: readonly string[];
}

/**
 * Whether the chain as sent leads to a trust anchor (system roots plus
 * `--ca`), and if not, why: the leaf signed itself; the top of the chain as
 * sent is the leaf and its issuer is nowhere (a missing intermediate); a CA
 * certificate at the top of the chain as sent (or a root that was sent) is
 * not trusted (an unknown CA); a signature does not verify; or a certificate
 * on the path to the anchor is outside its validity period.
 */
export type TrustVerdict =
  | { readonly kind: 'trusted'; readonly anchor: string }
  | { readonly kind: 'self-signed' }
  | { readonly kind: 'missing-intermediate'; readonly issuer: string }
  | { readonly kind: 'unknown-ca'; readonly issuer: string }
  | { readonly kind: 'bad-signature'; readonly subject: string }
  | { readonly kind: 'expired'; readonly subject: string; readonly notAfter: string }
  | { readonly kind: 'not-yet-valid'; readonly subject: string; readonly notBefore: string };

/** What the XMPP stream said before TLS (STARTTLS mode only). */
export interface StarttlsNegotiation {
  /** `<required/>` was inside `<starttls/>`. */
  readonly required: boolean;
}

/** A completed handshake. */
export interface TlsOutcome {
  readonly kind: 'tls';
  /** `getProtocol()`: TLSv1.3, TLSv1.2, TLSv1.1, TLSv1. */
  readonly version: string;
  readonly cipher: string;
  /** The ALPN protocol the server chose, if any. */
  readonly alpn?: string;
  /** Only a legacy handshake (TLS 1.0 / 1.1, security level 0) succeeded; the normal one failed with `modernError`. */
  readonly legacyOnly: boolean;
  readonly modernError?: string;
  /** Leaf first, exactly as the server sent it. */
  readonly chain: readonly CertificateSummary[];
  /** Certificates on the path from the leaf to the anchor (leaf first), as validated; the chain as sent when no path was found. */
  readonly path: readonly CertificateSummary[];
  readonly trust: TrustVerdict;
  readonly starttls?: StarttlsNegotiation;
  /**
   * The server sent its certificate and then ended the handshake (why, from its alert): an edge
   * doing mutual TLS on 5061 asks for a client certificate, which the probe does not have.
   * Everything above still describes the server's side.
   */
  readonly endedAfterCertificate?: string;
  /** The DER of `chain` and of `path`, for DANE matching (src/probe/dane.ts); never reported as such. */
  readonly der?: { readonly chain: readonly Uint8Array[]; readonly path: readonly Uint8Array[] };
}

/** Why a probe did not complete a handshake. */
export type ProbeFailureKind =
  /** TCP connection refused (RST). */
  | 'refused'
  /** No answer within the probe timeout; `phase` says how far it got. */
  | 'timeout'
  /** No route from this host (e.g. IPv6 on an IPv4-only host): not evidence about the endpoint. */
  | 'no-route'
  /** The TCP connection failed otherwise (reset, closed). */
  | 'connect-error'
  /** The TLS handshake failed (alert, not TLS at all, closed). */
  | 'tls-error'
  /** XMPP: the server sent `<stream:error>`; `condition` says which. */
  | 'stream-error'
  /** XMPP: the features offer no `<starttls/>`. */
  | 'no-starttls'
  /** XMPP: the server answered `<starttls/>` with `<failure/>`. */
  | 'starttls-failure'
  /** XMPP: not a well-formed stream, or too much before TLS. */
  | 'protocol-error';

/** A probe that did not complete a handshake. */
export interface ProbeFailure {
  readonly kind: ProbeFailureKind;
  /** One line saying what happened. */
  readonly reason: string;
  /** For `timeout`: connecting, the XMPP stream, or the TLS handshake. */
  readonly phase?: 'connect' | 'stream' | 'tls';
  /** For `stream-error`: the defined condition, e.g. `host-unknown`. */
  readonly condition?: string;
  /** XMPP: the features did offer STARTTLS (the failure came later). */
  readonly starttls?: StarttlsNegotiation;
}

/** What one probe of one address found. */
export type ProbeOutcome = TlsOutcome | ProbeFailure;

/** One endpoint to probe. */
export interface ProbeTarget {
  readonly mode: ProbeMode;
  readonly address: string;
  readonly port: number;
  /** SNI (and the XMPP stream's `to`, which is the domain). */
  readonly serverName: string;
  /** XMPP: the domain the stream is to. */
  readonly streamTo?: string;
}

/** Which SRV service a probed target came from. */
/** `xmpp-fallback`: the domain itself on 5269, when it has no `_xmpp-server._tcp` answer (RFC 6120 §3.2.2). */
export type ProbedService = 'sipfed' | 'sip-tls' | 'xmpp' | 'xmpps' | 'xmpp-fallback';

/** One address of a target and what its probe found. */
export interface AddressProbe {
  readonly address: string;
  readonly family: 4 | 6;
  /** The handshake with the target's own SNI ({@link TargetProbe.serverName}): what PKIX partners see. */
  readonly outcome: ProbeOutcome;
  /**
   * The handshake DANE partners make when the TLSA base domain is not that SNI (a target that is a
   * secure alias with TLSA records at its expanded name): RFC 7671 §7 has them send the base domain
   * as SNI, and a server may choose its certificate by SNI. Absent when the SNI is the same.
   */
  readonly dane?: { readonly serverName: string; readonly outcome: ProbeOutcome };
}

/** One SRV target on one port, and each of its addresses. */
export interface TargetProbe {
  readonly target: string;
  readonly port: number;
  /** The SNI sent: the target for SIP, the domain for XMPP. */
  readonly serverName: string;
  readonly addresses: readonly AddressProbe[];
  /** When the target's addresses could not be looked up (nothing was probed): why. */
  readonly addressError?: string;
  /** The TLSA lookup at `_<port>._tcp.<target>` (RFC 7673 §3), for SRV targets with addresses. */
  readonly tlsa?: TlsaLookup;
}

/** DNSSEC state of an answer as DANE needs it (RFC 7673 §3): src/lookup/dnssec.ts's. */
export type AnswerSecurity = DnssecState;

/** A target's TLSA lookup and the security of everything DANE depends on. */
export interface TlsaLookup {
  /** `_<port>._tcp.<target>`, or `_<port>._tcp.<expanded name>` for a target that is a secure alias (RFC 7671 §7, src/lookup/tlsa.ts). */
  readonly owner: string;
  /** The TLSA base domain of `owner`: the target, or its securely expanded name (RFC 7671 §7: the SNI and primary reference identifier for DANE). */
  readonly baseDomain: string;
  /** The target's securely expanded name, when it is a secure alias (whether or not its TLSA records were found there). */
  readonly expandedName?: string;
  readonly outcome: LookupOutcome;
  /** The TLSA answer itself. */
  readonly security: AnswerSecurity;
  /** The target's address answers (A, and AAAA when asked): DANE applies only when they are secure too (RFC 7673 §3). */
  readonly addressSecurity: AnswerSecurity;
}

/** The probes of one SRV owner's targets. */
export interface ServiceProbe {
  readonly service: ProbedService;
  /** The SRV owner, e.g. `_sipfederationtls._tcp.contoso.com`. */
  readonly owner: string;
  readonly mode: ProbeMode;
  /**
   * The SRV answer's DNSSEC state: `secure` when the resolver set AD on it
   * (RFC 7673 lets XMPP peers accept the target's name then, and DANE needs it).
   */
  readonly srvSecurity: AnswerSecurity;
  readonly targets: readonly TargetProbe[];
}

/** Everything `--probe` found for one domain. */
export interface ProbeObservation {
  /** When the certificates are judged (ISO 8601). */
  readonly at: string;
  /** `--expiry-warn`. */
  readonly expiryWarnDays: number;
  readonly services: readonly ServiceProbe[];
}
