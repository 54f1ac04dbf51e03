import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { judge, observeDomain } from '../../../src/check/check-domain.js';
import { LookupCache } from '../../../src/lookup/cache.js';
import { CATALOGUE, RULE_IDS } from '../../../src/rules/catalogue.js';
import { CORE_RULE_IDS } from '../../../src/rules/federation/catalogue.js';
import { PROFILE_RULE_IDS } from '../../../src/rules/profiles/catalogue.js';
import { evaluate } from '../../../src/rules/engine.js';
import { resolveProfile } from '../../../src/rules/profiles/rules.js';
import { CLOUD_NAMES, CLOUDS, cloudOfName, layerExpectations, PROFILE_NAMES, PROFILES } from '../../../src/rules/profiles/profiles.js';
import { DEFAULT_EXPECTATIONS } from '../../../src/rules/types.js';
import { rr, zone } from '../../lookup/fake-dns.js';
import { findingsOf, SCENARIOS } from '../scenarios.js';
import { D, DISCOVER, EDGE, EDGE_XMPP, MS, NOTE_ONLY_RULES, ONLINE, pairs, PROFILE_SCENARIOS, profileFindings, SIP, SIPFED, SIPTLS, sorted } from './scenarios.js';

describe('profile rules: one scenario per line', () => {
  for (const s of PROFILE_SCENARIOS) {
    test(s.title, async () => {
      const { findings } = await profileFindings(s.records, s.expect, s.zone);
      assert.equal(pairs(findings), sorted(s.findings));
    });
  }
});

describe('profile catalogue', () => {
  test('every profile rule is emitted by some scenario, as its catalogue severity and (unless a note) as pass', async () => {
    const seen = new Map<string, Set<string>>();
    for (const s of PROFILE_SCENARIOS) {
      for (const f of (await profileFindings(s.records, s.expect, s.zone)).findings) {
        const statuses = seen.get(f.rule) ?? new Set<string>();
        statuses.add(f.status);
        seen.set(f.rule, statuses);
      }
    }
    for (const id of PROFILE_RULE_IDS) {
      const statuses = seen.get(id) ?? new Set<string>();
      assert.ok(statuses.has(CATALOGUE[id].severity), `${id} is emitted as ${CATALOGUE[id].severity}`);
      if (!NOTE_ONLY_RULES.includes(id)) assert.ok(statuses.has('pass'), `${id} passes in some scenario`);
    }
  });

  test('every profile rule belongs to some profile, and every profile names only catalogue rules', () => {
    const used = new Set<string>(PROFILE_NAMES.flatMap((p) => PROFILES[p].rules));
    for (const id of PROFILE_RULE_IDS) if (id !== 'profile-auto') assert.ok(used.has(id), `${id} is in a profile`);
    for (const p of PROFILE_NAMES) {
      assert.equal(PROFILES[p].name, p);
      for (const id of PROFILES[p].rules) assert.ok((RULE_IDS as readonly string[]).includes(id), `${p}: ${id}`);
      for (const cloud of CLOUD_NAMES) {
        for (const record of PROFILES[p].records(CLOUDS[cloud])) {
          for (const id of record.rules) assert.ok((RULE_IDS as readonly string[]).includes(id), `${p} record ${record.owner}: ${id}`);
          assert.match(record.source.url, /^https:\/\//);
        }
      }
    }
    assert.deepEqual([...PROFILES.federation.rules], [...CORE_RULE_IDS], 'federation is exactly the core');
  });

  test('each cloud: its three names end with its suffix, are recognised, and are cited', () => {
    for (const c of CLOUD_NAMES) {
      const cloud = CLOUDS[c];
      assert.equal(cloud.name, c);
      for (const name of [cloud.sipdir, cloud.sipfed, cloud.webdir]) {
        assert.ok(name.endsWith(`.${cloud.suffix}`), name);
        assert.equal(cloudOfName(name), c);
        assert.equal(cloudOfName(`${name.toUpperCase()}.`), c, 'case and trailing dot ignored');
      }
      assert.ok(cloud.sources.length > 0);
    }
    assert.equal(cloudOfName('sip.contoso.com'), undefined);
    assert.equal(cloudOfName('evilonline.lync.com'), undefined, 'a sibling that merely ends with the suffix');
    assert.equal(cloudOfName('evil\\.online.lync.com'), undefined, 'one label "evil.online" under lync.com');
  });
});

describe('profiles do not contradict themselves', () => {
  test('online: targets outside D and aliases are what Microsoft asks for: no sipfed-target-domain / -alias findings', async () => {
    const { findings } = await profileFindings(ONLINE, { profile: 'online' });
    assert.deepEqual(findings.filter((f) => f.rule === 'sipfed-target-domain' || f.rule === 'sipfed-target-alias'), []);
    // The same records checked as federation do warn.
    const federation = await profileFindings(ONLINE, {});
    assert.ok(federation.findings.some((f) => f.rule === 'sipfed-target-domain' && f.status === 'warn'));
  });

  test('federation (default): every core scenario gives the same findings with and without an explicit profile', async () => {
    for (const s of SCENARIOS) {
      const implicit = await findingsOf(s.records, s.expect, s.zone);
      const { findings } = await profileFindings(s.records, { ...s.expect, profile: 'federation' }, s.zone);
      assert.deepEqual(findings, implicit, s.title);
    }
  });

  test('federation asks only the core questions; each profile asks what it needs', async () => {
    const records = [...ONLINE, ...EDGE_XMPP];
    const asked = async (expect: Parameters<typeof layerExpectations>[0][number]): Promise<string[]> => {
      const { source } = await profileFindings(records, expect);
      return [...new Set(source.calls.map((c) => c.toLowerCase()))].sort();
    };
    const federation = await asked({});
    assert.deepEqual(federation, [`${SIPFED} srv`, `_xmpp-server._tcp.${D} srv`, `${MS.sipfed} a`, `${SIP} a`].sort());
    assert.deepEqual(await asked({ profile: 'federation' }), federation);
    const online = await asked({ profile: 'online' });
    assert.ok(online.includes(`${SIP} cname`) && online.includes(`${DISCOVER} cname`) && online.includes(`${SIPTLS} srv`));
    assert.ok(!online.some((q) => q.startsWith('_xmpp')), 'online: XMPP is off by default');
    assert.ok(!online.includes(`${DISCOVER} a`), 'online: lyncdiscover asked for its CNAME only');
    const sfb2019 = await asked({ profile: 'sfb2019-edge' });
    assert.ok(!sfb2019.some((q) => q.startsWith('_xmpp')), 'sfb2019-edge: no XMPP questions');
    assert.ok(sfb2019.includes(`${DISCOVER} a`) && !sfb2019.some((q) => q.endsWith(' cname')));
    const edge = await asked({ profile: 'edge' });
    assert.ok(edge.includes(`_xmpps-server._tcp.${D} srv`));
    assert.ok(!edge.includes(`${D} a`), 'no fallback lookup while _xmpp-server._tcp exists');
  });
});

describe('auto', () => {
  test('chooses online from the names found, with their cloud, unless a cloud is given', () => {
    const gov = [rr.srv(SIPFED, 100, 1, 5061, 'sipfed.online.gov.skypeforbusiness.us')];
    return (async () => {
      const { observation, expectations } = await profileFindings(gov, { profile: 'auto' });
      assert.deepEqual(
        { ...resolveProfile(observation, expectations), reason: undefined },
        { requested: 'auto', profile: 'online', cloud: 'gcc-high', reason: undefined },
      );
      assert.equal(resolveProfile(observation, { ...expectations, cloud: 'dod' }).cloud, 'dod');
    })();
  });

  test('says which profile it chose and why', async () => {
    const online = (await profileFindings(ONLINE, { profile: 'auto' })).findings.find((f) => f.rule === 'profile-auto');
    assert.match(online?.message ?? '', /^auto chose the online profile \(cloud worldwide\): .*sipfed\.online\.lync\.com.* at Microsoft Online/);
    const edge = (await profileFindings(EDGE, { profile: 'auto' })).findings.find((f) => f.rule === 'profile-auto');
    assert.match(edge?.message ?? '', /^auto chose the edge profile: _sip\._tls\.contoso\.example has 1 SRV record: 0 0 443 sip\.contoso\.example, and no record points at Microsoft Online\.$/);
    const federation = (await profileFindings([rr.srv(SIPFED, 0, 0, 5061, SIP), rr.a(SIP, '192.0.2.10')], { profile: 'auto' })).findings.find((f) => f.rule === 'profile-auto');
    assert.match(federation?.message ?? '', /^auto chose the federation profile: _sip\._tls\.contoso\.example SRV is absent, and no record points at Microsoft Online\.$/);
  });

  test('judge reports the profile applied (only when one was asked for)', async () => {
    const { observation, expectations } = await profileFindings(ONLINE, { profile: 'auto' });
    const result = judge({ domain: D, input: D, expectations }, observation);
    assert.equal(result.profile?.requested, 'auto');
    assert.equal(result.profile?.applied, 'online');
    assert.equal(result.profile?.cloud, 'worldwide');
    assert.match(result.profile?.reason ?? '', /Microsoft Online/);
    const plain = await profileFindings(EDGE, {});
    assert.equal('profile' in judge({ domain: D, input: D, expectations: plain.expectations }, plain.observation), false);
  });
});

describe('messages', () => {
  const message = async (records: Parameters<typeof profileFindings>[0], expect: Parameters<typeof profileFindings>[1], rule: string): Promise<string> =>
    (await profileFindings(records, expect)).findings.find((f) => f.rule === rule)?.message ?? '';

  test('online-sipfed-target names what is published and what Microsoft asks for', async () => {
    const old = [...ONLINE.filter((r) => r.name !== SIPFED), rr.srv(SIPFED, 100, 1, 5061, `access1.${D}`), rr.a(`access1.${D}`, '192.0.2.10')];
    assert.equal(
      await message(old, { profile: 'online' }, 'online-sipfed-target'),
      `${SIPFED} has 100 1 5061 access1.${D} (still pointing on premises or elsewhere); Microsoft asks for 100 1 5061 ${MS.sipfed}.`,
    );
    assert.match(await message(old, { profile: 'online' }, 'profile-mismatch'), /still points on premises while .* point at Microsoft: a half-migrated hybrid domain\.$/);
  });

  test('profile-mismatch in edge names the Online records', async () => {
    const hybrid = [...EDGE.filter((r) => r.name !== SIPFED), rr.srv(SIPFED, 100, 1, 5061, MS.sipfed), rr.a(MS.sipfed, '198.51.100.2')];
    assert.equal(
      await message(hybrid, { profile: 'edge' }, 'profile-mismatch'),
      `${SIPFED} SRV → ${MS.sipfed} points at Microsoft Online (Microsoft 365 / Office 365 (worldwide)) while ${SIPTLS} SRV → ${SIP} points on premises: a half-migrated hybrid domain.`,
    );
  });

  test('xmpp-fallback says where XMPP servers go', async () => {
    assert.equal(
      await message(EDGE, { profile: 'edge' }, 'xmpp-fallback'),
      `_xmpp-server._tcp.${D} is absent, so XMPP servers fall back to ${D} itself (192.0.2.80) on port 5269 (RFC 6120 §3.2.2); unless an XMPP server listens there, their connections fail after a timeout.`,
    );
  });

  test('gcc-high: absent records are fine, with the reason', async () => {
    const gov = [rr.srv(SIPFED, 100, 1, 5061, 'sipfed.online.gov.skypeforbusiness.us')];
    assert.match(await message(gov, { profile: 'online', cloud: 'gcc-high' }, 'online-sip-cname'), /does not exist \(NXDOMAIN\); the current Office 365 GCC High page lists only the federation SRV/);
  });

  test('sip-tls-target lists every problem of a target', async () => {
    const records = [...EDGE.filter((r) => r.name !== SIPTLS), rr.srv(SIPTLS, 0, 0, 443, 'edge.hoster.example')];
    assert.equal(
      await message(records, { profile: 'edge', edge: SIP }, 'sip-tls-target'),
      `SRV target edge.hoster.example of ${SIPTLS}: it has no address: the name does not exist (NXDOMAIN); it is not the Access Edge ${SIP} named in the config; it lies outside ${D}, so clients with strict DNS name matching refuse it.`,
    );
  });
});

describe('layerExpectations', () => {
  test('built-in defaults < profile defaults < layers in order; undefined never erases', () => {
    assert.deepEqual(layerExpectations([]), DEFAULT_EXPECTATIONS);
    assert.equal(layerExpectations([{ profile: 'sfb2019-edge' }]).xmpp, 'off');
    assert.equal(layerExpectations([{ profile: 'online' }]).xmpp, 'off');
    assert.equal(layerExpectations([{ xmpp: 'required' }, { profile: 'online' }]).xmpp, 'required', 'an explicit layer beats the profile default');
    assert.equal(layerExpectations([{ profile: 'online' }, { profile: 'edge' }]).profile, 'edge');
    assert.equal(layerExpectations([{ profile: 'online' }, { profile: 'edge' }]).xmpp, 'optional', "the last profile's defaults apply");
    assert.equal(layerExpectations([{ mobility: false }, { mobility: undefined }]).mobility, false);
  });
});

describe('observation', () => {
  test('federation observations have exactly the core fields', async () => {
    const { lookup } = new LookupCache(zone([...EDGE]));
    const observation = await observeDomain(lookup, D, DEFAULT_EXPECTATIONS);
    assert.deepEqual(Object.keys(observation).sort(), ['domain', 'sipfed', 'xmpp']);
  });

  test('evaluate without a profile is the core', async () => {
    const { lookup } = new LookupCache(zone([...EDGE]));
    const observation = await observeDomain(lookup, D, DEFAULT_EXPECTATIONS);
    assert.ok(evaluate(observation, DEFAULT_EXPECTATIONS).every((f) => (CORE_RULE_IDS as readonly string[]).includes(f.rule)));
  });
});
