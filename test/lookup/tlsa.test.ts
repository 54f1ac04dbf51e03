import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import type { QueryType } from '../../src/dns/codec.js';
import { lookupTlsaRecords, secureExpansion, tlsaOwner } from '../../src/lookup/tlsa.js';
import type { CnameHop, LookupOutcome } from '../../src/lookup/types.js';

const via = (authenticated: boolean) => ({ server: '127.0.0.1:53', transport: 'udp' as const, authenticated });
const a = (chain: readonly CnameHop[], authenticated: boolean): LookupOutcome => ({ name: 'sip.example', type: 'A', chain, kind: 'answer', records: [], ...via(authenticated) });
const alias: CnameHop[] = [{ from: 'sip.example', to: 'edge.provider.example.' }];

describe('secureExpansion (RFC 7671 §7)', () => {
  test('no alias: none', () => assert.equal(secureExpansion([a([], true)]), undefined));
  test('a secure alias: the expanded name, without the trailing dot', () => assert.equal(secureExpansion([a(alias, true), undefined]), 'edge.provider.example'));
  test('an insecure alias: none (the original name stays the base domain)', () => assert.equal(secureExpansion([a(alias, false)]), undefined));
  test('an alias whose lookup could not tell: none', () =>
    assert.equal(secureExpansion([{ name: 'sip.example', type: 'A', chain: alias, kind: 'error', reason: 'timeout', detail: 'timeout' }]), undefined));
});

describe('lookupTlsaRecords', () => {
  /** A lookup that answers from a table (owner → outcome kind) and records what was asked. */
  const table = (kinds: Record<string, 'answer' | 'nxdomain' | 'nodata' | 'bogus'>) => {
    const asked: string[] = [];
    const lookup = (name: string, type: QueryType): Promise<LookupOutcome> => {
      asked.push(name);
      const kind = kinds[name] ?? 'nxdomain';
      const head = { name, type, chain: [] };
      if (kind === 'bogus') return Promise.resolve({ ...head, kind: 'error', reason: 'bogus', detail: 'DNSSEC validation failed' });
      if (kind === 'answer') return Promise.resolve({ ...head, kind, records: [], ...via(true) });
      return Promise.resolve({ ...head, kind, ...via(true) });
    };
    return { asked, lookup };
  };

  test('no alias: the SRV target only', async () => {
    const t = table({});
    const got = await lookupTlsaRecords(t.lookup, 'sip.example', 5061, [a([], true)]);
    assert.equal(got.owner, tlsaOwner(5061, 'sip.example'));
    assert.equal(got.baseDomain, 'sip.example');
    assert.deepEqual(t.asked, ['_5061._tcp.sip.example']);
  });
  test('a secure alias with records at the expanded name: those', async () => {
    const t = table({ '_5061._tcp.edge.provider.example': 'answer' });
    const got = await lookupTlsaRecords(t.lookup, 'sip.example', 5061, [a(alias, true)]);
    assert.equal(got.owner, '_5061._tcp.edge.provider.example');
    // RFC 7671 §7: the expanded name is the base domain (the SNI and primary name DANE clients use).
    assert.equal(got.baseDomain, 'edge.provider.example');
    assert.equal(got.expandedName, 'edge.provider.example');
    assert.deepEqual(t.asked, ['_5061._tcp.edge.provider.example']);
  });
  test('none at the expanded name: the original name next', async () => {
    const t = table({ '_5061._tcp.sip.example': 'answer' });
    const got = await lookupTlsaRecords(t.lookup, 'sip.example', 5061, [a(alias, true)]);
    assert.equal(got.owner, '_5061._tcp.sip.example');
    assert.equal(got.outcome.kind, 'answer');
    assert.equal(got.expandedOwner, '_5061._tcp.edge.provider.example');
    assert.equal(got.baseDomain, 'sip.example');
    assert.deepEqual(t.asked, ['_5061._tcp.edge.provider.example', '_5061._tcp.sip.example']);
  });
  test('a bogus answer at the expanded name is the result: no fallback past it', async () => {
    const t = table({ '_5061._tcp.edge.provider.example': 'bogus', '_5061._tcp.sip.example': 'answer' });
    const got = await lookupTlsaRecords(t.lookup, 'sip.example', 5061, [a(alias, true)]);
    assert.equal(got.owner, '_5061._tcp.edge.provider.example');
    assert.equal(got.outcome.kind, 'error');
    assert.deepEqual(t.asked, ['_5061._tcp.edge.provider.example']);
  });
  test('a chain back to the target itself, in other letters: no alias, the target asked once (RFC 4343)', async () => {
    const t = table({ '_5061._tcp.sip.example': 'answer' });
    const got = await lookupTlsaRecords(t.lookup, 'sip.example', 5061, [a([{ from: 'sip.example', to: 'SIP.Example.' }], true)]);
    assert.equal(got.baseDomain, 'sip.example');
    assert.equal(got.expandedName, undefined);
    assert.deepEqual(t.asked, ['_5061._tcp.sip.example']);
  });
  test('an insecure alias: the original name only', async () => {
    const t = table({ '_5061._tcp.edge.provider.example': 'answer' });
    const got = await lookupTlsaRecords(t.lookup, 'sip.example', 5061, [a(alias, false)]);
    assert.equal(got.owner, '_5061._tcp.sip.example');
    assert.equal(got.baseDomain, 'sip.example');
    assert.equal(got.expandedName, undefined);
    assert.deepEqual(t.asked, ['_5061._tcp.sip.example']);
  });
});
