/**
 * An authoritative responder over loaded zones, as a pure function from a
 * query's octets to a response's octets (RFC 1034 §4.3.2, RFC 2308, RFC 4592,
 * RFC 6891, RFC 6672). No recursion, no zone transfers, no DNSSEC validation:
 * signed zones are served as data, with RRSIGs beside answers when DO is set.
 */
import { childKey, isAtOrBelow, makeName, nameFromWire, nameToWire, suffixKey, type DomainName } from './name.js';
import { MAX_NAME, wireLength } from '../dns/name-text.js';
import { RRType } from '../dns/rr-types.js';
import { MAX_MESSAGE, readQuery, writeResponse, type QueryEdns, type QueryHeader, type QueryQuestion, type ResponseParts, type WireRecord } from './wire.js';
import { signatureKey, type RRset, type Zone, type ZoneNode } from './zone.js';

/** How the query arrived; it sets the size limit of the response. */
export interface AnswerOptions {
  readonly transport: 'udp' | 'tcp';
}

/** RCODEs the responder sends (RFC 1035 §4.1.1, RFC 6891 §9). */
const Rcode = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5, YXDOMAIN: 6, BADVERS: 16 } as const;

/** The payload size the responder advertises and the most it sends over UDP (DNS Flag Day 2020). */
export const RESPONDER_UDP_PAYLOAD = 1232;
/** Without EDNS a UDP response may be at most 512 octets (RFC 1035 §4.2.1). */
const CLASSIC_UDP_LIMIT = 512;
/** CNAME hops followed before the answer is sent as it is. */
export const MAX_CNAME_CHAIN = 8;

/**
 * Answer one query from `zones`. Returns the response's octets, or undefined
 * when the message deserves no answer (shorter than a header, or itself a
 * response). Never throws for any input.
 *
 * - A name in no zone (or class other than IN, or AXFR/IXFR) → REFUSED.
 * - Data at the name → the RRset, AA set; ANY → every RRset at the node.
 * - CNAME at the name → the CNAME, and the chain followed while its targets are
 *   in served zones (at most {@link MAX_CNAME_CHAIN} hops, no name twice).
 * - DNAME above the name → the DNAME, a CNAME synthesised from it with its TTL,
 *   then the chain followed as for a CNAME; YXDOMAIN when the new name would
 *   be longer than 255 octets (RFC 6672 §3.2).
 * - Name exists without the type (an empty non-terminal included) → NODATA;
 *   name absent → NXDOMAIN; both with the zone's SOA in authority, TTL
 *   min(SOA TTL, MINIMUM) (RFC 2308 §3).
 * - Below a zone cut → referral: NS in authority, glue in additional, AA clear.
 * - No match but a wildcard at `*.<closest encloser>` → records synthesised at
 *   the query name (RFC 4592 §3.3).
 * - Over UDP a response larger than the asker's payload (512 without EDNS,
 *   never above {@link RESPONDER_UDP_PAYLOAD}) first loses its additional
 *   section, then comes back with TC set and no records (RFC 2181 §9).
 */
export function answer(zones: readonly Zone[], query: Uint8Array, options: AnswerOptions): Buffer | undefined {
  const reading = readQuery(query);
  if (reading.kind === 'ignore') return undefined;
  if (reading.kind === 'malformed') return error(reading.header, Rcode.FORMERR, undefined, undefined);
  const { header, question, edns } = reading;
  // RFC 1035 §4.1.1: only standard queries are implemented.
  if (header.opcode !== 0) return error(header, Rcode.NOTIMP, question, edns);
  if (reading.badOpt || reading.questionCount !== 1 || question === undefined) return error(header, Rcode.FORMERR, undefined, undefined);
  // RFC 6891 §6.1.3: only EDNS version 0 is spoken.
  if (edns !== undefined && edns.version > 0) return error(header, Rcode.BADVERS, question, edns);
  if (question.qclass !== 1 || question.type === RRType.AXFR || question.type === RRType.IXFR) {
    return error(header, Rcode.REFUSED, question, edns);
  }
  const result = resolve(zones, question, edns?.dnssecOk === true);
  const limit = options.transport === 'tcp' ? MAX_MESSAGE : udpLimit(edns);
  const parts: ResponseParts = {
    header,
    aa: result.aa,
    tc: false,
    rcode: result.rcode,
    question,
    answer: result.answer,
    authority: result.authority,
    additional: result.additional,
    edns: ourOpt(edns),
  };
  const full = writeResponse(parts);
  if (full !== undefined && full.length <= limit) return full;
  // RFC 2181 §9: additional data that does not fit is dropped without TC.
  const lean = writeResponse({ ...parts, additional: [] });
  if (lean !== undefined && lean.length <= limit) return lean;
  return writeResponse({ ...parts, tc: true, answer: [], authority: [], additional: [] });
}

function udpLimit(edns: QueryEdns | undefined): number {
  if (edns === undefined) return CLASSIC_UDP_LIMIT;
  // RFC 6891 §6.2.5: below 512 counts as 512.
  return Math.min(Math.max(edns.payload, CLASSIC_UDP_LIMIT), RESPONDER_UDP_PAYLOAD);
}

function ourOpt(edns: QueryEdns | undefined): ResponseParts['edns'] {
  return edns === undefined ? undefined : { payload: RESPONDER_UDP_PAYLOAD, dnssecOk: edns.dnssecOk };
}

function error(header: QueryHeader, rcode: number, question: QueryQuestion | undefined, edns: QueryEdns | undefined): Buffer | undefined {
  return writeResponse({ header, aa: false, tc: false, rcode, question, answer: [], authority: [], additional: [], edns: ourOpt(edns) });
}

interface Resolution {
  readonly rcode: number;
  readonly aa: boolean;
  readonly answer: WireRecord[];
  readonly authority: WireRecord[];
  readonly additional: WireRecord[];
}

/** The zone whose apex is the closest ancestor of `name` (RFC 1034 §4.3.2 step 2). */
function findZone(zones: readonly Zone[], name: DomainName): Zone | undefined {
  let best: Zone | undefined;
  for (const zone of zones) {
    if (isAtOrBelow(name, zone.origin) && (best === undefined || zone.origin.labels.length > best.origin.labels.length)) best = zone;
  }
  return best;
}

/** RFC 1034 §4.3.2 steps 2-6, restarting at each CNAME target. */
function resolve(zones: readonly Zone[], question: QueryQuestion, dnssecOk: boolean): Resolution {
  // RFC 4035 §3.1.1: RRSIGs go with the RRsets they sign only when the asker set DO.
  const signed = (zone: Zone, rrset: RRset, owner: DomainName): WireRecord[] => {
    const sigs = dnssecOk && rrset.type !== RRType.RRSIG ? zone.nodes.get(rrset.owner.key)?.rrsets.get(signatureKey(rrset.type)) : undefined;
    return sigs === undefined ? records(rrset, owner) : [...records(rrset, owner), ...records(sigs, owner)];
  };
  const first = findZone(zones, question.name);
  if (first === undefined) return { rcode: Rcode.REFUSED, aa: false, answer: [], authority: [], additional: [] };
  const answers: WireRecord[] = [];
  const visited = new Set<string>([question.name.key]);
  let zone = first;
  let name = question.name;
  for (let hop = 0; ; hop += 1) {
    const found = lookup(zone, name, question.type);
    switch (found.kind) {
      case 'referral': {
        const authority = records(found.ns, found.ns.owner);
        // RFC 4035 §3.1.4: with DO, the DS RRset of the cut, or the NSEC that proves there is none, and their RRSIGs.
        const cut = zone.nodes.get(found.ns.owner.key)?.rrsets;
        const proof = dnssecOk ? (cut?.get(RRType.DS) ?? cut?.get(RRType.NSEC)) : undefined;
        // The first answer from a delegation is not authoritative (RFC 1034 §4.3.2 step 3b).
        return { rcode: Rcode.NOERROR, aa: hop > 0, answer: answers, authority: [...authority, ...(proof === undefined ? [] : signed(zone, proof, proof.owner))], additional: addresses(zones, authority) };
      }
      case 'data': {
        for (const rrset of found.rrsets) answers.push(...signed(zone, rrset, name));
        return { rcode: Rcode.NOERROR, aa: true, answer: answers, authority: [], additional: addresses(zones, answers) };
      }
      case 'nodata':
      case 'nxdomain':
        // RFC 6604 §3: after a CNAME chain the RCODE describes its last name.
        return {
          rcode: found.kind === 'nxdomain' ? Rcode.NXDOMAIN : Rcode.NOERROR,
          aa: true,
          answer: answers,
          authority: dnssecOk ? [negativeSoa(zone), ...signed(zone, zone.soa, zone.soa.owner).slice(1).map((r) => ({ ...r, ttl: zone.negativeTtl }))] : [negativeSoa(zone)],
          additional: [],
        };
      case 'cname':
      case 'dname': {
        let target: DomainName | undefined;
        if (found.kind === 'cname') {
          answers.push(...signed(zone, found.cname, name));
          target = nameFromWire(found.cname.rdata[0]!, 0)?.name;
        } else {
          answers.push(...signed(zone, found.dname, found.dname.owner));
          const dnameTarget = nameFromWire(found.dname.rdata[0]!, 0)?.name;
          if (dnameTarget === undefined) return { rcode: Rcode.NOERROR, aa: true, answer: answers, authority: [], additional: [] };
          // RFC 6672 §2.2: the owner's labels at the end of the name are replaced by the target.
          const labels = [...name.labels.slice(0, name.labels.length - found.dname.owner.labels.length), ...dnameTarget.labels];
          if (wireLength(labels) > MAX_NAME) return { rcode: Rcode.YXDOMAIN, aa: true, answer: answers, authority: [], additional: [] };
          target = makeName(labels);
          // RFC 6672 §3.1: the synthesised CNAME is owned by the name asked, with the DNAME's TTL.
          answers.push({ owner: name, type: RRType.CNAME, ttl: found.dname.ttl, rdata: nameToWire(target) });
          // RFC 1034 §4.3.2 step 3a: a CNAME question is answered by the CNAME itself.
          if (question.type === RRType.CNAME) return { rcode: Rcode.NOERROR, aa: true, answer: answers, authority: [], additional: [] };
        }
        const next = target === undefined ? undefined : findZone(zones, target);
        // Stop at a loop, a long chain or a target we do not serve: the asker's resolver takes over.
        if (target === undefined || next === undefined || visited.has(target.key) || hop + 1 >= MAX_CNAME_CHAIN) {
          return { rcode: Rcode.NOERROR, aa: true, answer: answers, authority: [], additional: [] };
        }
        visited.add(target.key);
        zone = next;
        name = target;
      }
    }
  }
}

type Found =
  | { readonly kind: 'referral'; readonly ns: RRset }
  | { readonly kind: 'data'; readonly rrsets: readonly RRset[] }
  | { readonly kind: 'cname'; readonly cname: RRset }
  | { readonly kind: 'dname'; readonly dname: RRset }
  | { readonly kind: 'nodata' }
  | { readonly kind: 'nxdomain' };

/**
 * Types the parent answers for at a zone cut: DS (RFC 4035 §3.1.4.1) and the
 * NSEC of the cut, which belongs to the parent's chain (RFC 4035 §2.3).
 */
const PARENT_SIDE: ReadonlySet<number> = new Set([RRType.DS, RRType.NSEC]);

/** Look `name` up in one zone (RFC 1034 §4.3.2 step 3). */
function lookup(zone: Zone, name: DomainName, type: number): Found {
  const apexDepth = zone.origin.labels.length;
  // Step 3b: NS below the apex on the way down is a zone cut. DS and NSEC at
  // the cut itself belong to the parent side. A DNAME at an
  // ancestor (the apex included) redirects every name below it, and hides any
  // data there (RFC 6672 §2.4, §3.2).
  for (let depth = apexDepth; depth <= name.labels.length; depth += 1) {
    const rrsets = zone.nodes.get(suffixKey(name, depth))?.rrsets;
    const ns = depth > apexDepth ? rrsets?.get(RRType.NS) : undefined;
    if (ns !== undefined && !(depth === name.labels.length && PARENT_SIDE.has(type))) return { kind: 'referral', ns };
    const dname = depth < name.labels.length ? rrsets?.get(RRType.DNAME) : undefined;
    if (dname !== undefined) return { kind: 'dname', dname };
  }
  const node = zone.nodes.get(name.key);
  if (node !== undefined) return fromNode(node, type);
  // An empty non-terminal exists: NODATA, not NXDOMAIN (RFC 8020 §2).
  if (zone.names.has(name.key)) return { kind: 'nodata' };
  // RFC 4592 §3.3.1: only the wildcard child of the closest encloser applies.
  for (let depth = name.labels.length - 1; depth >= apexDepth; depth -= 1) {
    const key = suffixKey(name, depth);
    if (!zone.names.has(key)) continue;
    const wildcard = zone.nodes.get(childKey('*', key));
    return wildcard === undefined ? { kind: 'nxdomain' } : fromNode(wildcard, type);
  }
  return { kind: 'nxdomain' };
}

function fromNode(node: ZoneNode, type: number): Found {
  if (type === RRType.ANY) return { kind: 'data', rrsets: [...node.rrsets.values()] };
  // RRSIGs are kept per type covered (zone.ts rrsetKey); a question for RRSIG gets them all.
  if (type === RRType.RRSIG) {
    const sigs = [...node.rrsets.values()].filter((s) => s.type === RRType.RRSIG);
    if (sigs.length > 0) return { kind: 'data', rrsets: sigs };
  }
  const rrset = node.rrsets.get(type);
  if (rrset !== undefined) return { kind: 'data', rrsets: [rrset] };
  const cname = node.rrsets.get(RRType.CNAME);
  return cname === undefined ? { kind: 'nodata' } : { kind: 'cname', cname };
}

/** The RRset's records owned by `owner`: the name being answered, so wildcards and case follow the question. */
function records(rrset: RRset, owner: DomainName): WireRecord[] {
  return rrset.rdata.map((rdata) => ({ owner, type: rrset.type, ttl: rrset.ttl, rdata }));
}

/** The apex SOA for a negative answer, TTL min(SOA TTL, MINIMUM) (RFC 2308 §3, §5). */
function negativeSoa(zone: Zone): WireRecord {
  return { owner: zone.soa.owner, type: RRType.SOA, ttl: zone.negativeTtl, rdata: zone.soa.rdata[0]! };
}

/**
 * Additional section processing (RFC 1034 §4.3.2 step 6, RFC 2782): A and AAAA
 * of NS, MX and SRV targets we hold, glue below a zone cut included.
 */
function addresses(zones: readonly Zone[], from: readonly WireRecord[]): WireRecord[] {
  const out: WireRecord[] = [];
  const seen = new Set<string>();
  for (const record of from) {
    const offset = record.type === RRType.NS ? 0 : record.type === RRType.MX ? 2 : record.type === RRType.SRV ? 6 : undefined;
    if (offset === undefined) continue;
    const target = nameFromWire(record.rdata, offset)?.name;
    if (target === undefined || target.labels.length === 0 || seen.has(target.key)) continue;
    seen.add(target.key);
    const node = findZone(zones, target)?.nodes.get(target.key);
    for (const type of [RRType.A, RRType.AAAA]) {
      const rrset = node?.rrsets.get(type);
      if (rrset !== undefined) out.push(...records(rrset, rrset.owner));
    }
  }
  return out;
}
