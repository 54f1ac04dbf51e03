import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { missingDotText } from '../../../src/rules/federation/messages.js';
import { candidateOrigins, isTopLevelLabel, missingDot, withoutRepeatedOrigin } from '../../../src/rules/federation/missing-dot.js';

describe('withoutRepeatedOrigin: a target written without its trailing dot', () => {
  const cases: [target: string, near: string | undefined, meant: string | undefined][] = [
    // A full name with the zone's origin appended (the prefix ends in a top-level label).
    ['sipfed.online.lync.com.example.com', '_sipfederationtls._tcp.example.com', 'sipfed.online.lync.com'],
    ['SIPFED.Online.Lync.COM.Example.com', '_sipfederationtls._tcp.example.com', 'sipfed.online.lync.com'],
    // The origin may be a zone above the SIP domain.
    ['sip.contoso.de.example.com', '_sipfederationtls._tcp.hearings.example.com', 'sip.contoso.de'],
    ['xmpp.contoso.xn--p1ai.example.com', 'example.com', 'xmpp.contoso.xn--p1ai'],
    // The target repeats its own tail.
    ['sip.example.com.example.com', undefined, 'sip.example.com'],
    // Ordinary targets.
    ['sip.example.com', '_sipfederationtls._tcp.example.com', undefined],
    ['sip.eu.example.com', '_sipfederationtls._tcp.example.com', undefined],
    ['contoso.com.example.com', '_sipfederationtls._tcp.example.com', 'contoso.com'],
    ['edge.contoso.local.example.com', 'example.com', undefined],
    // A single label before the origin is an ordinary relative name (`com.example.com` is a host called com).
    ['com.example.com', 'example.com', undefined],
    ['sipfed.online.lync.com', undefined, undefined],
  ];
  for (const [target, near, meant] of cases) {
    test(`${target}${near !== undefined ? ` near ${near}` : ''} → ${meant ?? 'none'}`, () => {
      assert.equal(withoutRepeatedOrigin(target, near === undefined ? [] : candidateOrigins(near)), meant);
      assert.equal(missingDot(target, near)?.meant, meant);
    });
  }

  test('the hint names the meant name and the origin appended, as data and in words', () => {
    const hint = missingDot('sipfed.online.lync.com.example.com', '_sipfederationtls._tcp.example.com');
    assert.deepEqual(hint, { meant: 'sipfed.online.lync.com', origin: 'example.com' });
    assert.equal(missingDotText(undefined), '');
    assert.equal(
      missingDotText(hint),
      ' (probably sipfed.online.lync.com. written in the zone file without its trailing dot, so the origin example.com was appended to it)',
    );
  });

  test('top-level labels: IANA\'s (Unicode ones as A-labels) and the RFC 6761 special names', () => {
    for (const label of ['com', 'DE', 'xn--p1ai', 'test', 'example']) assert.ok(isTopLevelLabel(label), label);
    for (const label of ['local', 'corp', 'lan', '']) assert.ok(!isTopLevelLabel(label), label);
  });

  test('candidate origins: every name above of two labels or more', () => {
    assert.deepEqual(candidateOrigins('_sip._tcp.a.example.com'), ['_sip._tcp.a.example.com', '_tcp.a.example.com', 'a.example.com', 'example.com']);
  });
});
