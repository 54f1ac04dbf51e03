import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { originFromFileName, parseZone, type IncludeReader, type ParseOptions } from '../../src/zone/parse.js';
import { formatRecord } from '../../src/zone/present.js';
import { zoneRecords, type Zone } from '../../src/zone/zone.js';

const FIXTURES = fileURLToPath(new URL('../../../test/zone/fixtures/', import.meta.url));
const FILE = 'contoso.com.zone';
/** SOA and NS at the apex: lines 1-3 of most test zones. */
const HEAD = '$TTL 300\n@ SOA ns1 hostmaster 1 3600 600 86400 60\n  NS ns1\n';

function parse(text: string, options: Partial<ParseOptions> = {}): Zone {
  const result = parseZone(text, { fileName: FILE, ...options });
  if (!result.ok) assert.fail(result.error.message);
  return result.value.zone;
}

/** Records as master-file lines, in file order, without the HEAD's SOA and NS. */
function lines(text: string, options: Partial<ParseOptions> = {}): string[] {
  return zoneRecords(parse(text, options))
    .map(formatRecord)
    .filter((l) => !/ IN (SOA|NS) .*(hostmaster|ns1\.contoso\.com\.)/.test(l));
}

function failure(text: string, options: Partial<ParseOptions> = {}): string {
  const result = parseZone(text, { fileName: FILE, ...options });
  assert.equal(result.ok, false, 'expected a parse error');
  return result.ok ? '' : result.error.message;
}

describe('parseZone: syntax', () => {
  it('takes the origin from $ORIGIN, completes relative names and keeps absolute ones', () => {
    assert.deepEqual(lines(`$ORIGIN contoso.com.\n${HEAD}www A 192.0.2.1\nsip.contoso.com. A 192.0.2.2\n`, { fileName: 'x.zone' }), [
      'www.contoso.com. 300 IN A 192.0.2.1',
      'sip.contoso.com. 300 IN A 192.0.2.2',
    ]);
  });

  it('takes the origin from the file name when there is no $ORIGIN and no option', () => {
    assert.equal(parse(HEAD).origin.text, 'contoso.com');
    assert.equal(originFromFileName('zones/contoso.com.zone')?.text, 'contoso.com');
    assert.equal(originFromFileName('C:\\zones\\db.contoso.com')?.text, 'contoso.com');
    assert.equal(originFromFileName('contoso.com.db')?.text, 'contoso.com');
    assert.equal(originFromFileName('fabrikam.com')?.text, 'fabrikam.com');
    assert.equal(originFromFileName('.zone'), undefined);
  });

  it('lets the origin option win over the file name and accept a trailing dot', () => {
    assert.equal(parse(HEAD, { origin: 'fabrikam.com.' }).origin.text, 'fabrikam.com');
    assert.match(failure(HEAD, { origin: 'a..b' }), /^contoso\.com\.zone: origin 'a\.\.b' is not a domain name: empty label/);
  });

  it('reads a relative $ORIGIN against the current origin', () => {
    assert.deepEqual(lines(`${HEAD}$ORIGIN lab\nhost A 192.0.2.1\n$ORIGIN contoso.com.\nback A 192.0.2.2\n`), [
      'host.lab.contoso.com. 300 IN A 192.0.2.1',
      'back.contoso.com. 300 IN A 192.0.2.2',
    ]);
  });

  it('reads @ as the origin in owners and RDATA', () => {
    assert.deepEqual(lines(`${HEAD}@ MX 10 @\nalias CNAME @\n`), ['contoso.com. 300 IN MX 10 contoso.com.', 'alias.contoso.com. 300 IN CNAME contoso.com.']);
  });

  it('inherits the owner on lines starting with a blank or a tab', () => {
    assert.deepEqual(lines(`${HEAD}www A 192.0.2.1\n  A 192.0.2.2\n\tAAAA 2001:db8::1\n; comment\n   ; indented comment\n  TXT "x"\n`), [
      'www.contoso.com. 300 IN A 192.0.2.1',
      'www.contoso.com. 300 IN A 192.0.2.2',
      'www.contoso.com. 300 IN AAAA 2001:db8::1',
      'www.contoso.com. 300 IN TXT "x"',
    ]);
  });

  it('accepts TTL and class in either order, each optional, with TTL units', () => {
    assert.deepEqual(lines(`${HEAD}a 60 IN A 192.0.2.1\nb IN 70 A 192.0.2.2\nc in A 192.0.2.3\nd 1h30m A 192.0.2.4\ne 1W A 192.0.2.5\n`), [
      'a.contoso.com. 60 IN A 192.0.2.1',
      'b.contoso.com. 70 IN A 192.0.2.2',
      'c.contoso.com. 300 IN A 192.0.2.3',
      'd.contoso.com. 5400 IN A 192.0.2.4',
      'e.contoso.com. 604800 IN A 192.0.2.5',
    ]);
  });

  it('without $TTL uses the last TTL written (RFC 1035 §5.1), and the SOA MINIMUM before any', () => {
    const result = parseZone('@ SOA ns1 hm 1 2 3 4 60\n  NS ns1\nns1 120 A 192.0.2.1\nwww A 192.0.2.2\n', { fileName: FILE });
    assert.ok(result.ok);
    assert.deepEqual(zoneRecords(result.value.zone).map((r) => r.ttl), [60, 60, 120, 120]);
    assert.deepEqual(result.value.warnings, ['contoso.com.zone:1: no TTL and no $TTL; using the SOA MINIMUM 60', 'contoso.com.zone:2: no TTL and no $TTL; using the SOA MINIMUM 60']);
  });

  it('lets parentheses span lines, with comments inside', () => {
    const zone = parse('$TTL 300\n@ IN SOA ns1 hostmaster (\n  2024 ; serial\n  1h   ; refresh\n  10m 1w\n  60 ) ; minimum\n  NS ns1\n');
    assert.equal(formatRecord(zoneRecords(zone)[0]!), 'contoso.com. 300 IN SOA ns1.contoso.com. hostmaster.contoso.com. 2024 3600 600 604800 60');
    assert.deepEqual(lines(`${HEAD}txt TXT ( "a"\n "b" ) ; done\n`), ['txt.contoso.com. 300 IN TXT "a" "b"']);
  });

  it('ends comments at the line end and ignores ; inside quotes', () => {
    assert.deepEqual(lines(`${HEAD}t TXT "a;b" ; a comment "c"\n`), ['t.contoso.com. 300 IN TXT "a;b"']);
  });

  it('reads quoted and bare TXT strings with \\X and \\DDD escapes', () => {
    assert.deepEqual(lines(`${HEAD}t TXT "q\\"uote" "back\\\\slash" bare\\ word \\065\\066 "" "\\009tab"\n`), [
      't.contoso.com. 300 IN TXT "q\\"uote" "back\\\\slash" "bare word" "AB" "" "\\009tab"',
    ]);
  });

  it('keeps the octets of a file read as bytes, and reads strings as UTF-8', () => {
    const bytes = Buffer.concat([Buffer.from(`${HEAD}t TXT "`), Buffer.from([0xff, 0xc3, 0xa9]), Buffer.from('"\n')]);
    const fromBytes = parseZone(bytes, { fileName: FILE });
    assert.ok(fromBytes.ok);
    assert.equal(formatRecord(zoneRecords(fromBytes.value.zone)[2]!), 't.contoso.com. 300 IN TXT "\\255\\195\\169"');
    assert.deepEqual(lines(`${HEAD}t TXT "é"\n`), ['t.contoso.com. 300 IN TXT "\\195\\169"']);
  });

  it('accepts CRLF line ends and a UTF-8 byte-order mark', () => {
    assert.deepEqual(lines(`\ufeff${HEAD}www A 192.0.2.1\r\n  A 192.0.2.2\r\n`.replace(/\n/g, '\r\n')), [
      'www.contoso.com. 300 IN A 192.0.2.1',
      'www.contoso.com. 300 IN A 192.0.2.2',
    ]);
  });

  it('reads \\DDD and \\X escapes in names, dots inside labels included', () => {
    const zone = parse(`${HEAD}esc\\.dot A 192.0.2.1\n\\065b\\099 A 192.0.2.2\nsp\\ ace A 192.0.2.3\nt CNAME esc\\.dot\n`);
    const owners = zoneRecords(zone).slice(2).map((r) => r.owner);
    assert.deepEqual(owners.map((o) => o.labels[0]), ['esc.dot', 'Abc', 'sp ace', 't']);
    assert.deepEqual(owners.map((o) => o.text), ['esc\\.dot.contoso.com', 'Abc.contoso.com', 'sp\\032ace.contoso.com', 't.contoso.com']);
    assert.equal(owners[1]!.key, 'abc.contoso.com');
    assert.equal(zoneRecords(zone)[5]!.rdata.toString('hex'), '07' + Buffer.from('esc.dot').toString('hex') + '07636f6e746f736f03636f6d00');
  });

  it('reads every supported type', () => {
    assert.deepEqual(
      lines(
        `${HEAD}a A 192.0.2.1\naaaa AAAA 2001:DB8:0:0:0:0:0:1\nmapped AAAA ::ffff:192.0.2.1\nc CNAME a\nsub NS ns.sub\nmx MX 10 a\n` +
          `_sip._tcp SRV 0 5 5061 a\n_x._tcp SRV 0 0 0 .\nt TXT "v=spf1 -all"\nspf SPF "v=spf1 -all"\np PTR a\n` +
          `caa CAA 0 issue "letsencrypt.org"\ncaa CAA 128 iodef mailto:x@contoso.com\n`,
      ),
      [
        'a.contoso.com. 300 IN A 192.0.2.1',
        'aaaa.contoso.com. 300 IN AAAA 2001:db8::1',
        'mapped.contoso.com. 300 IN AAAA ::ffff:192.0.2.1',
        'c.contoso.com. 300 IN CNAME a.contoso.com.',
        'sub.contoso.com. 300 IN NS ns.sub.contoso.com.',
        'mx.contoso.com. 300 IN MX 10 a.contoso.com.',
        '_sip._tcp.contoso.com. 300 IN SRV 0 5 5061 a.contoso.com.',
        '_x._tcp.contoso.com. 300 IN SRV 0 0 0 .',
        't.contoso.com. 300 IN TXT "v=spf1 -all"',
        'spf.contoso.com. 300 IN SPF "v=spf1 -all"',
        'p.contoso.com. 300 IN PTR a.contoso.com.',
        'caa.contoso.com. 300 IN CAA 0 issue "letsencrypt.org"',
        'caa.contoso.com. 300 IN CAA 128 iodef "mailto:x@contoso.com"',
      ],
    );
  });

  it('reads the RFC 3597 generic form for any type, known ones checked', () => {
    assert.deepEqual(lines(`${HEAD}g TYPE65280 \\# 4 0A000001\ng TYPE65280 \\# 0\nk A \\# 4 C0000201\nt TLSA \\# 5 030101 ( AB\n CD )\n`), [
      'g.contoso.com. 300 IN TYPE65280 \\# 4 0A000001',
      'g.contoso.com. 300 IN TYPE65280 \\# 0',
      'k.contoso.com. 300 IN A 192.0.2.1',
      't.contoso.com. 300 IN TLSA 3 1 1 ABCD',
    ]);
    assert.equal(failure(`${HEAD}k A \\# 3 C00002\n`), 'contoso.com.zone:4: A \\# data is not a valid A RDATA');
    assert.equal(failure(`${HEAD}g TYPE65280 \\# 4 0A00\n`), 'contoso.com.zone:4: TYPE65280 \\# says 4 octets but 2 follow');
    assert.equal(failure(`${HEAD}g TYPE65280 \\# 1 0A0\n`), 'contoso.com.zone:4: TYPE65280 \\# data is not an even number of hex digits');
    assert.equal(failure(`${HEAD}g TYPE65280 \\#\n`), 'contoso.com.zone:4: TYPE65280 record is missing its length after \\#');
  });

  it('drops exact duplicates and gives an RRset its first TTL, with warnings', () => {
    const result = parseZone(`${HEAD}a A 192.0.2.1\na A 192.0.2.1\na 60 A 192.0.2.2\n`, { fileName: FILE });
    assert.ok(result.ok);
    assert.deepEqual(zoneRecords(result.value.zone).slice(2).map(formatRecord), ['a.contoso.com. 300 IN A 192.0.2.1', 'a.contoso.com. 300 IN A 192.0.2.2']);
    assert.deepEqual(result.value.warnings, [
      'contoso.com.zone:5: duplicate A record at a.contoso.com ignored',
      "contoso.com.zone:6: TTL 60 differs from the A RRset's TTL 300 at a.contoso.com; using 300 (RFC 2181 §5.2)",
    ]);
  });

  it('records the empty non-terminals between owners and the apex', () => {
    const zone = parse(`${HEAD}a.b.c A 192.0.2.1\n`);
    assert.ok(zone.names.has('b.c.contoso.com') && zone.names.has('c.contoso.com') && zone.names.has('a.b.c.contoso.com'));
    assert.ok(!zone.nodes.has('c.contoso.com'));
    assert.equal(zone.negativeTtl, 60);
  });
});

describe('parseZone: the apex is the SOA owner', () => {
  const SOA = 'newco.example. 300 IN SOA ns1.newco.example. hostmaster.newco.example. 1 3600 600 86400 60\n';

  it("reads BIND's -s relative style: $ORIGIN . then absolute owners", () => {
    const text = `$ORIGIN .\n$TTL 300\n${SOA.replace('300 IN ', '')}\t\t\tNS\tns1.newco.example.\n$ORIGIN newco.example.\nns1\t\t\tA\t192.0.2.1\n`;
    const zone = parse(text, { fileName: 'db.something-else' });
    assert.equal(zone.origin.text, 'newco.example');
    assert.deepEqual(zoneRecords(zone).map(formatRecord).slice(1), ['newco.example. 300 IN NS ns1.newco.example.', 'ns1.newco.example. 300 IN A 192.0.2.1']);
  });

  it('takes the SOA owner over the file name, and completes later relative names with it', () => {
    const zone = parse(`${SOA}  NS ns1\nwww.newco.example. A 192.0.2.2\nmail A 192.0.2.3\n`, { fileName: 'newco.zone' });
    assert.equal(zone.origin.text, 'newco.example');
    assert.deepEqual(zoneRecords(zone).map(formatRecord).slice(1), [
      'newco.example. 300 IN NS ns1.newco.example.',
      'www.newco.example. 300 IN A 192.0.2.2',
      'mail.newco.example. 300 IN A 192.0.2.3',
    ]);
  });

  it('takes the SOA owner even when records come before it', () => {
    assert.equal(parse(`$TTL 300\nwww.newco.example. A 192.0.2.2\n${SOA}`, { fileName: 'x.zone' }).origin.text, 'newco.example');
  });

  it('an origin given that the SOA contradicts: the error says how to let the file decide', () => {
    assert.equal(
      failure(SOA, { fileName: 'newco.zone', origin: 'other.example' }),
      "newco.zone:1: newco.example is outside the zone other.example; the zone was given as other.example: drop 'other.example=' to take the apex from the SOA record",
    );
    assert.equal(
      failure(SOA, { fileName: 'newco.zone', origin: 'example' }),
      "newco.zone:1: SOA record at newco.example, which is not the zone apex example (RFC 1035 §5.2); the zone was given as example: drop 'example=' to take the apex from the SOA record",
    );
  });
});

describe('parseZone: $INCLUDE', () => {
  const files: Record<string, string> = {
    'hosts.inc': 'www A 192.0.2.1\n  AAAA 2001:db8::1\n',
    'origin.inc': '$ORIGIN elsewhere.contoso.com.\nx A 192.0.2.2\n',
    'loop.inc': '$INCLUDE loop.inc\n',
    'bad.inc': 'ok A 192.0.2.1\nbad A 192.0.2.300\n',
  };
  const include: IncludeReader = (path) =>
    files[path] === undefined ? { ok: false, error: 'no such file' } : { ok: true, value: { fileName: path, text: files[path]! } };

  it('inserts the file, with its own origin when one is given, then restores the origin', () => {
    assert.deepEqual(lines(`${HEAD}$INCLUDE hosts.inc\n$INCLUDE hosts.inc lab\n$INCLUDE origin.inc\ny A 192.0.2.3\n`, { include }), [
      'www.contoso.com. 300 IN A 192.0.2.1',
      'www.contoso.com. 300 IN AAAA 2001:db8::1',
      'www.lab.contoso.com. 300 IN A 192.0.2.1',
      'www.lab.contoso.com. 300 IN AAAA 2001:db8::1',
      'x.elsewhere.contoso.com. 300 IN A 192.0.2.2',
      'y.contoso.com. 300 IN A 192.0.2.3',
    ]);
  });

  it('names the included file and its line in errors', () => {
    assert.equal(failure(`${HEAD}$INCLUDE bad.inc\n`, { include }), "bad.inc:2: bad IPv4 address '192.0.2.300'");
  });

  it('reports unreadable files as such, loops, and a parser without a reader', () => {
    const missing = parseZone(`${HEAD}$INCLUDE none.inc\n`, { fileName: FILE, include });
    assert.deepEqual(missing, { ok: false, error: { message: 'contoso.com.zone:4: $INCLUDE none.inc: no such file', cause: 'unreadable' } });
    assert.equal(failure(`${HEAD}$INCLUDE loop.inc\n`, { include }), 'loop.inc:1: $INCLUDE loop.inc includes itself');
    assert.equal(failure(`${HEAD}$INCLUDE hosts.inc\n`), 'contoso.com.zone:4: $INCLUDE is not supported when parsing text without files');
  });

  it('stops a chain of distinct files nested too deep', () => {
    // Each level names a new file, so the loop check never fires; only the depth limit ends it.
    const chain: IncludeReader = (path) => {
      const level = Number(/^d(\d+)\.inc$/.exec(path)?.[1]);
      return { ok: true, value: { fileName: path, text: `$INCLUDE d${level + 1}.inc\n` } };
    };
    assert.equal(failure(`${HEAD}$INCLUDE d1.inc\n`, { include: chain }), 'd8.inc:1: $INCLUDE nested more than 8 deep');
  });
});

describe('parseZone: errors name the file and line', () => {
  const cases: [string, string, string][] = [
    // [what, zone text after HEAD (line 4 on), expected error]
    ['IPv4 octet above 255', 'b A 192.0.2.300', "contoso.com.zone:4: bad IPv4 address '192.0.2.300'"],
    ['IPv4 leading zero', 'b A 192.0.2.01', "contoso.com.zone:4: bad IPv4 address '192.0.2.01'"],
    ['IPv4 too short', 'b A 192.0.2', "contoso.com.zone:4: bad IPv4 address '192.0.2'"],
    ['IPv6 two ::', 'c AAAA 2001:db8::1::2', "contoso.com.zone:4: bad IPv6 address '2001:db8::1::2'"],
    ['IPv6 group too long', 'c AAAA 12345::1', "contoso.com.zone:4: bad IPv6 address '12345::1'"],
    ['IPv6 zone index', 'c AAAA fe80::1%eth0', "contoso.com.zone:4: bad IPv6 address 'fe80::1%eth0'"],
    ['IPv6 too few groups', 'c AAAA 1:2:3:4:5:6:7', "contoso.com.zone:4: bad IPv6 address '1:2:3:4:5:6:7'"],
    ['SRV port', '_sip._tcp SRV 0 0 70000 sip', 'contoso.com.zone:4: SRV port 70000 out of range (0-65535)'],
    ['SRV priority', '_sip._tcp SRV 65536 0 5061 sip', 'contoso.com.zone:4: SRV priority 65536 out of range (0-65535)'],
    ['SRV weight', '_sip._tcp SRV 0 -1 5061 sip', "contoso.com.zone:4: SRV weight '-1' is not a number"],
    ['SRV missing target', '_sip._tcp SRV 0 0 5061', 'contoso.com.zone:4: SRV record is missing its target'],
    ['SRV extra field', '_sip._tcp SRV 0 0 5061 sip extra', "contoso.com.zone:4: unexpected 'extra' after the SRV data"],
    ['MX preference', 'mx MX 70000 a', 'contoso.com.zone:4: MX preference 70000 out of range (0-65535)'],
    ['CAA flags', 'caa CAA 256 issue "x"', 'contoso.com.zone:4: CAA flags 256 out of range (0-255)'],
    ['CAA tag', 'caa CAA 0 iss-ue "x"', "contoso.com.zone:4: CAA tag 'iss-ue' must be 1-15 letters and digits (RFC 8659 §4.1)"],
    ['owner label of 64', `${'a'.repeat(64)} A 192.0.2.1`, `contoso.com.zone:4: label '${'a'.repeat(20)}…' is 64 octets, more than 63 (RFC 1035 §2.3.4)`],
    ['target label of 64', `c CNAME ${'b'.repeat(64)}.example.`, `contoso.com.zone:4: label '${'b'.repeat(20)}…' is 64 octets, more than 63 (RFC 1035 §2.3.4)`],
    ['name over 255', `${Array(4).fill('x'.repeat(63)).join('.')} A 192.0.2.1`, `contoso.com.zone:4: name '${Array(4).fill('x'.repeat(63)).join('.')}' is 269 octets on the wire, more than 255 (RFC 1035 §2.3.4)`],
    ['empty label', 'a..b A 192.0.2.1', "contoso.com.zone:4: empty label in 'a..b'"],
    ['escape above 255', 'a\\300 A 192.0.2.1', "contoso.com.zone:4: escape \\300 is above 255 in 'a\\300'"],
    ['TXT escape above 255', 't TXT "x\\300"', "contoso.com.zone:4: escape \\300 is above 255"],
    ['TXT escape of two digits', 't TXT "x\\30y"', "contoso.com.zone:4: an escape starting with a digit needs three decimal digits (\\DDD)"],
    ['CNAME after other data', 'www A 192.0.2.1\nwww CNAME sip', 'contoso.com.zone:5: CNAME and other data at www.contoso.com (A at line 4; RFC 1034 §3.6.2)'],
    ['other data after CNAME', 'www CNAME sip\n  TXT "x"', 'contoso.com.zone:5: CNAME and other data at www.contoso.com (CNAME at line 4; RFC 1034 §3.6.2)'],
    ['two CNAMEs', 'www CNAME a\nwww CNAME b', 'contoso.com.zone:5: second CNAME at www.contoso.com (first at line 4; RFC 2181 §10.1)'],
    ['CNAME at the apex', '@ CNAME www', 'contoso.com.zone:4: CNAME and other data at contoso.com (SOA at line 2; RFC 1034 §3.6.2)'],
    ['outside the origin', 'sip.fabrikam.com. A 192.0.2.1', 'contoso.com.zone:4: sip.fabrikam.com is outside the zone contoso.com'],
    ['outside after $ORIGIN', '$ORIGIN fabrikam.com.\nsip A 192.0.2.1', 'contoso.com.zone:5: sip.fabrikam.com is outside the zone contoso.com'],
    ['SOA below the apex', 'sub SOA ns1 hm 1 2 3 4 5', 'contoso.com.zone:4: SOA record at sub.contoso.com, which is not the zone apex contoso.com (RFC 1035 §5.2)'],
    ['second SOA', '@ SOA ns2 hm 2 2 3 4 5', 'contoso.com.zone:4: second SOA record at contoso.com (first at line 2; RFC 1035 §5.2)'],
    ['TTL too large', 'a 2147483648 A 192.0.2.1', 'contoso.com.zone:4: TTL 2147483648 out of range (0-2147483647, RFC 2181 §8)'],
    ['bad TTL unit', '$TTL 5x', "contoso.com.zone:4: bad TTL '5x'"],
    ['class CH', 'a CH A 192.0.2.1', 'contoso.com.zone:4: class CH is not supported; only IN: write the record without a class or with IN'],
    ['unknown type', 'a FOO 1', "contoso.com.zone:4: unknown record type 'FOO'"],
    ['type without text form', 'a NULL abcd', 'contoso.com.zone:4: NULL records are not supported in text form; write them as NULL \\# <length> <hex> (RFC 3597 §5)'],
    ['class ANY before a type', 'a ANY NS ns1', 'contoso.com.zone:4: class ANY is not supported (ANY is a query or update class, RFC 1035 §3.2.5, RFC 2136 §2.3); only IN: write the record without a class or with IN'],
    ['meta type', 'a ANY 1', 'contoso.com.zone:4: ANY is a query or meta type, not zone data'],
    ['two DNAMEs', 'x DNAME a.example.\nx DNAME b.example.', 'contoso.com.zone:5: second DNAME at x.contoso.com (first at line 4; one DNAME per owner, RFC 6672 §2.4)'],
    ['CNAME beside DNAME', 'x DNAME a.example.\nx CNAME b.example.', 'contoso.com.zone:5: CNAME and other data at x.contoso.com (DNAME at line 4; RFC 1034 §3.6.2)'],
    ['bad base64', 'k DNSKEY 257 3 13 abc!', 'contoso.com.zone:4: DNSKEY public key is not valid base64'],
    ['bad hex', 'd DS 1 13 2 ABC', 'contoso.com.zone:4: DS digest is not an even number of hex digits'],
    ['unknown type in a bitmap', 'n NSEC a A FOO', "contoso.com.zone:4: NSEC bitmap: unknown record type 'FOO'"],
    ['bad RRSIG time', 's RRSIG A 13 3 300 2026130100000 20261201000000 1 @ AAAA', "contoso.com.zone:4: RRSIG expiration '2026130100000' is not YYYYMMDDHHmmSS or a number of seconds"],
    ['bad NSEC3 hash', 'h NSEC3 1 0 0 - XYZ A', "contoso.com.zone:4: NSEC3 next hashed owner 'XYZ' is not base32hex (RFC 4648 §7)"],
    ['LOC latitude', 'l LOC 91 0 0 N 0 0 0 E 0m', 'contoso.com.zone:4: LOC latitude out of range'],
    ['SVCB key twice', 's SVCB 1 . alpn=h2 alpn=h3', 'contoso.com.zone:4: SVCB parameter alpn given twice (RFC 9460 §2.2)'],
    ['SVCB unknown key', 's SVCB 1 . colour=blue', "contoso.com.zone:4: SVCB parameter 'colour' is not a known key or keyNNNNN (RFC 9460 §14.3)"],
    ['missing type', 'a 300 IN', 'contoso.com.zone:4: missing record type after a.contoso.com'],
    ['missing RDATA', 'a A', 'contoso.com.zone:4: A record is missing its address'],
    ['TXT without strings', 't TXT', 'contoso.com.zone:4: TXT record is missing its text'],
    ['TXT string of 256', `t TXT "${'x'.repeat(256)}"`, 'contoso.com.zone:4: TXT string of 256 octets is longer than 255; split it into several quoted strings'],
    ['quoted name', 'c CNAME "www"', 'contoso.com.zone:4: CNAME target must be a domain name, not a quoted string'],
    ['unterminated quote', 't TXT "open\nnext A 192.0.2.1', 'contoso.com.zone:4: quoted string not closed on the line it starts'],
    ['backslash ending a line, in a word', 'a\\\nb A 192.0.2.1', 'contoso.com.zone:4: backslash at the end of a line'],
    ['backslash ending a line, in quotes', 't TXT "a\\\n"', 'contoso.com.zone:4: backslash at the end of a line'],
    ['( never closed', 't TXT ( "a"\n"b"', "contoso.com.zone:4: '(' never closed"],
    [') without (', 't TXT "a" )', "contoso.com.zone:4: ')' without a matching '('"],
    ['$GENERATE', '$GENERATE 1-4 host$ A 192.0.2.$', 'contoso.com.zone:4: $GENERATE is a BIND extension and is not supported; write the records out'],
    ['unknown directive', '$FOO bar', 'contoso.com.zone:4: unknown directive $FOO'],
    ['$TTL without value', '$TTL', 'contoso.com.zone:4: $TTL takes one TTL'],
  ];
  for (const [what, body, expected] of cases) {
    it(what, () => assert.equal(failure(`${HEAD}${body}\n`), expected));
  }

  it('a blank owner on the first record', () => {
    assert.equal(failure('$TTL 300\n  A 192.0.2.1\n'), 'contoso.com.zone:2: line starts with a blank but no earlier record gives the owner name');
  });

  it('no SOA at the apex, naming the first record', () => {
    assert.equal(failure('$TTL 300\n\nwww A 192.0.2.1\n'), 'contoso.com.zone:3: no SOA record at the zone apex contoso.com (RFC 1035 §5.2)');
    assert.equal(failure('; nothing\n'), 'contoso.com.zone:1: no records; a zone needs at least its SOA (RFC 1035 §5.2)');
  });

  it('no TTL anywhere before the first record', () => {
    assert.equal(failure('www A 192.0.2.1\n'), 'contoso.com.zone:1: no TTL given and no $TTL before this record (RFC 2308 §4)');
  });

  it('no origin to be had', () => {
    assert.equal(failure('$TTL 60\n@ SOA a b 1 2 3 4 5\n', { fileName: '.zone' }), ".zone:2: '@' used but no origin is known (add $ORIGIN)");
    assert.equal(failure('$TTL 60\nwww.contoso.com. A 192.0.2.1\n', { fileName: '.zone' }), '.zone:2: cannot tell the zone origin: add $ORIGIN or an SOA record with an absolute owner, name the file <origin>.zone, or give it as --zone <origin>=.zone');
  });

  it('the line of the field at fault in a record spanning lines', () => {
    assert.equal(failure(`${HEAD}_sip._tcp SRV (\n  0 0\n  70000 sip )\n`), 'contoso.com.zone:6: SRV port 70000 out of range (0-65535)');
  });
});

// ---------------------------------------------------------------------------
// Cross-check against real zone parsers.

const TRICKY = join(FIXTURES, 'tricky.example.zone');

/** Records as comparable strings: folded owner, TTL, type number, RDATA hex. */
function canonical(zone: Zone): string[] {
  return zoneRecords(zone)
    .map((r) => `${r.owner.key} ${r.ttl} ${r.type} ${r.rdata.toString('hex')}`)
    .sort();
}

function available(binary: string): boolean {
  const probe = spawnSync(binary, ['-h'], { encoding: 'utf8' });
  return (probe.error as NodeJS.ErrnoException | undefined)?.code !== 'ENOENT';
}

const HAS_NAMED = available('named-checkzone');
const HAS_NSD = available('nsd-checkzone');

describe('parseZone agrees with real zone parsers', () => {
  const ours = (): Zone => {
    const result = parseZone(readFileSync(TRICKY), { fileName: TRICKY });
    if (!result.ok) assert.fail(result.error.message);
    return result.value.zone;
  };

  it('same record set as named-checkzone -D', { skip: HAS_NAMED ? false : 'named-checkzone is not installed (Debian package bind9-utils): BIND cross-check skipped' }, () => {
    const run = spawnSync('named-checkzone', ['-k', 'ignore', '-i', 'none', '-D', '-o', '-', 'tricky.example', TRICKY], { encoding: 'latin1' });
    assert.equal(run.status, 0, run.stderr);
    const theirs = parseZone(Buffer.from(run.stdout, 'latin1'), { fileName: 'named-checkzone output', origin: 'tricky.example' });
    if (!theirs.ok) assert.fail(theirs.error.message);
    assert.deepEqual(canonical(theirs.value.zone), canonical(ours()));
    assert.equal(canonical(ours()).length, 38);
  });

  it('same record set as nsd-checkzone -p', { skip: HAS_NSD ? false : 'nsd-checkzone is not installed (Debian package nsd): NSD cross-check skipped' }, () => {
    const run = spawnSync('nsd-checkzone', ['-p', 'tricky.example', TRICKY], { encoding: 'latin1' });
    assert.equal(run.status, 0, run.stderr);
    const theirs = parseZone(Buffer.from(run.stdout, 'latin1'), { fileName: 'nsd-checkzone output', origin: 'tricky.example' });
    if (!theirs.ok) assert.fail(theirs.error.message);
    assert.deepEqual(canonical(theirs.value.zone), canonical(ours()));
  });

  it('our formatRecord output reads back the same', () => {
    const text = zoneRecords(ours()).map(formatRecord).join('\n');
    const again = parseZone(text, { fileName: 'formatted', origin: 'tricky.example' });
    if (!again.ok) assert.fail(again.error.message);
    assert.deepEqual(canonical(again.value.zone), canonical(ours()));
  });

  it('named-checkzone rejects what we reject', { skip: HAS_NAMED ? false : 'named-checkzone is not installed (Debian package bind9-utils): BIND cross-check skipped' }, () => {
    const dir = mkdtempSync(join(tmpdir(), 'fedcheck-zone-'));
    try {
      const bodies = [
        '_sip._tcp SRV 0 0 70000 sip',
        'b A 192.0.2.300',
        'c AAAA 2001:db8::1::2',
        `${'a'.repeat(64)} A 192.0.2.1`,
        'www A 192.0.2.1\nwww CNAME sip',
        'caa CAA 0 iss-ue "x"',
        'a CH A 192.0.2.1',
        't TXT "open',
        'mx MX 70000 a',
        'k DNSKEY 257 3 13 abc!',
        'd DS 1 13 2 ABC',
        'n NSEC a A FOO',
        's RRSIG A 13 3 300 2026130100000 20261201000000 1 @ AAAA',
        'h NSEC3 1 0 0 - XYZ A',
        'l LOC 91 0 0 N 0 0 0 E 0m',
        's SVCB 1 . alpn=h2 alpn=h3',
        's SVCB 1 . colour=blue',
        'x DNAME a.example.\nx DNAME b.example.',
        'x DNAME a.example.\nx CNAME b.example.',
        'a ANY NS ns1',
        'e EUI48 00-00-5e-00-53',
        'n NULL abcd',
      ];
      for (const body of bodies) {
        const text = `${HEAD}ns1 A 192.0.2.53\n${body}\n`;
        const file = join(dir, 'contoso.com.zone');
        writeFileSync(file, text);
        const run = spawnSync('named-checkzone', ['-q', 'contoso.com', file]);
        assert.notEqual(run.status, 0, `named-checkzone accepted: ${body}`);
        assert.equal(parseZone(text, { fileName: FILE }).ok, false, `we accepted: ${body}`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
