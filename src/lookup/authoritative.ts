/**
 * What authoritative mode learns from a zone's own name servers, as plain
 * data: the rules in `src/rules/operations.ts` are pure functions of it, and
 * the engine that fills it in is `src/check/authoritative.ts`.
 */

/** One authoritative server as asked: an address, and the NS host names of the zone that lead to it. */
export interface AuthServer {
  /** NS host names (sorted, lower case) whose A or AAAA records include this address. */
  readonly names: readonly string[];
  /** Where it was asked: "192.0.2.53:53" or "[2001:db8::53]:53". */
  readonly address: string;
}

/**
 * What one server said to "SOA of the zone?" with RD=0.
 * - `authoritative`: AA set and the zone's SOA in the answer.
 * - `lame`: it answered, but not as an authoritative server for the zone
 *   (REFUSED, SERVFAIL, AA clear, another zone's SOA, NXDOMAIN, a malformed reply).
 * - `silent`: no answer at all (timeout, or a network error): lame or
 *   unreachable from here, which one cannot be told from one vantage point.
 */
export type SoaProbe =
  | { readonly kind: 'authoritative'; readonly serial: number; readonly mname: string }
  | { readonly kind: 'lame'; readonly detail: string }
  | { readonly kind: 'silent'; readonly detail: string }
  /**
   * This host cannot send to the address at all (no route for its family:
   * ENETUNREACH and the like, typically IPv6 on an IPv4-only monitoring host).
   * Says nothing about the server; another address of the same name server
   * decides, and only when none answers is the name server unknown.
   */
  | { readonly kind: 'unreachable'; readonly detail: string };

/** One server of a zone and its SOA probe. */
export interface ServerProbe {
  readonly server: AuthServer;
  readonly soa: SoaProbe;
}

/** One NS host of a zone and the addresses the resolver gave for it. */
export interface NameserverHost {
  /** Lower case, no trailing dot. */
  readonly name: string;
  /** Canonical text, IPv4 first. */
  readonly addresses: readonly string[];
  /**
   * Why there is no address to ask: `absent` when the resolver says the host
   * has neither A nor AAAA (a positive answer), `error` when it could not tell.
   * Also set, as `error`, when one family could not be looked up though the other was found.
   */
  readonly problem?: { readonly kind: 'absent' | 'error'; readonly detail: string };
}

/** One zone that holds a name the checks ask about, and its servers. */
export interface ZoneObservation {
  /** The zone apex, lower case, no trailing dot ("." for the root). */
  readonly zone: string;
  /** Set when the zone's NS set could not be learnt; then there are no servers. */
  readonly error?: string;
  readonly nameservers: readonly NameserverHost[];
  /** One entry per distinct address, sorted by NS name, IPv4 before IPv6. */
  readonly servers: readonly ServerProbe[];
  /** The server whose answers the rules judged: the first that answered the SOA authoritatively. */
  readonly view?: AuthServer;
}

/** What one server answered to one question, reduced for comparison. */
export type ServerAnswer =
  /** Records in the answer section, as sorted canonical text ("0 100 5061 sip.contoso.com", "192.0.2.10", "CNAME edge.contoso.com"). */
  | {
      readonly kind: 'data';
      readonly values: readonly string[];
      /** Asked with DO=1, the answer held RRSIGs owned by the name (RFC 4035 §3.1.1); absent when it held none. */
      readonly signed?: true;
    }
  | { readonly kind: 'nxdomain' }
  | { readonly kind: 'nodata' }
  /** No authoritative answer to compare: a timeout, an error RCODE, AA clear. */
  | { readonly kind: 'error'; readonly detail: string };

/** What every authoritative server of a zone said about one name: an SRV owner's SRV RRset, or a target's address set (A and AAAA). */
export interface Comparison {
  readonly name: string;
  readonly what: 'srv' | 'addresses';
  readonly zone: string;
  /** One per server that answered the zone's SOA authoritatively, in the zone's server order. */
  readonly answers: readonly { readonly server: AuthServer; readonly answer: ServerAnswer }[];
}

/** Everything authoritative mode learnt for one SIP domain. */
export interface AuthoritativeObservation {
  /** Every zone holding a name that was asked (SRV owners, their targets), in order of first use. */
  readonly zones: readonly ZoneObservation[];
  readonly comparisons: readonly Comparison[];
  /** Names whose zone could not be found through the resolver. */
  readonly zoneErrors: readonly { readonly name: string; readonly detail: string }[];
}

/** "ns1.contoso.com (192.0.2.53:53)"; several names that share the address are joined with "/". */
export function serverLabel(server: AuthServer): string {
  return `${server.names.join('/')} (${server.address})`;
}

/** An answer as a phrase: the values, "NXDOMAIN", "no records (NODATA)". */
export function describeAnswer(answer: ServerAnswer): string {
  switch (answer.kind) {
    case 'data':
      return answer.values.join(', ');
    case 'nxdomain':
      return 'NXDOMAIN (the name does not exist)';
    case 'nodata':
      return 'no records (NODATA)';
    case 'error':
      return `no usable answer (${answer.detail})`;
  }
}

/** A key equal for equal answers (errors never compare equal to anything). */
export function answerKey(answer: ServerAnswer): string | undefined {
  switch (answer.kind) {
    case 'data':
      return `data ${answer.values.join('|')}`;
    case 'error':
      return undefined;
    default:
      return answer.kind;
  }
}
