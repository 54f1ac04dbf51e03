/**
 * Empty answers, strictly: only the zone's SOA (RFC 2308 §2.2) or, asked with
 * RD=0, the AA flag make NODATA; a referral (RFC 1034 §4.3.2) is its own
 * outcome, followed with --no-recursion; anything else could not tell.
 */
import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import type { ResourceRecord } from '../../../src/dns/codec.js';
import { classifyEmpty, lookup, MAX_REFERRALS, type QuerySource, type ReferralFollower } from '../../../src/lookup/resolve.js';
import { isUnknown, outcomeClass, type Delegation } from '../../../src/lookup/types.js';
import { failure, message, response, rr, scripted } from '../fake-dns.js';

const NAME = '_sipfederationtls._tcp.hearings.contoso.com';
const CHILD = 'hearings.contoso.com';
const NS = [rr.ns(CHILD, 'ns1-07.azure-dns.com'), rr.ns(CHILD, 'ns1.hearings.contoso.com')];
const GLUE = [rr.a('ns1.hearings.contoso.com', '127.0.0.9'), rr.aaaa('ns1.hearings.contoso.com', '::1'), rr.a('unrelated.example', '127.0.0.99')];

const empty = (rcode: 'NOERROR' | 'NXDOMAIN', options: { aa?: boolean; authorities?: readonly ResourceRecord[]; additionals?: readonly ResourceRecord[] }) => message([], rcode, options);

describe('classifyEmpty: every shape of an empty answer', () => {
  const cases: { title: string; rcode?: 'NOERROR' | 'NXDOMAIN'; aa?: boolean; authorities?: ResourceRecord[]; rd0: string; rd1: string }[] = [
    { title: 'the SOA of the zone holding the name', authorities: [rr.soa('contoso.com')], rd0: 'nodata', rd1: 'nodata' },
    { title: 'the SOA of the zone, AA set', aa: true, authorities: [rr.soa('contoso.com')], rd0: 'nodata', rd1: 'nodata' },
    { title: 'AA set, nothing in authority', aa: true, rd0: 'nodata', rd1: 'error no-soa' },
    { title: 'NS of a zone above the name, AA clear (a referral)', authorities: NS, rd0: `referral ${CHILD}`, rd1: 'error referral' },
    { title: 'NS of the zone, AA set (its own apex NS)', aa: true, authorities: [rr.ns('contoso.com', 'ns1.contoso.com')], rd0: 'nodata', rd1: 'error no-soa' },
    { title: 'nothing at all', rd0: 'error no-soa', rd1: 'error no-soa' },
    { title: 'the SOA of a zone that does not hold the name', aa: true, authorities: [rr.soa('fabrikam.com')], rd0: 'error lame', rd1: 'error lame' },
    { title: 'an upward referral to the root', authorities: [rr.ns('.', 'a.root-servers.net')], rd0: 'error lame', rd1: 'error lame' },
    { title: 'NS of an unrelated zone', authorities: [rr.ns('fabrikam.com', 'ns1.fabrikam.com')], rd0: 'error lame', rd1: 'error lame' },
    { title: 'NXDOMAIN with AA', rcode: 'NXDOMAIN', aa: true, rd0: 'nxdomain', rd1: 'nxdomain' },
    { title: 'NXDOMAIN without AA', rcode: 'NXDOMAIN', authorities: [rr.soa('contoso.com')], rd0: 'error not-authoritative', rd1: 'nxdomain' },
  ];
  const show = (e: ReturnType<typeof classifyEmpty>): string =>
    e.kind === 'error' ? `error ${e.reason}` : e.kind === 'referral' ? `referral ${e.delegation.zone}` : e.kind;
  for (const c of cases) {
    test(`${c.title}: RD=0 ${c.rd0}, RD=1 ${c.rd1}`, () => {
      const m = empty(c.rcode ?? 'NOERROR', { ...(c.aa !== undefined ? { aa: c.aa } : {}), authorities: c.authorities ?? [] });
      assert.equal(show(classifyEmpty(m, NAME, false)), c.rd0);
      assert.equal(show(classifyEmpty(m, NAME, true)), c.rd1);
    });
  }

  test('a referral names the child zone and its servers, with only their own glue', () => {
    const got = classifyEmpty(empty('NOERROR', { authorities: NS, additionals: GLUE }), NAME, false);
    assert.ok(got.kind === 'referral');
    assert.deepEqual(got.delegation, {
      zone: CHILD,
      servers: [
        { name: 'ns1-07.azure-dns.com', addresses: [] },
        { name: 'ns1.hearings.contoso.com', addresses: ['127.0.0.9', '::1'] },
      ],
    });
  });

  test('every error names why in one line', () => {
    const shapes: [ReturnType<typeof empty>, boolean][] = [[empty('NOERROR', {}), true], [empty('NOERROR', { authorities: NS }), true], [empty('NXDOMAIN', {}), false]];
    for (const [m, rd] of shapes) {
      const got = classifyEmpty(m, NAME, rd);
      assert.ok(got.kind === 'error');
      assert.ok(got.detail.length > 0 && !got.detail.includes('\n'));
    }
  });
});

describe('lookup: referrals', () => {
  const referral = response([], 'NOERROR', { authorities: NS, additionals: GLUE });

  test('RD=0 without a follower: a referral outcome naming the delegation and the advice, never absent', async () => {
    const out = await lookup(scripted({ [`${NAME} SRV`]: referral }), NAME, 'SRV', { recursionDesired: false, referralAdvice: 'load that zone with --zone to check it' });
    assert.equal(out.kind, 'referral');
    assert.equal(outcomeClass(out), 'unknown');
    assert.ok(out.kind === 'referral');
    assert.equal(out.delegation.zone, CHILD);
    assert.match(out.detail, /is delegated to ns1-07\.azure-dns\.com, ns1\.hearings\.contoso\.com \(127\.0\.0\.9, ::1\) \(zone hearings\.contoso\.com, by 127\.0\.0\.1:5300\); load that zone with --zone to check it$/);
  });

  test('RD=1: a referral from a resolver is an error, never an answer', async () => {
    const out = await lookup(scripted({ [`${NAME} SRV`]: referral }), NAME, 'SRV');
    assert.ok(out.kind === 'error');
    assert.equal(out.reason, 'referral');
    assert.match(out.detail, /referral to .* instead of an answer/);
  });

  /** A follower that hands out a scripted source per child zone and records what it was asked. */
  function follower(children: Record<string, QuerySource | { error: string }>): ReferralFollower & { asked: Delegation[] } {
    const asked: Delegation[] = [];
    return {
      asked,
      sourceFor: async (delegation) => {
        asked.push(delegation);
        const child = children[delegation.zone] ?? { error: `no script for ${delegation.zone}` };
        return 'error' in child ? { ok: false, error: child.error } : { ok: true, value: child };
      },
    };
  }

  test('RD=0 with a follower: the child zone\'s server answers, and its answer is the outcome', async () => {
    const child = scripted({ [`${NAME} SRV`]: response([rr.srv(NAME, 0, 0, 5061, 'sip.hearings.contoso.com')], 'NOERROR', { aa: true }) });
    const f = follower({ [CHILD]: child });
    const out = await lookup(scripted({ [`${NAME} SRV`]: referral }), NAME, 'SRV', { recursionDesired: false, follow: f });
    assert.equal(out.kind, 'answer');
    assert.deepEqual(f.asked.map((d) => d.zone), [CHILD]);
    assert.deepEqual(child.calls, [`${NAME} SRV`]);
  });

  test('the child zone\'s NODATA is absent; its silence is unknown, naming the delegation', async () => {
    const nodata = scripted({ [`${NAME} SRV`]: response([], 'NOERROR', { aa: true, authorities: [rr.soa(CHILD)] }) });
    assert.equal((await lookup(scripted({ [`${NAME} SRV`]: referral }), NAME, 'SRV', { recursionDesired: false, follow: follower({ [CHILD]: nodata }) })).kind, 'nodata');
    const silent = scripted({ [`${NAME} SRV`]: failure('timeout', 'timeout after 3 tries to 127.0.0.9:53') });
    const out = await lookup(scripted({ [`${NAME} SRV`]: referral }), NAME, 'SRV', { recursionDesired: false, follow: follower({ [CHILD]: silent }) });
    assert.ok(out.kind === 'error');
    assert.equal(out.reason, 'delegation');
    assert.match(out.detail, /is delegated to ns1-07\.azure-dns\.com, ns1\.hearings\.contoso\.com \(127\.0\.0\.9, ::1\) \(zone hearings\.contoso\.com, by 127\.0\.0\.1:5300\), whose servers gave no answer: timeout after 3 tries to 127\.0\.0\.9:53/);
  });

  test('servers that cannot be asked: unknown, saying why', async () => {
    const out = await lookup(scripted({ [`${NAME} SRV`]: referral }), NAME, 'SRV', { recursionDesired: false, follow: follower({}) });
    assert.ok(isUnknown(out));
    assert.match(out.detail, /whose servers cannot be asked: no script for hearings\.contoso\.com/);
  });

  test('a child that refers back to the same zone (a loop) is lame', async () => {
    const child = scripted({ [`${NAME} SRV`]: referral });
    const out = await lookup(scripted({ [`${NAME} SRV`]: referral }), NAME, 'SRV', { recursionDesired: false, follow: follower({ [CHILD]: child }) });
    assert.ok(out.kind === 'error');
    assert.equal(out.reason, 'lame');
    assert.match(out.detail, /does not lead below hearings\.contoso\.com/);
  });

  test(`at most ${MAX_REFERRALS} referrals, each one level further down`, async () => {
    // a.b.c.d.e.f.contoso.com: every level is a cut, each server refers one label further.
    const labels = ['a', 'b', 'c', 'd', 'e', 'f'];
    const deep = `_sipfederationtls._tcp.${labels.join('.')}.contoso.com`;
    const zones = labels.map((_, i) => `${labels.slice(i).join('.')}.contoso.com`).reverse();
    const refer = (zone: string) => response([], 'NOERROR', { authorities: [rr.ns(zone, `ns.${zone}`)], additionals: [rr.a(`ns.${zone}`, '127.0.0.9')] });
    const children: Record<string, QuerySource> = {};
    zones.forEach((zone, i) => {
      children[zone] = scripted({ [`${deep} SRV`]: refer(zones[i + 1] ?? `x.${zone}`) });
    });
    const f = follower(children);
    const out = await lookup(scripted({ [`${deep} SRV`]: refer(zones[0]!) }), deep, 'SRV', { recursionDesired: false, follow: f });
    assert.ok(out.kind === 'error');
    assert.equal(out.reason, 'delegation');
    assert.match(out.detail, new RegExp(`more than ${MAX_REFERRALS} referrals`));
    assert.equal(f.asked.length, MAX_REFERRALS);
  });

  test('NXDOMAIN without AA through RD=0 is not absent', async () => {
    const out = await lookup(scripted({ [`${NAME} SRV`]: response([], 'NXDOMAIN', { authorities: [rr.soa('contoso.com')] }) }), NAME, 'SRV', { recursionDesired: false });
    assert.ok(out.kind === 'error');
    assert.equal(out.reason, 'not-authoritative');
  });
});
