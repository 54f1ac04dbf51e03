/**
 * Records back to master-file text (RFC 1035 §5.1, RFC 3597 §5), one line each,
 * names absolute, RDATA as `named-checkzone -D` prints it (src/zone/rdata.ts).
 * The output parses back to the same records.
 */
import { absolute, hasTextForm, rdataToText } from './rdata.js';
import { typeName } from './types.js';
import type { ZoneRecord } from './zone.js';

/** `www.contoso.com. 3600 IN A 192.0.2.10` */
export function formatRecord(record: ZoneRecord): string {
  return `${absolute(record.owner)} ${record.ttl} IN ${typeName(record.type)} ${formatRdata(record.type, record.rdata)}`;
}

/** The RDATA of one record in presentation form; the RFC 3597 generic form for types without a text form here. */
export function formatRdata(type: number, rdata: Buffer): string {
  return rdataToText(type, rdata) ?? genericRdata(rdata);
}

/**
 * False when RDATA of a type this engine reads in text form is not well formed
 * (used for RDATA given in the RFC 3597 generic form); true for other types.
 */
export function isKnownRdataValid(type: number, rdata: Buffer): boolean {
  return !hasTextForm(type) || rdataToText(type, rdata) !== undefined;
}

/** `\# 4 C0000201` (RFC 3597 §5). */
function genericRdata(rdata: Buffer): string {
  return rdata.length === 0 ? '\\# 0' : `\\# ${rdata.length} ${rdata.toString('hex').toUpperCase()}`;
}
