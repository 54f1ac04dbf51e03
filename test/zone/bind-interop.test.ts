/**
 * Zone files as BIND writes them load with the records BIND reads. Every
 * fixture zone, and every-type.example.zone and rare-types.example.zone (each
 * type with a text form), is rewritten by `named-compilezone -s full` and
 * `-s relative`, printed by NSD's `nsd-checkzone -p`, and signed by
 * `dnssec-signzone` with NSEC and with NSEC3; each file is loaded by
 * fedcheck's loader and compared, RRset by RRset, with what
 * `named-checkzone -D` prints for it. The signed every-type zone is then
 * served and asked for a DNAME, a DNSKEY and an RRSIG.
 */
import '../support/loopback-guard.js';
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { decodeMessage, decodeRaw, encodeRaw, type DnsPacketTypes } from '../../src/dns/codec.js';
import type { ServerAddress } from '../../src/dns/server-address.js';
import { loadZoneFiles } from '../../src/zone/load.js';
import { parseZone } from '../../src/zone/parse.js';
import { formatRecord } from '../../src/zone/present.js';
import { textFormTypes } from '../../src/zone/rdata.js';
import { typeName } from '../../src/zone/types.js';
import { startZoneServer, type ZoneServer } from '../../src/zone/server.js';
import { zoneRecords, type Zone } from '../../src/zone/zone.js';
import { startNamedAuthoritative } from '../support/named-authoritative.js';
import { ensurePackages, serverAddress, type RunningServer } from '../support/real-servers.js';
import { ensureResolverPackages } from '../support/resolvers.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const EVERY_TYPE = join(ROOT, 'test/zone/fixtures/every-type.example.zone');
const RARE_TYPES = join(ROOT, 'test/zone/fixtures/rare-types.example.zone');

function zoneFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? zoneFiles(path) : entry.endsWith('.zone') ? [path] : [];
  });
}

const SOURCES = [...zoneFiles(join(ROOT, 'fixtures/zones')).sort(), EVERY_TYPE, RARE_TYPES];

function run(command: string, args: readonly string[], cwd?: string): string {
  const result = spawnSync(command, args, { encoding: 'latin1', cwd });
  assert.equal(result.status, 0, `${command} ${args.join(' ')} failed: ${result.stderr}${result.stdout}`);
  return result.stdout;
}

function load(file: string): Zone {
  const result = loadZoneFiles([file]);
  if (!result.ok) assert.fail(result.error.message);
  return result.value.zones[0]!;
}

const BASE64ISH = /^[0-9A-Za-z+/=]+$/;

/**
 * One record as comparable text: owner folded, whitespace single, and the
 * 56-character chunks `named-checkzone -D` cuts base64 and hex into joined.
 */
function canonicalLine(line: string): string {
  const [owner = '', ttl, rrClass, type, ...rdata] = line.trim().split(/\s+/);
  const merged: string[] = [];
  for (const token of rdata) {
    const last = merged[merged.length - 1];
    if (last !== undefined && last.length >= 56 && last.length % 56 === 0 && BASE64ISH.test(last) && BASE64ISH.test(token)) merged[merged.length - 1] = last + token;
    else merged.push(token);
  }
  return [owner.toLowerCase(), ttl, rrClass, type, ...merged].join(' ');
}

/** What BIND reads from a file: `named-checkzone -D` output, one canonical line per record. */
function bindLines(zoneName: string, file: string): string[] {
  const text = run('named-checkzone', ['-k', 'ignore', '-i', 'none', '-D', '-o', '-', zoneName, file]);
  return text
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.startsWith(';'))
    .map(canonicalLine)
    .sort();
}

function ourLines(zone: Zone): string[] {
  return zoneRecords(zone).map(formatRecord).map(canonicalLine).sort();
}

/** Records as owner, TTL, type and RDATA octets. */
function wire(zone: Zone): string[] {
  return zoneRecords(zone)
    .map((r) => `${r.owner.key} ${r.ttl} ${r.type} ${r.rdata.toString('hex')}`)
    .sort();
}

/** The RRsets (owner and type) where two record lists differ, for a readable failure. */
function differences(ours: readonly string[], theirs: readonly string[]): string[] {
  const a = new Set(ours);
  const b = new Set(theirs);
  return [...ours.filter((l) => !b.has(l)).map((l) => `only fedcheck: ${l}`), ...theirs.filter((l) => !a.has(l)).map((l) => `only BIND:     ${l}`)];
}

let work: string;

interface Variant {
  readonly label: string;
  readonly file: string;
}

/** The file as given, BIND's two text styles of it, and signed copies (NSEC, NSEC3). */
function variants(source: string, zoneName: string, dir: string): Variant[] {
  mkdirSync(dir, { recursive: true });
  // Names the file-name convention cannot read: the origin must come from the file itself.
  const full = join(dir, 'compiled-full.txt');
  const rel = join(dir, 'compiled-relative.txt');
  run('named-compilezone', ['-q', '-k', 'ignore', '-i', 'none', '-s', 'full', '-o', full, zoneName, source]);
  run('named-compilezone', ['-q', '-k', 'ignore', '-i', 'none', '-s', 'relative', '-o', rel, zoneName, source]);
  const keys = join(dir, 'keys');
  mkdirSync(keys);
  run('dnssec-keygen', ['-q', '-K', keys, '-a', 'ECDSAP256SHA256', '-f', 'KSK', zoneName]);
  run('dnssec-keygen', ['-q', '-K', keys, '-a', 'ECDSAP256SHA256', zoneName]);
  const unsigned = join(dir, 'unsigned.txt');
  copyFileSync(full, unsigned);
  const nsec = join(dir, 'signed-nsec.txt');
  const nsec3 = join(dir, 'signed-nsec3.txt');
  run('dnssec-signzone', ['-q', '-S', '-d', dir, '-K', keys, '-o', zoneName, '-f', nsec, unsigned]);
  // -u: a zone that already has an NSEC3 chain (every-type's NSEC3PARAM) gets the new one.
  run('dnssec-signzone', ['-q', '-S', '-u', '-d', dir, '-K', keys, '-3', '-', '-o', zoneName, '-f', nsec3, unsigned]);
  // NSD's printer writes `$ORIGIN <parent>.` and the apex relative to it. NSD does not know every
  // type BIND does (TALINK …), so the rare-types zone is left out.
  const nsdPrinted: Variant[] = [];
  if (source !== RARE_TYPES) {
    const printed = join(dir, 'nsd-printed.txt');
    writeFileSync(printed, run('nsd-checkzone', ['-p', zoneName, source]), 'latin1');
    nsdPrinted.push({ label: 'nsd-checkzone -p', file: printed });
  }
  return [
    { label: 'as written', file: source },
    { label: 'named-compilezone -s full', file: full },
    { label: 'named-compilezone -s relative', file: rel },
    ...nsdPrinted,
    { label: 'dnssec-signzone (NSEC)', file: nsec },
    { label: 'dnssec-signzone -3 - (NSEC3)', file: nsec3 },
  ];
}

describe('zone files written by BIND load with the records named-checkzone -D reads', () => {
  before(() => {
    ensurePackages(['bind9-utils', 'nsd']);
    work = mkdtempSync(join(tmpdir(), 'fedcheck-bind-interop-'));
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  for (const source of SOURCES) {
    const name = relative(ROOT, source);
    it(name, () => {
      const original = load(source);
      const zoneName = original.origin.text;
      for (const variant of variants(source, zoneName, join(work, name.replace(/[\\/]/g, '_')))) {
        const ours = load(variant.file);
        assert.equal(ours.origin.text, zoneName, `${variant.label}: apex`);
        // A rewrite in another style is the same zone, octet for octet.
        if (!variant.label.startsWith('dnssec-signzone')) assert.deepEqual(differences(wire(ours), wire(original)), [], `${name}, ${variant.label}: same records as the file as written`);
        const theirs = bindLines(zoneName, variant.file);
        assert.deepEqual(differences(ourLines(ours), theirs), [], `${name}, ${variant.label}: presentation`);
        // And the octets: BIND's -D text read back gives the records read from the file.
        const reread = parseZone(Buffer.from(run('named-checkzone', ['-k', 'ignore', '-i', 'none', '-D', '-o', '-', zoneName, variant.file]), 'latin1'), { fileName: 'named-checkzone -D' });
        if (!reread.ok) assert.fail(`${variant.label}: ${reread.error.message}`);
        assert.deepEqual(differences(wire(ours), wire(reread.value.zone)), [], `${name}, ${variant.label}: wire`);
        if (variant.label.startsWith('dnssec-signzone')) {
          const types = new Set(zoneRecords(ours).map((r) => r.type));
          // RRSIG, DNSKEY and a denial chain: NSEC3 and NSEC3PARAM with -3, else NSEC (or NSEC3 when the zone had an NSEC3PARAM).
          const chain = variant.label.includes('NSEC3') ? [50, 51] : [types.has(50) ? 50 : 47];
          for (const type of [46, 48, ...chain]) assert.ok(types.has(type), `${variant.label}: TYPE${type} loaded`);
        }
      }
    });
  }

  it('$INCLUDE paths resolve as BIND resolves them: from the working directory', () => {
    // The included file is where the working directory says, and a decoy sits next to the zone file.
    const dir = join(work, 'include');
    mkdirSync(join(dir, 'zones', 'sub'), { recursive: true });
    mkdirSync(join(dir, 'run', 'sub'), { recursive: true });
    writeFileSync(join(dir, 'zones', 'inc.example.zone'), '$TTL 60\n@ SOA ns1 hm 1 2 3 4 5\n NS ns1\n$INCLUDE sub/hosts.inc\n$INCLUDE sub/more.inc lab\n');
    writeFileSync(join(dir, 'run', 'sub', 'hosts.inc'), 'ns1 A 192.0.2.1\n');
    writeFileSync(join(dir, 'run', 'sub', 'more.inc'), 'www A 192.0.2.2\n');
    writeFileSync(join(dir, 'zones', 'sub', 'hosts.inc'), 'ns1 A 192.0.2.99\n');
    const zoneFile = join(dir, 'zones', 'inc.example.zone');
    const theirs = run('named-checkzone', ['-k', 'ignore', '-i', 'none', '-D', '-o', '-', 'inc.example', zoneFile], join(dir, 'run'));
    const cwd = process.cwd();
    let ours: Zone;
    try {
      process.chdir(join(dir, 'run'));
      ours = load(zoneFile);
    } finally {
      process.chdir(cwd);
    }
    const bind = theirs.split('\n').filter((l) => l.trim() !== '' && !l.startsWith(';')).map(canonicalLine).sort();
    assert.deepEqual(differences(ourLines(ours), bind), []);
    assert.ok(bind.some((l) => l.endsWith('A 192.0.2.1')) && bind.some((l) => l.startsWith('www.lab.inc.example.')), bind.join('\n'));
  });

  it('the every-type and rare-types zones hold each type with a text form, in text form', () => {
    const types = new Set([EVERY_TYPE, RARE_TYPES].flatMap((file) => zoneRecords(load(file)).map((r) => formatRecord(r).split(' ')[3])));
    const wanted = [...textFormTypes().map(typeName), 'TYPE65280', 'TYPE731'];
    assert.deepEqual(wanted.filter((t) => !types.has(t)), []);
    // Each type is printed in its own text form, not as RFC 3597 \#, except the generic ones.
    const generic = [EVERY_TYPE, RARE_TYPES].flatMap((file) => zoneRecords(load(file)).map(formatRecord)).filter((l) => l.includes('\\#'));
    assert.deepEqual(generic.map((l) => l.split(' ')[3]).sort(), ['TYPE65280', 'TYPE731']);
  });
});

// ---------------------------------------------------------------------------
// Serving a signed zone

function exchange(address: ServerAddress, packet: DnsPacketTypes.Packet): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = createSocket(address.family === 6 ? 'udp6' : 'udp4');
    const timer = setTimeout(() => {
      socket.close();
      reject(new Error('no answer within 2 s'));
    }, 2000);
    socket.on('message', (message) => {
      clearTimeout(timer);
      socket.close();
      resolve(message);
    });
    socket.send(encodeRaw(packet), address.port, address.host);
  });
}

function query(name: string, type: DnsPacketTypes.RecordType, dnssecOk = false): DnsPacketTypes.Packet {
  const opt: DnsPacketTypes.OptAnswer = { type: 'OPT', name: '.', udpPayloadSize: 1232, extendedRcode: 0, ednsVersion: 0, flags: dnssecOk ? 0x8000 : 0, flag_do: dnssecOk, options: [] };
  return { type: 'query', id: 7, flags: 0, questions: [{ name, type, class: 'IN' }], additionals: [opt] };
}

describe('a zone signed by dnssec-signzone, served', () => {
  let server: ZoneServer;
  let named: RunningServer;
  let zone: Zone;
  let keyDir: string;
  let dir: string;
  const ZONE = 'every-type.example';

  before(async () => {
    ensurePackages(['bind9-utils']);
    dir = mkdtempSync(join(tmpdir(), 'fedcheck-bind-serve-'));
    keyDir = join(dir, 'keys');
    mkdirSync(keyDir);
    run('dnssec-keygen', ['-q', '-K', keyDir, '-a', 'ECDSAP256SHA256', '-f', 'KSK', ZONE]);
    run('dnssec-keygen', ['-q', '-K', keyDir, '-a', 'ECDSAP256SHA256', ZONE]);
    // Without the fixture's NSEC3 records, so dnssec-signzone makes an NSEC chain.
    const unsigned = join(dir, 'unsigned.txt');
    writeFileSync(unsigned, readFileSync(EVERY_TYPE, 'latin1').split('\n').filter((l) => !/\sNSEC3(PARAM)?\s/.test(l)).join('\n'), 'latin1');
    const signed = join(dir, 'signed.txt');
    run('dnssec-signzone', ['-q', '-S', '-d', dir, '-K', keyDir, '-o', ZONE, '-f', signed, unsigned]);
    zone = load(signed);
    server = await startZoneServer([zone]);
    ensureResolverPackages();
    named = await startNamedAuthoritative([{ name: ZONE, file: signed }]);
  });
  after(async () => {
    await server?.close();
    await named?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('synthesises a CNAME from the DNAME (RFC 6672 §3.2), decoded by the codec', async () => {
    const decoded = decodeMessage(await exchange(server.address, query('host.old.every-type.example', 'A')));
    if (!decoded.ok) assert.fail(decoded.error);
    const answers = decoded.value.answers.map((r) => `${r.name} ${r.type} ${'target' in r ? r.target : ''}`);
    assert.deepEqual(answers, ['old.every-type.example DNAME new.every-type.example', 'host.old.every-type.example CNAME host.new.every-type.example']);
    assert.equal(decoded.value.rcode, 'NXDOMAIN', 'host.new.every-type.example does not exist (RFC 6604)');
    assert.equal(decoded.value.aa, true);
  });

  it('YXDOMAIN when the synthesised name would be longer than 255 octets', async () => {
    const name = `${'a'.repeat(60)}.${'b'.repeat(60)}.${'c'.repeat(60)}.long.every-type.example`;
    const decoded = decodeRaw(await exchange(server.address, query(name, 'A')));
    assert.equal((decoded.flags ?? 0) & 0x0f, 6, 'YXDOMAIN');
    assert.deepEqual(decoded.answers?.map((r) => r.type), ['DNAME']);
  });

  it('serves the DNSKEYs dnssec-keygen made, and the RRSIGs dnssec-signzone made', async () => {
    // A .key file's record: owner, class, DNSKEY, flags, protocol, algorithm, then the key in words.
    const generated = readdirSync(keyDir)
      .filter((f) => f.endsWith('.key'))
      .map((f) => {
        const words = readFileSync(join(keyDir, f), 'latin1').split('\n').find((l) => /\sDNSKEY\s/.test(l) && !l.startsWith(';'))!.trim().split(/\s+/);
        return { flags: Number(words[3]), tag: Number(/\+(\d+)\.key$/.exec(f)![1]), key: words.slice(6).join('') };
      });
    const dnskey = decodeRaw(await exchange(server.address, query(ZONE, 'DNSKEY')));
    const served = (dnskey.answers ?? []).filter((r): r is DnsPacketTypes.DnskeyAnswer => r.type === 'DNSKEY').map((r) => r.data.key.toString('base64'));
    for (const { key } of generated) assert.ok(served.includes(key), `DNSKEY ${key.slice(0, 16)}… served`);
    // The zone's own fixture key is served beside the two generated ones.
    assert.equal(served.length, 3);

    const zskTag = generated.find((k) => k.flags === 256)!.tag;
    const rrsig = decodeRaw(await exchange(server.address, query(`www.${ZONE}`, 'RRSIG')));
    const sigs = (rrsig.answers ?? []).filter((r): r is DnsPacketTypes.RrsigAnswer => r.type === 'RRSIG').map((r) => `${r.data.typeCovered} ${r.data.algorithm} ${r.data.keyTag} ${r.data.signersName}`);
    assert.deepEqual(sigs.sort(), [`CNAME 13 ${zskTag} ${ZONE}`, `NSEC 13 ${zskTag} ${ZONE}`]);
  });

  it('adds the RRSIGs of answers and of the negative SOA only when DO is set (RFC 4035 §3.1.1)', async () => {
    const kinds = (buf: Buffer): string[][] => {
      const m = decodeRaw(buf);
      const show = (r: DnsPacketTypes.Answer): string => (r.type === 'RRSIG' ? `${r.name} RRSIG ${r.data.typeCovered}` : `${r.name} ${r.type}`);
      return [(m.answers ?? []).map(show), (m.authorities ?? []).map(show)];
    };
    assert.deepEqual(kinds(await exchange(server.address, query(`mail.${ZONE}`, 'A'))), [[`mail.${ZONE} A`], []]);
    assert.deepEqual(kinds(await exchange(server.address, query(`mail.${ZONE}`, 'A', true))), [[`mail.${ZONE} A`, `mail.${ZONE} RRSIG A`], []]);
    assert.deepEqual(kinds(await exchange(server.address, query(`mail.${ZONE}`, 'TXT'))), [[], [`${ZONE} SOA`]]);
    assert.deepEqual(kinds(await exchange(server.address, query(`mail.${ZONE}`, 'TXT', true))), [[], [`${ZONE} SOA`, `${ZONE} RRSIG SOA`]]);
    assert.deepEqual(kinds(await exchange(server.address, query(`x.old.${ZONE}`, 'A', true)))[0], [`old.${ZONE} DNAME`, `old.${ZONE} RRSIG DNAME`, `x.old.${ZONE} CNAME`]);
  });

  it("answers every RRset of the zone, and the edge cases, as BIND's named serving the same file", async () => {
    const questions: [string, number][] = [];
    for (const node of zone.nodes.values()) for (const rrset of node.rrsets.values()) if (rrset.type !== 46) questions.push([node.name.text, rrset.type]);
    const long = `${'a'.repeat(60)}.${'b'.repeat(60)}.${'c'.repeat(60)}.long.${ZONE}`;
    for (const [name, type] of [[`host.old.${ZONE}`, 1], [long, 1], [`nothing.${ZONE}`, 1], [`mail.${ZONE}`, 16], [`x.sub.${ZONE}`, 1], [`sub.${ZONE}`, 43], [`sub.${ZONE}`, 46], [`www.${ZONE}`, 46], [`old.${ZONE}`, 16], [`x.old.${ZONE}`, 5]] as [string, number][]) questions.push([name, type]);
    assert.ok(questions.length > 50, `${questions.length} questions`);
    const bind = serverAddress(named.address);
    const differ: string[] = [];
    for (const [name, type] of questions) {
      for (const dnssecOk of [false, true]) {
        const query = rawQuery(name, type, dnssecOk);
        const [ours, theirs] = [await exchangeRaw(server.address, query), await exchangeRaw(bind, query)].map((b) => comparable(b, dnssecOk));
        if (ours !== theirs) differ.push(`${name} TYPE${type}${dnssecOk ? ' +dnssec' : ''}:\n  fedcheck ${ours}\n  named    ${theirs}`);
      }
    }
    assert.deepEqual(differ, []);
  });
});

/** A query built octet by octet (any type number), RD clear, EDNS payload 1232, DO as asked. */
function rawQuery(name: string, type: number, dnssecOk: boolean): Buffer {
  const labels = name.split('.').filter((l) => l !== '');
  const header = Buffer.from([0x12, 0x34, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1]);
  const question = Buffer.concat([...labels.map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l, 'latin1')])), Buffer.from([0, type >> 8, type & 0xff, 0, 1])]);
  const opt = Buffer.from([0, 0, 41, 0x04, 0xd0, 0, 0, dnssecOk ? 0x80 : 0, 0, 0, 0]);
  return Buffer.concat([header, question, opt]);
}

function exchangeRaw(address: ServerAddress, query: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = createSocket(address.family === 6 ? 'udp6' : 'udp4');
    const timer = setTimeout(() => {
      socket.close();
      reject(new Error(`no answer from ${address.host}:${address.port} within 2 s`));
    }, 2000);
    socket.on('message', (message) => {
      clearTimeout(timer);
      socket.close();
      resolve(message);
    });
    socket.send(query, address.port, address.host);
  });
}

/**
 * What must agree: AA, TC, RCODE and the answer section as sets; the authority
 * section too, without DO or in a referral (with DO, BIND adds NSEC proofs to
 * negative answers, which fedcheck does not).
 * The additional section is left out (BIND's minimal-responses differs in it).
 */
function comparable(response: Buffer, dnssecOk: boolean): string {
  const m = decodeRaw(response);
  const show = (r: DnsPacketTypes.Answer): string => `${r.name.toLowerCase()} ${r.type} ${'ttl' in r ? r.ttl : ''} ${JSON.stringify('data' in r ? r.data : null)}`;
  const flags = (m.flags ?? 0) & 0x060f;
  const answers = (m.answers ?? []).map(show).sort();
  // A referral's authority is compared with DO too: NS, then DS or the NSEC proving there is none.
  const referral = (m.flags ?? 0) & 0x0400 ? false : (m.answers ?? []).length === 0 && (m.authorities ?? []).some((r) => r.type === 'NS');
  const authority = dnssecOk && !referral ? [] : (m.authorities ?? []).map(show).sort();
  return JSON.stringify({ flags, answers, authority });
}
