import { RRType } from '../dns/rr-types.js';

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
