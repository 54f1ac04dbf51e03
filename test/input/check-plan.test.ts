import { strict as assert } from 'node:assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parseServerAddress, type ServerAddress } from '../../src/dns/server-address.js';
import { planCheck, zoneFileSpec, type CheckOptions } from '../../src/input/check-plan.js';
import { ExitError } from '../../src/errors.js';

/** The options commander gives when nothing is typed. */
const DEFAULTS: CheckOptions = {
  resolver: [],
  file: [],
  recursion: true,
  mobility: true,
  discovery: true,
  color: true,
  zone: [],
  expectTarget: [],
  expectAddress: [],
  expectXmppTarget: [],
  expectXmppAddress: [],
  progress: true,
};

const server = (text: string): ServerAddress => {
  const parsed = parseServerAddress(text);
  assert.ok(parsed.ok);
  return parsed.value;
};
const typed = (...names: string[]) => (option: string): boolean => names.includes(option);
const noSystem = () => undefined;

function config(value: unknown): string {
  const path = join(mkdtempSync(join(tmpdir(), 'fedcheck-plan-')), 'config.json');
  writeFileSync(path, JSON.stringify(value));
  return path;
}

function usage(f: () => unknown, pattern: RegExp): void {
  assert.throws(f, (err: unknown) => err instanceof ExitError && err.exitCode === 64 && pattern.test(err.message));
}

describe('planCheck: resolvers and timing', () => {
  test("without -r, resolv.conf's servers, timeout and attempts (rounds through every server) apply", () => {
    const system = () => ({ servers: [server('127.0.0.1'), server('127.0.0.2')], timeoutMs: 3000, attempts: 2 });
    const plan = planCheck(['contoso.example'], DEFAULTS, typed(), system);
    assert.deepEqual(plan.target, { kind: 'servers', servers: [server('127.0.0.1'), server('127.0.0.2')] });
    assert.equal(plan.timeoutMs, 3000);
    assert.equal(plan.retries, 2 * 2 - 1);
  });

  test('-r wins over resolv.conf, and the built-in timing applies', () => {
    const plan = planCheck(['contoso.example'], { ...DEFAULTS, resolver: ['127.0.0.9:5300'] }, typed('resolver'), () => ({ servers: [server('127.0.0.1')], timeoutMs: 9000, attempts: 5 }));
    assert.deepEqual(plan.target, { kind: 'servers', servers: [server('127.0.0.9:5300')] });
    assert.equal(plan.timeoutMs, 2000);
    assert.equal(plan.retries, 2);
  });

  test('tls:// and https:// resolvers, from -r or the config, with the --ca anchors; an https:// name without an address is refused', () => {
    const plan = planCheck(['contoso.example'], { ...DEFAULTS, resolver: ['tls://192.0.2.53#dns.example', 'https://dns.example/dns-query#192.0.2.54'] }, typed('resolver'), noSystem);
    assert.deepEqual(plan.target, {
      kind: 'servers',
      servers: [
        { host: '192.0.2.53', port: 853, family: 4, scheme: 'tls', name: 'dns.example' },
        { host: '192.0.2.54', port: 443, family: 4, scheme: 'https', name: 'dns.example', path: '/dns-query' },
      ],
    });
    assert.deepEqual(plan.tls, { ca: [] });
    const fromConfig = planCheck([], { ...DEFAULTS, config: config({ resolvers: ['tls://192.0.2.53'], domains: ['contoso.example'] }) }, typed(), noSystem);
    assert.equal(fromConfig.target.kind === 'servers' ? fromConfig.target.servers[0]?.scheme : undefined, 'tls');
    usage(() => planCheck(['contoso.example'], { ...DEFAULTS, resolver: ['https://dns.example/dns-query'] }, typed('resolver'), noSystem), /does not resolve resolver names; add the address to connect to, e\.g\. https:\/\/dns\.example\/dns-query#192\.0\.2\.1/);
    usage(() => planCheck(['contoso.example'], { ...DEFAULTS, resolver: ['tls://dns.example'] }, typed('resolver'), noSystem), /tls:\/\/ takes an IP address/);
    usage(() => planCheck(['contoso.example'], { ...DEFAULTS, resolver: ['192.0.2.53'], ca: ['x.pem'] }, typed('resolver'), noSystem), /--ca only applies with --probe or with tls:\/\/ or https:\/\/ resolvers/);
    assert.equal(planCheck(['contoso.example'], { ...DEFAULTS, resolver: ['192.0.2.53'] }, typed('resolver'), noSystem).tls, undefined);
  });

  test('no resolver anywhere is a usage error, not a query to nowhere', () => {
    usage(() => planCheck(['contoso.example'], DEFAULTS, typed(), noSystem), /no resolver/);
  });

  test('option combinations that cannot work are refused', () => {
    usage(() => planCheck(['a.example'], { ...DEFAULTS, resolver: ['127.0.0.1'], port: '53' }, typed(), noSystem), /--port only applies with --authoritative/);
    usage(() => planCheck(['a.example'], { ...DEFAULTS, resolver: ['127.0.0.1'], compare: true }, typed(), noSystem), /--compare needs two or more resolvers/);
    usage(() => planCheck(['a.example'], { ...DEFAULTS, resolver: ['127.0.0.1'], zone: ['x.zone'] }, typed(), noSystem), /--zone and --resolver/);
    usage(() => planCheck(['a.example', 'b.example'], { ...DEFAULTS, resolver: ['127.0.0.1'], expectTarget: ['sip.a.example'] }, typed(), noSystem), /describe one domain/);
  });
});

describe('planCheck: domains and expectations', () => {
  const file = config({
    defaults: { xmpp: 'required' },
    domains: ['listed.example', { domain: 'quiet.example', mobility: false, xmpp: 'off' }],
    timeout: 700,
    retries: 1,
  });

  test('with no domain named, the config lists them; its timing applies', () => {
    const plan = planCheck([], { ...DEFAULTS, config: file, resolver: ['127.0.0.1'] }, typed('resolver'), noSystem);
    assert.deepEqual(plan.specs.map((s) => s.domain), ['listed.example', 'quiet.example']);
    assert.equal(plan.timeoutMs, 700);
    assert.equal(plan.retries, 1);
  });

  test('expectations: per-domain config over config defaults over built-in; a typed flag over all', () => {
    const plan = planCheck(['quiet.example', 'other.example'], { ...DEFAULTS, config: file, resolver: ['127.0.0.1'] }, typed('resolver'), noSystem);
    const [quiet, other] = plan.specs;
    assert.equal(quiet?.expectations.mobility, false);
    assert.equal(quiet?.expectations.xmpp, 'off');
    assert.equal(other?.expectations.mobility, true);
    assert.equal(other?.expectations.xmpp, 'required');
    const flagged = planCheck(['quiet.example'], { ...DEFAULTS, config: file, resolver: ['127.0.0.1'], xmpp: 'optional', mobility: true }, typed('resolver', 'mobility'), noSystem);
    assert.equal(flagged.specs[0]?.expectations.xmpp, 'optional');
    assert.equal(flagged.specs[0]?.expectations.mobility, true);
  });

  test('no domain anywhere, or a bad name in the config, is a usage error naming the file and entry', () => {
    const resolver = { ...DEFAULTS, resolver: ['127.0.0.1'] };
    usage(() => planCheck([], resolver, typed('resolver'), noSystem), /^no domains given/);
    const badDomain = config({ domains: ['ok.example', 'bad..example'] });
    usage(() => planCheck([], { ...resolver, config: badDomain }, typed('resolver'), noSystem), new RegExp(`^${badDomain.replace(/[.\\]/g, '\\$&')}: "bad\\.\\.example" has an empty label$`));
    const badEdge = config({ domains: [{ domain: 'b.example', profile: 'edge', edge: 'sip..b.example' }] });
    usage(() => planCheck([], { ...resolver, config: badEdge }, typed('resolver'), noSystem), /: b\.example: edge: "sip\.\.b\.example" has an empty label$/);
  });

  test('a domain given twice (any case, trailing dot) is checked once', () => {
    const plan = planCheck(['Contoso.Example.', 'contoso.example'], { ...DEFAULTS, resolver: ['127.0.0.1'] }, typed(), noSystem);
    assert.deepEqual(plan.specs.map((s) => s.domain), ['contoso.example']);
  });
});

describe('zoneFileSpec: --zone FILE and --zone NAME=FILE', () => {
  test('NAME=FILE names the zone; a = after a path separator is part of the file name', () => {
    assert.deepEqual(zoneFileSpec('zones/contoso.com.zone'), { file: 'zones/contoso.com.zone' });
    assert.deepEqual(zoneFileSpec('newco.example=zones/newco.zone'), { file: 'zones/newco.zone', origin: 'newco.example' });
    assert.deepEqual(zoneFileSpec('./a=b.zone'), { file: './a=b.zone' });
    assert.deepEqual(zoneFileSpec('=x.zone'), { file: '=x.zone' });
    assert.throws(() => zoneFileSpec('newco.example='), (e: unknown) => e instanceof ExitError && e.exitCode === 64 && /no file after '='/.test(e.message));
  });

  test('the zone named reaches the loader', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fedcheck-plan-zone-'));
    const file = join(dir, 'newco.zone');
    writeFileSync(file, '$TTL 60\n@ SOA ns1 hm 1 2 3 4 5\n NS ns1\nns1 A 192.0.2.1\n');
    const plan = planCheck(['newco.example'], { ...DEFAULTS, zone: [`newco.example=${file}`] }, typed(), noSystem);
    assert.equal(plan.target.kind, 'zones');
    if (plan.target.kind === 'zones') {
      assert.deepEqual(plan.target.zones.map((z) => z.origin.text), ['newco.example']);
      assert.deepEqual(plan.target.files, [file]);
    }
  });
});
