import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { decodeMessage, encodeRaw } from '../../src/dns/codec.js';
import { lookup, MAX_CNAME_HOPS, type QuerySource } from '../../src/lookup/resolve.js';
import { absenceWord, finalName, outcomeClass, type LookupOutcome } from '../../src/lookup/types.js';
import type { QueryOutcome } from '../../src/dns/client.js';
import { FAKE_SERVER, failure, response, rr, scripted, zone } from './fake-dns.js';

/** A compact view of an outcome: kind, chain, and records or reason. */
function view(outcome: LookupOutcome): string {
  const chain = outcome.chain.map((h) => `${h.from}>${h.to}`).join(',');
  const tail =
    outcome.kind === 'answer'
      ? outcome.records.map((r) => ('address' in r ? r.address : 'target' in r ? r.target : r.type)).join(',')
      : outcome.kind === 'error'
        ? outcome.reason
        : '';
  return [outcome.kind, chain, tail].filter((p) => p !== '').join(' ');
}

describe('lookup: one question, no aliases', () => {
  test('answer: records of the asked type, with provenance', async () => {
    const src = scripted({ 'sip.d.example A': response([rr.a('sip.d.example', '192.0.2.1'), rr.a('sip.d.example', '192.0.2.2')], 'NOERROR', { ad: true, transport: 'tcp' }) });
    const out = await lookup(src, 'sip.d.example', 'A');
    assert.equal(view(out), 'answer 192.0.2.1,192.0.2.2');
    assert.ok(out.kind === 'answer');
    assert.equal(out.server, '127.0.0.1:5300');
    assert.equal(out.transport, 'tcp');
    assert.equal(out.authenticated, true);
    assert.deepEqual(src.calls, ['sip.d.example A']);
  });

  test('records of another owner or type in the answer are not taken', async () => {
    const src = scripted({ 'sip.d.example A': response([rr.a('other.d.example', '192.0.2.9'), rr.aaaa('sip.d.example', '2001:db8::1')]) });
    assert.equal(view(await lookup(src, 'sip.d.example', 'A')), 'nodata');
  });

  test('NODATA: NOERROR with an empty answer', async () => {
    const out = await lookup(scripted({ 'd.example SRV': response([]) }), 'd.example', 'SRV');
    assert.equal(view(out), 'nodata');
    assert.ok(out.kind === 'nodata');
    assert.match(absenceWord(out), /no SRV records \(NODATA\)/);
  });

  test('NXDOMAIN', async () => {
    const out = await lookup(scripted({ 'nx.d.example A': response([], 'NXDOMAIN') }), 'nx.d.example', 'A');
    assert.equal(view(out), 'nxdomain');
    assert.ok(out.kind === 'nxdomain');
    assert.match(absenceWord(out), /does not exist \(NXDOMAIN\)/);
  });

  test('failure → error carrying the client reason and detail', async () => {
    const src = scripted({ 'd.example SRV': failure('timeout', 'timeout after 3 tries to 127.0.0.1:5300') });
    const out = await lookup(src, 'd.example', 'SRV');
    assert.ok(out.kind === 'error');
    assert.equal(out.reason, 'timeout');
    assert.equal(out.detail, 'timeout after 3 tries to 127.0.0.1:5300');
    assert.deepEqual(out.chain, []);
  });

  test('SERVFAIL failure keeps its own reason', async () => {
    const servfail = failure('servfail', 'SERVFAIL from 127.0.0.1:5300 (3 tries)');
    const out = await lookup(scripted({ 'd.example A': servfail, 'd.example A CD=1': servfail }), 'd.example', 'A');
    assert.equal(out.kind === 'error' && out.reason, 'servfail');
  });

  test('owner names match case-insensitively (RFC 4343)', async () => {
    const src = scripted({ 'Sip.D.Example A': response([rr.a('sIP.d.EXAMPLE', '192.0.2.1')]) });
    const out = await lookup(src, 'SIP.d.example', 'A');
    assert.equal(view(out), 'answer 192.0.2.1');
    assert.equal(out.name, 'SIP.d.example', 'the outcome names the name as asked');
  });

  test('asking for CNAME returns the CNAME itself, not its target', async () => {
    const src = scripted({ 'alias.d.example CNAME': response([rr.cname('alias.d.example', 'host.d.example')]) });
    assert.equal(view(await lookup(src, 'alias.d.example', 'CNAME')), 'answer host.d.example');
  });
});

describe('lookup: CNAME chains', () => {
  test('chain fully in the answer: records of the last name, every hop recorded', async () => {
    const src = scripted({
      'a.d.example A': response([rr.cname('a.d.example', 'b.d.example'), rr.cname('b.d.example', 'c.other.example'), rr.a('c.other.example', '192.0.2.3')]),
    });
    const out = await lookup(src, 'a.d.example', 'A');
    assert.equal(view(out), 'answer a.d.example>b.d.example,b.d.example>c.other.example 192.0.2.3');
    assert.equal(finalName(out), 'c.other.example');
    assert.deepEqual(src.calls, ['a.d.example A'], 'no re-ask when the answer holds the whole chain');
  });

  test('chain in the answer in any record order, names in any case', async () => {
    const src = scripted({
      'a.d.example A': response([rr.a('C.d.example', '192.0.2.3'), rr.cname('B.d.example', 'c.d.example'), rr.cname('a.D.example', 'b.d.example')]),
    });
    assert.equal(view(await lookup(src, 'a.d.example', 'A')), 'answer a.d.example>b.d.example,b.d.example>c.d.example 192.0.2.3');
  });

  test('chain ending on a target without data is re-asked at the target (authoritative server, out-of-zone alias)', async () => {
    const src = scripted({
      'sip.d.example A': response([rr.cname('sip.d.example', 'edge.hoster.example')]),
      'edge.hoster.example A': response([rr.a('edge.hoster.example', '192.0.2.7')]),
    });
    const out = await lookup(src, 'sip.d.example', 'A');
    assert.equal(view(out), 'answer sip.d.example>edge.hoster.example 192.0.2.7');
    assert.deepEqual(src.calls, ['sip.d.example A', 'edge.hoster.example A']);
  });

  test('a chain asked in two responses is secure only when both carried AD (RFC 4035 §3.2.3)', async () => {
    for (const [first, second, secure] of [[true, true, true], [false, true, false], [true, false, false]] as const) {
      const src = scripted({
        'sip.d.example A': response([rr.cname('sip.d.example', 'edge.hoster.example')], 'NOERROR', { ad: first }),
        'edge.hoster.example A': response([rr.a('edge.hoster.example', '192.0.2.7')], 'NOERROR', { ad: second }),
      });
      const out = await lookup(src, 'sip.d.example', 'A');
      assert.ok(out.kind === 'answer');
      assert.equal(out.authenticated, secure, `AD ${first}, then ${second}`);
    }
  });

  test('the same through an authoritative-style zone that stops at every alias', async () => {
    const src = zone([rr.cname('a.d.example', 'b.d.example'), rr.cname('b.d.example', 'c.d.example'), rr.a('c.d.example', '192.0.2.4')], { followAliases: false });
    assert.equal(view(await lookup(src, 'a.d.example', 'A')), 'answer a.d.example>b.d.example,b.d.example>c.d.example 192.0.2.4');
    assert.equal(src.calls.length, 3);
  });

  test('re-asked target without data → NODATA, chain kept', async () => {
    const src = scripted({
      'sip.d.example A': response([rr.cname('sip.d.example', 'v6.d.example')]),
      'v6.d.example A': response([]),
    });
    assert.equal(view(await lookup(src, 'sip.d.example', 'A')), 'nodata sip.d.example>v6.d.example');
  });

  test('NXDOMAIN at the end of a chain in one answer describes the last name (RFC 6604 §2.1)', async () => {
    const src = scripted({ 'sip.d.example A': response([rr.cname('sip.d.example', 'gone.d.example')], 'NXDOMAIN') });
    const out = await lookup(src, 'sip.d.example', 'A');
    assert.equal(view(out), 'nxdomain sip.d.example>gone.d.example');
    assert.equal(finalName(out), 'gone.d.example');
    assert.deepEqual(src.calls, ['sip.d.example A'], 'NXDOMAIN is final: the target is not re-asked');
  });

  test('NXDOMAIN on a re-asked target', async () => {
    const src = scripted({
      'sip.d.example A': response([rr.cname('sip.d.example', 'gone.hoster.example')]),
      'gone.hoster.example A': response([], 'NXDOMAIN'),
    });
    assert.equal(view(await lookup(src, 'sip.d.example', 'A')), 'nxdomain sip.d.example>gone.hoster.example');
  });

  test('failure while re-asking → error with the detail and the chain so far', async () => {
    const src = scripted({
      'sip.d.example A': response([rr.cname('sip.d.example', 'far.hoster.example')]),
      'far.hoster.example A': failure('refused', 'REFUSED from 127.0.0.1:5300 (3 tries)'),
    });
    const out = await lookup(src, 'sip.d.example', 'A');
    assert.equal(view(out), 'error sip.d.example>far.hoster.example refused');
    assert.equal(out.kind === 'error' && out.detail, 'REFUSED from 127.0.0.1:5300 (3 tries)');
  });

  test('loop inside one answer → error cname-loop', async () => {
    const src = scripted({ 'a.d.example A': response([rr.cname('a.d.example', 'b.d.example'), rr.cname('b.d.example', 'a.d.example')]) });
    const out = await lookup(src, 'a.d.example', 'A');
    assert.equal(out.kind === 'error' && out.reason, 'cname-loop');
    assert.match(out.kind === 'error' ? out.detail : '', /loop: a\.d\.example → b\.d\.example → a\.d\.example/);
  });

  test('alias to itself → cname-loop', async () => {
    const src = scripted({ 'a.d.example A': response([rr.cname('a.d.example', 'A.D.EXAMPLE')]) });
    assert.equal(view(await lookup(src, 'a.d.example', 'A')), 'error a.d.example>A.D.EXAMPLE cname-loop');
  });

  test('loop across re-asks → error cname-loop, not an endless re-ask', async () => {
    const src = scripted({
      'a.d.example A': response([rr.cname('a.d.example', 'b.other.example')]),
      'b.other.example A': response([rr.cname('b.other.example', 'a.d.example')]),
    });
    const out = await lookup(src, 'a.d.example', 'A');
    assert.equal(out.kind === 'error' && out.reason, 'cname-loop');
    assert.deepEqual(src.calls, ['a.d.example A', 'b.other.example A']);
  });

  test('loop across re-asks through the authoritative-style zone (case differs)', async () => {
    const src = zone([rr.cname('a.d.example', 'b.d.example'), rr.cname('b.d.example', 'c.d.example'), rr.cname('c.d.example', 'B.d.example')], { followAliases: false });
    assert.equal(view(await lookup(src, 'a.d.example', 'A')), 'error a.d.example>b.d.example,b.d.example>c.d.example,c.d.example>B.d.example cname-loop');
    assert.equal(src.calls.length, 3);
  });

  /** A chain a0 → a1 → … → a{hops}, with an A record at the end. */
  function chain(hops: number): ReturnType<typeof rr.a>[] {
    const names = Array.from({ length: hops + 1 }, (_, i) => `a${i}.d.example`);
    return [...names.slice(0, -1).map((n, i) => rr.cname(n, names[i + 1]!)), rr.a(names[hops]!, '192.0.2.99')];
  }

  test(`a chain of exactly ${MAX_CNAME_HOPS} hops is followed (in one answer and by re-asking)`, async () => {
    for (const followAliases of [true, false]) {
      const out = await lookup(zone(chain(MAX_CNAME_HOPS), { followAliases }), 'a0.d.example', 'A');
      assert.equal(out.kind, 'answer', `followAliases=${followAliases}`);
      assert.equal(out.chain.length, MAX_CNAME_HOPS);
    }
  });

  test(`a chain of ${MAX_CNAME_HOPS + 1}+ hops → error cname-limit (in one answer and by re-asking)`, async () => {
    for (const hops of [MAX_CNAME_HOPS + 1, MAX_CNAME_HOPS + 5]) {
      for (const followAliases of [true, false]) {
        const src = zone(chain(hops), { followAliases });
        const out = await lookup(src, 'a0.d.example', 'A');
        assert.equal(out.kind === 'error' && out.reason, 'cname-limit', `hops=${hops} followAliases=${followAliases}`);
        assert.ok(src.calls.length <= MAX_CNAME_HOPS + 1, `bounded questions, got ${src.calls.length}`);
      }
    }
  });
});

describe('lookup over messages that went through the real codec', () => {
  test('a CNAME chain encoded with dns-packet and decoded by the codec (trailing dots, mixed case)', async () => {
    const wire = encodeRaw({
      type: 'response',
      id: 7,
      flags: 0x8180,
      questions: [{ name: 'Sip.D.Example', type: 'A', class: 'IN' }],
      answers: [
        { type: 'CNAME', name: 'Sip.D.Example.', ttl: 60, class: 'IN', data: 'EDGE.hoster.example.' },
        { type: 'A', name: 'edge.HOSTER.example.', ttl: 60, class: 'IN', data: '192.0.2.8' },
      ],
    });
    const decoded = decodeMessage(wire);
    assert.ok(decoded.ok, decoded.ok ? '' : decoded.error);
    const src: QuerySource = { query: async () => ({ kind: 'response', message: decoded.value, server: FAKE_SERVER, transport: 'udp', tries: 1 }) };
    assert.equal(view(await lookup(src, 'sip.d.example', 'A')), 'answer sip.d.example>EDGE.hoster.example 192.0.2.8');
  });
});

describe('names holding any octet are asked for as they were sent', () => {
  /** An SRV answer built byte by byte: its target's first label is 73 ff 9b ('s', then two octets that are not UTF-8). */
  function srvWithRawTarget(): Buffer {
    const header = Buffer.from([0, 7, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0]);
    const question = Buffer.concat([Buffer.from('\x01d\x07example\x00', 'latin1'), Buffer.from([0, 33, 0, 1])]);
    const target = Buffer.concat([Buffer.from([3, 0x73, 0xff, 0x9b]), Buffer.from('\x01d\x07example\x00', 'latin1')]);
    const rdata = Buffer.concat([Buffer.from([0, 0, 0, 100, 0x13, 0xc5]), target]);
    const fixed = Buffer.from([0xc0, 12, 0, 33, 0, 1, 0, 0, 1, 44, 0, rdata.length]);
    return Buffer.concat([header, question, fixed, rdata]);
  }

  test('an SRV target whose octets are not UTF-8 is asked for as \\DDD text, the octets that came', async () => {
    const decoded = decodeMessage(srvWithRawTarget());
    assert.ok(decoded.ok, decoded.ok ? '' : decoded.error);
    const record = decoded.value.answers[0];
    assert.ok(record?.type === 'SRV');
    assert.equal(record.target, 's\\255\\155.d.example', 'the codec shows such octets as \\DDD (RFC 1035 §5.1)');
    const src = scripted({ 's\\255\\155.d.example A': response([rr.a('s\\255\\155.d.example', '192.0.2.5')]) });
    assert.equal(view(await lookup(src, record.target, 'A')), 'answer 192.0.2.5');
    assert.deepEqual(src.calls, ['s\\255\\155.d.example A']);
  });

  test('a name with a dot inside a label (sip\\.x) is asked for as that one label, never as sip and x', async () => {
    const src = scripted({ 'sip\\.x.d.example A': response([], 'NXDOMAIN') });
    assert.equal(view(await lookup(src, 'sip\\.x.d.example', 'A')), 'nxdomain', 'the NXDOMAIN of the name itself: a true absence');
    assert.deepEqual(src.calls, ['sip\\.x.d.example A']);
  });

  test('a CNAME target holding such octets is followed, in the answer and by asking for it', async () => {
    const inAnswer = scripted({ 'alias.d.example A': response([rr.cname('alias.d.example', 'e\\255.d.example'), rr.a('E\\255.d.example', '192.0.2.6')]) });
    assert.equal(view(await lookup(inAnswer, 'alias.d.example', 'A')), 'answer alias.d.example>e\\255.d.example 192.0.2.6');
    const asked = scripted({
      'alias.d.example A': response([rr.cname('alias.d.example', 'e\\255.d.example')]),
      'e\\255.d.example A': response([rr.a('e\\255.d.example', '192.0.2.7')]),
    });
    assert.equal(view(await lookup(asked, 'alias.d.example', 'A')), 'answer alias.d.example>e\\255.d.example 192.0.2.7');
    assert.deepEqual(asked.calls, ['alias.d.example A', 'e\\255.d.example A']);
  });
});

/** A source that gives its outcomes in turn, whatever is asked, and records each question with its CD bit. */
function inTurn(outcomes: readonly QueryOutcome[]): QuerySource & { readonly calls: string[] } {
  const calls: string[] = [];
  let next = 0;
  return {
    calls,
    query: async ({ name, type, checkingDisabled }) => {
      calls.push(`${name} ${type}${checkingDisabled === true ? ' CD=1' : ''}`);
      const outcome = outcomes[next];
      next += 1;
      if (outcome === undefined) throw new Error(`unexpected question ${name} ${type}`);
      return outcome;
    },
  };
}

describe('lookup: a SERVFAIL that goes away with CD=1 is bogus (RFC 4035 §3.2.2), never absent', () => {
  const OWNER = '_xmpp-server._tcp.d.example';
  const srv = rr.srv(OWNER, 0, 0, 5269, 'x.d.example');
  const servfail = failure('servfail', 'SERVFAIL from 127.0.0.1:5300 (3 tries)');

  test('SERVFAIL, records with CD=1, SERVFAIL again: bogus, naming the resolver', async () => {
    const src = inTurn([servfail, response([srv]), servfail]);
    const out = await lookup(src, OWNER, 'SRV');
    assert.deepEqual(src.calls, [`${OWNER} SRV`, `${OWNER} SRV CD=1`, `${OWNER} SRV`]);
    assert.ok(out.kind === 'error');
    assert.equal(out.reason, 'bogus');
    assert.equal(out.server, '127.0.0.1:5300');
    assert.equal(out.detail, 'DNSSEC validation failed at 127.0.0.1:5300 (the answer with CD=1 has records)');
    assert.equal(outcomeClass(out), 'unknown');
  });

  test('a bogus denial: the CD=1 answer is NXDOMAIN, and still it is bogus, not absent', async () => {
    const out = await lookup(inTurn([servfail, response([], 'NXDOMAIN'), servfail]), OWNER, 'SRV');
    assert.ok(out.kind === 'error' && out.reason === 'bogus');
    assert.match(out.detail, /the answer with CD=1 is NXDOMAIN/);
    assert.equal(outcomeClass(out), 'unknown');
  });

  test('SERVFAIL with CD=1 as well: an ordinary SERVFAIL (no validation involved)', async () => {
    const src = inTurn([servfail, servfail]);
    const out = await lookup(src, OWNER, 'SRV');
    assert.ok(out.kind === 'error');
    assert.equal(out.reason, 'servfail');
    assert.equal(out.detail, 'SERVFAIL from 127.0.0.1:5300 (3 tries)');
    assert.equal(src.calls.length, 2);
  });

  test('a SERVFAIL that was transient (answered the third time without CD) is the answer, not bogus', async () => {
    const out = await lookup(inTurn([servfail, response([srv]), response([srv], 'NOERROR', { ad: false })]), OWNER, 'SRV');
    assert.equal(view(out), 'answer x.d.example');
  });

  test('a timeout is not asked again with CD=1', async () => {
    const src = inTurn([failure('timeout', 'timeout after 3 tries to 127.0.0.1:5300')]);
    assert.equal(view(await lookup(src, OWNER, 'SRV')), 'error timeout');
    assert.equal(src.calls.length, 1);
  });

  test('an authoritative server (RD=0) is never asked with CD=1: its SERVFAIL is no validation', async () => {
    const src = inTurn([servfail]);
    assert.equal(view(await lookup(src, OWNER, 'SRV', { recursionDesired: false })), 'error servfail');
    assert.equal(src.calls.length, 1);
  });
});
