/**
 * Zone-file mode from the command line: `--zone NAME=FILE`, the apex from the
 * SOA of a file BIND wrote, and bad zone input as one line with exit 65 or 66.
 */
import '../support/loopback-guard.js';
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runFedcheck } from '../support/cli.js';

let dir: string;

/** A SIP federation domain in BIND's `-s relative` style: `$ORIGIN .`, then the absolute SOA owner. */
const NEWCO = `$ORIGIN .
$TTL 300
newco.example IN SOA ns1.newco.example. hostmaster.newco.example. 1 3600 600 86400 60
\t\t\tNS ns1.newco.example.
$ORIGIN newco.example.
ns1\t\t\tA 192.0.2.53
_sipfederationtls._tcp\tSRV 100 1 5061 sipfed.online.lync.com.
`;

describe('fedcheck --zone', () => {
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'fedcheck-cli-zone-'));
    writeFileSync(join(dir, 'newco.zone'), NEWCO);
    writeFileSync(join(dir, 'plain.zone'), '$TTL 300\n@ SOA ns1 hm 1 2 3 4 5\n NS ns1\nns1 A 192.0.2.53\n');
    writeFileSync(join(dir, 'any-class.zone'), '$TTL 300\n@ SOA ns1 hm 1 2 3 4 5\n NS ns1\na ANY NS ns1\n');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test("takes the apex from the SOA of BIND's relative style, whatever the file is called", async () => {
    const r = await runFedcheck(['--zone', join(dir, 'newco.zone'), '--format', 'json', '-q', 'newco.example']);
    assert.ok(r.code !== null && r.code <= 3, `exit ${r.code}: ${r.stderr}`);
    assert.equal(r.stderr, '');
    const report = JSON.parse(r.stdout) as { domains: { domain: string }[] };
    assert.deepEqual(report.domains.map((d) => d.domain), ['newco.example']);
  });

  test('NAME=FILE names the zone of a file whose name says nothing', async () => {
    const r = await runFedcheck(['--zone', `plain.example=${join(dir, 'plain.zone')}`, '--format', 'json', '-q', 'plain.example']);
    assert.ok(r.code !== null && r.code <= 3, `exit ${r.code}: ${r.stderr}`);
  });

  test('a zone named NAME= that the SOA contradicts: 65, one line saying what to do', async () => {
    const r = await runFedcheck(['--zone', `other.example=${join(dir, 'newco.zone')}`, 'newco.example']);
    assert.equal(r.code, 65);
    assert.match(r.stderr, /^fedcheck: \S*newco\.zone:3: .*drop 'other\.example=' to take the apex from the SOA record\n$/);
  });

  test('class ANY is called a class: 65, file:line', async () => {
    const r = await runFedcheck(['--zone', join(dir, 'any-class.zone'), 'any-class.example']);
    assert.equal(r.code, 65);
    assert.match(r.stderr, /^fedcheck: \S*any-class\.zone:4: class ANY is not supported .*only IN.*\n$/);
  });

  test('an unreadable file: 66, one line', async () => {
    const r = await runFedcheck(['--zone', join(dir, 'none.zone'), 'none.example']);
    assert.equal(r.code, 66);
    assert.equal(r.stderr.split('\n').length, 2, r.stderr);
  });
});
