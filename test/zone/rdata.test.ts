import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { ROOT } from '../../src/zone/name.js';
import { rdataFromText, rdataToText, textFormTypes, type Token } from '../../src/zone/rdata.js';
import { typeName } from '../../src/zone/types.js';
import { parseZone } from '../../src/zone/parse.js';
import { zoneRecords } from '../../src/zone/zone.js';
import { RRType } from '../../src/dns/rr-types.js';

/** The RDATA of one record of `type` read by the zone parser (its lexer included) from `text`. */
function reread(type: number, text: string): Buffer | string {
  const soa = '@ 300 IN SOA . . 1 2 3 4 5\n';
  const zoneText = type === RRType.SOA ? `@ 300 IN SOA ${text}\n` : `${soa}x 300 IN ${typeName(type)} ${text}\n`;
  const parsed = parseZone(zoneText, { fileName: 'round-trip', origin: 'rt.example' });
  if (!parsed.ok) return parsed.error.message;
  const record = zoneRecords(parsed.value.zone).find((r) => r.type === type && (type === RRType.SOA || r.owner.text === 'x.rt.example'));
  return record?.rdata ?? 'record not found';
}

// `alpn="h2"` is one word here but two for the real lexer (`alpn=` and the string): split it the same way.
function lexed(text: string): Token[] {
  const out: Token[] = [];
  for (const match of text.replace(/=(")/g, '= $1').matchAll(/"((?:[^"\\]|\\.)*)"|(\S+)/g)) {
    out.push(match[1] !== undefined ? { text: match[1], quoted: true, line: 1 } : { text: match[2]!, quoted: false, line: 1 });
  }
  return out;
}

describe('rdata: any octets of a type with a text form', () => {
  for (const type of textFormTypes()) {
    it(`${typeName(type)}: never throws; what it prints reads back to the same octets`, () => {
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 80 }), (bytes) => {
          const rdata = Buffer.from(bytes);
          const text = rdataToText(type, rdata);
          if (text === undefined) return;
          const back = reread(type, text);
          assert.ok(Buffer.isBuffer(back), `${typeName(type)} ${text}: ${String(back)}`);
          assert.equal(back.toString('hex'), rdata.toString('hex'), `${typeName(type)} ${text}`);
        }),
        { numRuns: 300 },
      );
    });
  }
});

describe('rdata: SVCB alpn value lists (RFC 9460 appendix A.1)', () => {
  it('a comma inside an id is \\\\, in the zone file, and reads back', () => {
    const rdata = rdataFromText(64, lexed('1 . alpn="h2,a\\\\,b"'), 1, ROOT);
    assert.ok(Buffer.isBuffer(rdata));
    // key 1, length 7: "h2" and "a,b" as length-prefixed ids.
    assert.equal(rdata.subarray(3).toString('hex'), '0001' + '0007' + '026832' + '03612c62');
    assert.equal(rdataToText(64, rdata), '1 . alpn="h2,a\\\\,b"');
  });
});
