/** Record type numbers the zone engine names (IANA "Resource Record (RR) TYPEs"). */
export const RRType = {
  A: 1,
  NS: 2,
  CNAME: 5,
  SOA: 6,
  PTR: 12,
  HINFO: 13,
  MX: 15,
  TXT: 16,
  RP: 17,
  AFSDB: 18,
  AAAA: 28,
  LOC: 29,
  SRV: 33,
  NAPTR: 35,
  CERT: 37,
  DNAME: 39,
  OPT: 41,
  DS: 43,
  SSHFP: 44,
  IPSECKEY: 45,
  RRSIG: 46,
  NSEC: 47,
  DNSKEY: 48,
  DHCID: 49,
  NSEC3: 50,
  NSEC3PARAM: 51,
  TLSA: 52,
  SMIMEA: 53,
  CDS: 59,
  CDNSKEY: 60,
  OPENPGPKEY: 61,
  CSYNC: 62,
  ZONEMD: 63,
  SVCB: 64,
  HTTPS: 65,
  SPF: 99,
  TKEY: 249,
  TSIG: 250,
  IXFR: 251,
  AXFR: 252,
  MAILB: 253,
  MAILA: 254,
  ANY: 255,
  URI: 256,
  CAA: 257,
} as const;

const BY_NUMBER = new Map<number, string>(Object.entries(RRType).map(([name, value]) => [value, name]));

/** The mnemonic of a type number, or `TYPEnnn` (RFC 3597 §5) when it has none here. */
export function typeName(type: number): string {
  return BY_NUMBER.get(type) ?? `TYPE${type}`;
}

/** The number of a mnemonic or `TYPEnnn`, case-insensitive; undefined when unknown. */
export function typeNumber(text: string): number | undefined {
  const upper = text.toUpperCase();
  const generic = /^TYPE(\d{1,5})$/.exec(upper);
  if (generic !== null) {
    const value = Number(generic[1]);
    return value <= 0xffff ? value : undefined;
  }
  return Object.hasOwn(RRType, upper) ? RRType[upper as keyof typeof RRType] : undefined;
}

/**
 * Types that can never be zone data: 0, OPT (RFC 6891 §6.1.1) and the
 * query-only meta-types 128-255 (RFC 6895 §3.1).
 */
export function isMetaType(type: number): boolean {
  return type === 0 || type === RRType.OPT || (type >= 128 && type <= 255);
}
