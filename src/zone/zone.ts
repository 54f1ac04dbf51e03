/**
 * The in-memory zone: RRsets indexed by owner, plus the set of names that
 * exist (owners and the empty non-terminals above them), which is what the
 * responder needs to tell NODATA from NXDOMAIN (RFC 8020 §2, RFC 4592 §2.2.2).
 */
import { childKey, isAtOrBelow, type DomainName } from './name.js';
import { RRType } from '../dns/rr-types.js';
import { typeName } from './types.js';

/** All records of one owner, type and class IN, with one TTL (RFC 2181 §5). */
export interface RRset {
  readonly owner: DomainName;
  readonly type: number;
  readonly ttl: number;
  /** Each record's RDATA in uncompressed wire form (RFC 1035 §3.3, RFC 3597 §4). */
  readonly rdata: readonly Buffer[];
}

/** One owner name with data. */
export interface ZoneNode {
  readonly name: DomainName;
  /**
   * RRsets by {@link rrsetKey}, in the order their first record appeared:
   * the type number, except that RRSIGs are kept apart per type covered.
   */
  readonly rrsets: ReadonlyMap<number, RRset>;
}

/**
 * The key of a record's RRset in {@link ZoneNode.rrsets}: its type, or for an
 * RRSIG 65536 + the type it covers, because each RRSIG takes the TTL of the
 * RRset it signs (RFC 4034 §3) and signatures of RRsets with different TTLs
 * at one name are not one RRset with one TTL.
 */
export function rrsetKey(type: number, rdata: Buffer): number {
  return type === RRType.RRSIG && rdata.length >= 2 ? 0x10000 + rdata.readUInt16BE(0) : type;
}

/** The key of the RRSIGs covering `type` (see {@link rrsetKey}). */
export function signatureKey(type: number): number {
  return 0x10000 + type;
}

/** A loaded zone (class IN), immutable once built. */
export interface Zone {
  /** The apex. */
  readonly origin: DomainName;
  /** The file it came from, as given to the parser (for messages). */
  readonly fileName: string;
  /** The apex SOA RRset (exactly one record). */
  readonly soa: RRset;
  /** TTL of the SOA in negative answers: min(SOA TTL, SOA MINIMUM) (RFC 2308 §3, §5). */
  readonly negativeTtl: number;
  /** Nodes with data, by {@link DomainName.key}. Names below zone cuts (glue) are included. */
  readonly nodes: ReadonlyMap<string, ZoneNode>;
  /** Keys of every name that exists: owners and the empty non-terminals between them and the apex. */
  readonly names: ReadonlySet<string>;
  /** Number of records (after dropping exact duplicates). */
  readonly recordCount: number;
}

/** One record of a zone, flattened, for listing and tests. */
export interface ZoneRecord {
  readonly owner: DomainName;
  readonly type: number;
  readonly ttl: number;
  readonly rdata: Buffer;
}

/** Every record of the zone, in file order of their RRsets. */
export function zoneRecords(zone: Zone): ZoneRecord[] {
  const out: ZoneRecord[] = [];
  for (const node of zone.nodes.values()) {
    for (const rrset of node.rrsets.values()) {
      for (const rdata of rrset.rdata) out.push({ owner: rrset.owner, type: rrset.type, ttl: rrset.ttl, rdata });
    }
  }
  return out;
}

interface MutableRRset {
  owner: DomainName;
  type: number;
  ttl: number;
  rdata: Buffer[];
  /** Line of the first record, for conflict messages. */
  line: number;
}

/** What adding one record did: nothing to say, a warning, or an error that stops the load. */
export type AddOutcome = { readonly kind: 'added' } | { readonly kind: 'warning'; readonly message: string } | { readonly kind: 'error'; readonly message: string };

// RRSIG and NSEC may sit beside a CNAME (RFC 4035 §2.5, RFC 2181 §10.1).
const CNAME_COMPANIONS: ReadonlySet<number> = new Set([RRType.RRSIG, RRType.NSEC]);

/** Collects records, enforcing the rules that involve more than one record. */
export class ZoneBuilder {
  private readonly nodes = new Map<string, { name: DomainName; rrsets: Map<number, MutableRRset> }>();
  private count = 0;

  constructor(readonly origin: DomainName) {}

  /** Add one record read at `line`. */
  add(owner: DomainName, type: number, ttl: number, rdata: Buffer, line: number): AddOutcome {
    if (!isAtOrBelow(owner, this.origin)) {
      return { kind: 'error', message: `${owner.text} is outside the zone ${this.origin.text}` };
    }
    if (type === RRType.SOA && owner.key !== this.origin.key) {
      return { kind: 'error', message: `SOA record at ${owner.text}, which is not the zone apex ${this.origin.text} (RFC 1035 §5.2)` };
    }
    let node = this.nodes.get(owner.key);
    if (node === undefined) {
      node = { name: owner, rrsets: new Map() };
      this.nodes.set(owner.key, node);
    }
    const key = rrsetKey(type, rdata);
    const existing = node.rrsets.get(key);
    if (type === RRType.CNAME) {
      for (const other of node.rrsets.values()) {
        if (other.type !== RRType.CNAME && !CNAME_COMPANIONS.has(other.type)) {
          return { kind: 'error', message: `CNAME and other data at ${owner.text} (${typeName(other.type)} at line ${other.line}; RFC 1034 §3.6.2)` };
        }
      }
    } else if (!CNAME_COMPANIONS.has(type)) {
      const cname = node.rrsets.get(RRType.CNAME);
      if (cname !== undefined) {
        return { kind: 'error', message: `CNAME and other data at ${owner.text} (CNAME at line ${cname.line}; RFC 1034 §3.6.2)` };
      }
    }
    if (existing === undefined) {
      node.rrsets.set(key, { owner, type, ttl, rdata: [rdata], line });
      this.count += 1;
      return { kind: 'added' };
    }
    if (existing.rdata.some((r) => r.equals(rdata))) {
      // RFC 2181 §5: an RRset holds no duplicates; the copy is dropped.
      return { kind: 'warning', message: `duplicate ${typeName(type)} record at ${owner.text} ignored` };
    }
    if (type === RRType.CNAME) {
      return { kind: 'error', message: `second CNAME at ${owner.text} (first at line ${existing.line}; RFC 2181 §10.1)` };
    }
    if (type === RRType.DNAME) {
      return { kind: 'error', message: `second DNAME at ${owner.text} (first at line ${existing.line}; one DNAME per owner, RFC 6672 §2.4)` };
    }
    if (type === RRType.SOA) {
      return { kind: 'error', message: `second SOA record at ${owner.text} (first at line ${existing.line}; RFC 1035 §5.2)` };
    }
    existing.rdata.push(rdata);
    this.count += 1;
    if (ttl !== existing.ttl) {
      // RFC 2181 §5.2: one TTL per RRset. Like BIND, keep the first one.
      return { kind: 'warning', message: `TTL ${ttl} differs from the ${typeName(type)} RRset's TTL ${existing.ttl} at ${owner.text}; using ${existing.ttl} (RFC 2181 §5.2)` };
    }
    return { kind: 'added' };
  }

  /** True once the apex has its SOA. */
  get hasSoa(): boolean {
    return this.nodes.get(this.origin.key)?.rrsets.has(RRType.SOA) === true;
  }

  /** Freeze into a {@link Zone}. The caller has checked {@link hasSoa}. */
  build(fileName: string): Zone {
    const nodes = new Map<string, ZoneNode>();
    const names = new Set<string>([this.origin.key]);
    for (const [key, node] of this.nodes) {
      nodes.set(key, { name: node.name, rrsets: new Map([...node.rrsets].map(([t, s]) => [t, { owner: s.owner, type: s.type, ttl: s.ttl, rdata: [...s.rdata] }])) });
      // Every ancestor up to the apex exists, with data or as an empty non-terminal (RFC 8020 §2).
      let parentKey = this.origin.key;
      const depth = node.name.labels.length - this.origin.labels.length;
      for (let i = depth - 1; i >= 0; i -= 1) {
        parentKey = childKey(node.name.labels[i]!, parentKey);
        names.add(parentKey);
      }
    }
    const soa = nodes.get(this.origin.key)?.rrsets.get(RRType.SOA);
    if (soa === undefined) throw new Error('ZoneBuilder.build called without an apex SOA');
    return { origin: this.origin, fileName, soa, negativeTtl: Math.min(soa.ttl, soaMinimum(soa.rdata[0]!)), nodes, names, recordCount: this.count };
  }
}

/** The MINIMUM of well-formed SOA RDATA: its last 32-bit field (RFC 1035 §3.3.13). */
export function soaMinimum(rdata: Buffer): number {
  return rdata.readUInt32BE(rdata.length - 4);
}
