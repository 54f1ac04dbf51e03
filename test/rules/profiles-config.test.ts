import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { parseConfig } from '../../src/input/config.js';
import { ExitError } from '../../src/errors.js';
import { normaliseProfileSettings } from '../../src/input/profile-settings.js';

const parse = (value: unknown) => parseConfig(JSON.stringify(value), 'fedcheck.json');

describe('config: profile settings', () => {
  test('profile and cloud in defaults and per domain; edge and hosts per domain', () => {
    const config = parse({
      defaults: { profile: 'auto', cloud: 'gcc-high' },
      domains: [
        'a.example',
        { domain: 'b.example', profile: 'edge', edge: 'access1.b.example', hosts: { webcon: 'webcon.b.example', av: 'av.b.example', meet: 'meet.b.example', dialin: 'dialin.b.example' } },
        { domain: 'c.example', profile: 'online', cloud: '21vianet' },
      ],
    });
    assert.equal(config.defaults?.profile, 'auto');
    const b = config.domains?.[1];
    assert.ok(typeof b === 'object' && b.edge === 'access1.b.example' && b.hosts?.dialin === 'dialin.b.example');
  });

  test('unknown profile, cloud or host role, and edge/hosts in defaults, are refused with their JSON path', () => {
    const cases: [unknown, RegExp][] = [
      [{ domains: [{ domain: 'b.example', profile: 'hybrid' }] }, /\$\.domains\[0\]\.profile: must be one of "federation", "edge", "sfb2019-edge", "online", "auto"/],
      [{ defaults: { cloud: 'germany' } }, /\$\.defaults\.cloud: must be one of "worldwide", "gcc-high", "dod", "21vianet"/],
      [{ domains: [{ domain: 'b.example', hosts: { sip: 'x.b.example' } }] }, /\$\.domains\[0\]\.hosts\.sip: unknown property/],
      [{ defaults: { edge: 'sip.b.example' } }, /\$\.defaults\.edge: unknown property/],
      [{ domains: [{ domain: 'b.example', edge: '' }] }, /\$\.domains\[0\]\.edge: must not be empty/],
    ];
    for (const [value, message] of cases) assert.throws(() => parse(value), (err: unknown) => err instanceof ExitError && err.exitCode === 64 && message.test(err.message), String(message));
  });
});

describe('normaliseProfileSettings', () => {
  test('edge and hosts become A-labels, lower case, without a trailing dot', () => {
    const out = normaliseProfileSettings({ edge: 'SIP.Bücher.example.', hosts: { meet: 'Meet.Example.COM' } }, 'cfg: b.example');
    assert.deepEqual(out, { edge: 'sip.xn--bcher-kva.example', hosts: { meet: 'meet.example.com' } });
  });

  test('a bad name is refused, naming the entry and the key', () => {
    assert.throws(() => normaliseProfileSettings({ hosts: { av: 'a..b' } }, 'cfg: b.example'), /^ExitError: cfg: b\.example: hosts\.av: "a\.\.b" has an empty label$/);
    assert.deepEqual(normaliseProfileSettings({ mobility: false }, 'x'), { mobility: false }, 'nothing to do');
  });
});
