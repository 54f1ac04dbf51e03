/**
 * Delegated names end to end, with real servers: a parent zone (NSD) that
 * delegates a SIP domain and the zone of its SRV targets to child servers
 * (NSD and Knot), a delegation to a server that never answers, and one to
 * servers outside the world. A referral is never "absent": checked through
 * Unbound, straight at the parent with --no-recursion (referrals followed,
 * on --port), in --authoritative mode (the child zone judged at its own
 * servers), and in --zone mode with and without the child zones loaded.
 */
import '../support/loopback-guard.js';
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { runFedcheck, type CliRun } from '../support/cli.js';
import { startDelegationWorld, DELEGATION_NS, type DelegationWorld } from '../support/delegation-world.js';
import { answer, soa, startFaultServer, type FaultServer } from '../support/fault-server.js';
import { repoRoot } from '../support/servers.js';

interface Finding {
  rule: string;
  status: string;
  name: string;
  message: string;
}
interface Lookup {
  result: string;
  server?: string;
  detail?: string;
}
interface DomainJson {
  domain: string;
  status: string;
  findings: Finding[];
  records: { sipfederationtls: { lookup: Lookup; targets: { name: string; lookup: Lookup }[] } };
  authoritative?: { zones: { zone: string; view?: { address: string }; servers: { server: { names: string[]; address: string }; soa: { kind: string } }[] }[] };
}

const FAST = ['--timeout', '700', '--retries', '1'];
// The loopback guard in the CLI too: a followed referral must never leave the test world.
const GUARD = { NODE_OPTIONS: `--import ${pathToFileURL(join(repoRoot(), 'dist', 'test', 'support', 'loopback-guard.js')).href}` };

async function check(args: readonly string[]): Promise<{ run: CliRun; domains: Map<string, DomainJson> }> {
  const run = await runFedcheck(['--format', 'json', ...FAST, ...args], { env: GUARD });
  assert.equal(run.stderr, '', 'nothing on stderr');
  const report = JSON.parse(run.stdout) as { domains: DomainJson[] };
  return { run, domains: new Map(report.domains.map((d) => [d.domain, d])) };
}

function domain(domains: Map<string, DomainJson>, name: string): DomainJson {
  const d = domains.get(name);
  assert.ok(d !== undefined, `${name} in the report`);
  return d;
}

/** The one finding of `rule` (for `name`, when given), with its status checked. */
function finding(d: DomainJson, rule: string, status: string, name?: string): Finding {
  const found = d.findings.filter((f) => f.rule === rule && (name === undefined || f.name === name));
  assert.equal(found.length, 1, `one ${rule}${name ? ` for ${name}` : ''} in ${d.domain}: ${JSON.stringify(d.findings.map((f) => `${f.rule}:${f.status}:${f.name}`))}`);
  assert.equal(found[0]!.status, status, `${d.domain} ${rule}: ${found[0]!.message}`);
  return found[0]!;
}

const noFail = (d: DomainJson): void => assert.deepEqual(d.findings.filter((f) => f.status === 'fail').map((f) => `${f.rule}: ${f.message}`), [], `${d.domain} fails nothing`);

let world: DelegationWorld;
before(async () => {
  world = await startDelegationWorld();
});
after(async () => {
  await world?.stop();
});

const HEARINGS = 'hearings.northwind.com';
const PARENT = 'northwind.com';
const QUIET = 'quiet.northwind.com';
const TEAMS = 'teams.northwind.com';

describe('delegations: through Unbound (RD=1)', () => {
  test('a delegated SIP domain and SRV targets in a delegated child are found in the child zones', async () => {
    const { run, domains } = await check(['-r', world.resolver, HEARINGS, PARENT]);
    const hearings = domain(domains, HEARINGS);
    finding(hearings, 'sipfed-srv', 'pass');
    finding(hearings, 'push-srv', 'pass');
    finding(hearings, 'sipfed-target-address', 'pass');
    const parent = domain(domains, PARENT);
    finding(parent, 'sipfed-target-address', 'pass', 'sip.edge.northwind.com');
    finding(parent, 'xmpp-target-address', 'pass', 'xmpp.edge.northwind.com');
    for (const d of domains.values()) noFail(d);
    assert.equal(run.code, 0, run.stdout);
  });

  test('a delegation whose server is silent: unknown, exit 3', async () => {
    const { run, domains } = await check(['-r', world.resolver, QUIET]);
    finding(domain(domains, QUIET), 'sipfed-srv', 'unknown');
    noFail(domain(domains, QUIET));
    assert.equal(run.code, 3);
  });
});

describe('delegations: straight at the parent with --no-recursion (RD=0)', () => {
  test('referrals are followed to the child servers (on --port), whose answers are judged', async () => {
    const { run, domains } = await check(['-r', world.parent, '--no-recursion', '--port', String(world.port), HEARINGS, PARENT]);
    const hearings = domain(domains, HEARINGS);
    finding(hearings, 'sipfed-srv', 'pass');
    finding(hearings, 'push-srv', 'pass');
    finding(hearings, 'sipfed-target-address', 'pass');
    const children = [`${DELEGATION_NS.child1}:${world.port}`, `${DELEGATION_NS.child2}:${world.port}`];
    assert.ok(children.includes(hearings.records.sipfederationtls.lookup.server ?? ''), `answered by a child server: ${JSON.stringify(hearings.records.sipfederationtls.lookup)}`);
    const parent = domain(domains, PARENT);
    assert.equal(parent.records.sipfederationtls.lookup.server, world.parent, 'the parent answers its own SRV');
    finding(parent, 'sipfed-target-address', 'pass', 'sip.edge.northwind.com');
    finding(parent, 'xmpp-target-address', 'pass', 'xmpp.edge.northwind.com');
    assert.ok(children.includes(parent.records.sipfederationtls.targets[0]?.lookup.server ?? ''), 'the target is answered by the child');
    for (const d of domains.values()) noFail(d);
    assert.equal(run.code, 0, run.stdout);
  });

  test('a delegation without glue: the name server\'s address is asked of the configured server, then followed', async () => {
    const { run, domains } = await check(['-r', world.parent, '--no-recursion', '--port', String(world.port), 'far.northwind.com']);
    const far = domain(domains, 'far.northwind.com');
    finding(far, 'sipfed-srv', 'pass');
    assert.equal(far.records.sipfederationtls.lookup.server, `${DELEGATION_NS.child1}:${world.port}`);
    noFail(far);
    assert.equal(run.code, 0, run.stdout);
  });

  test('without --port the child servers are asked on port 53, where nothing listens here: unknown, never absent', async () => {
    const { run, domains } = await check(['-r', world.parent, '--no-recursion', HEARINGS]);
    const f = finding(domain(domains, HEARINGS), 'sipfed-srv', 'unknown');
    assert.match(f.message, /is delegated to ns1\.hearings\.northwind\.com \(127\.0\.0\.13\), ns2\.hearings\.northwind\.com \(127\.0\.0\.14\) .*whose servers gave no answer: .*127\.0\.0\.1[34]:53/);
    noFail(domain(domains, HEARINGS));
    assert.equal(run.code, 3);
  });

  test('a child server that is silent, and servers with no address to be found: unknown naming the delegation, exit 3', async () => {
    const { run, domains } = await check(['-r', world.parent, '--no-recursion', '--port', String(world.port), QUIET, TEAMS]);
    const quiet = finding(domain(domains, QUIET), 'sipfed-srv', 'unknown');
    assert.match(quiet.message, /is delegated to ns1\.quiet\.northwind\.com \(127\.0\.0\.15\) \(zone quiet\.northwind\.com/);
    const teams = finding(domain(domains, TEAMS), 'sipfed-srv', 'unknown');
    assert.match(teams.message, /is delegated to ns1-07\.azure-dns\.com, ns2-07\.azure-dns\.net .*cannot be asked: no address for its name servers/);
    finding(domain(domains, TEAMS), 'push-srv', 'unknown');
    for (const d of domains.values()) noFail(d);
    assert.equal(run.code, 3);
  });
});

describe('delegations: --authoritative', () => {
  test('a SIP domain and SRV targets in child zones are judged at the child zones\' own servers', async () => {
    const { run, domains } = await check(['--authoritative', '-r', world.resolver, '--port', String(world.port), HEARINGS, PARENT]);
    const hearings = domain(domains, HEARINGS);
    finding(hearings, 'sipfed-srv', 'pass');
    const zones = hearings.authoritative?.zones ?? [];
    const child = zones.find((z) => z.zone === HEARINGS);
    assert.ok(child !== undefined, `the child zone is observed: ${JSON.stringify(zones.map((z) => z.zone))}`);
    assert.deepEqual(child.servers.map((s) => `${s.server.address} ${s.soa.kind}`).sort(), [`${DELEGATION_NS.child1}:${world.port} authoritative`, `${DELEGATION_NS.child2}:${world.port} authoritative`]);
    assert.ok(!zones.some((z) => z.zone === PARENT), 'the parent is not asked for the child\'s names');
    for (const ns of ['ns1.hearings.northwind.com', 'ns2.hearings.northwind.com']) assert.match(finding(hearings, 'auth-lame', 'pass', ns).message, /answers authoritatively for hearings\.northwind\.com/);
    finding(hearings, 'auth-serial', 'pass', HEARINGS);
    finding(hearings, 'auth-consistency', 'pass', `_sipfederationtls._tcp.${HEARINGS}`);
    const parent = domain(domains, PARENT);
    assert.deepEqual((parent.authoritative?.zones ?? []).map((z) => z.zone).sort(), ['edge.northwind.com', PARENT]);
    finding(parent, 'sipfed-target-address', 'pass', 'sip.edge.northwind.com');
    for (const d of domains.values()) noFail(d);
    assert.equal(run.code, 0, run.stdout);
  });
});

describe('delegations: --authoritative with a resolver whose view is stale', () => {
  // A resolver that still places every name in the parent zone (a cache from before the
  // delegation): scripted, since a real one cannot be made to keep a stale view on demand.
  // The parent's real NSD then answers with a referral, and fedcheck moves to the child zone.
  let resolver: FaultServer;
  before(async () => {
    const ns = (zone: string, ...targets: string[]) => answer(targets.map((target) => ({ type: 'NS' as const, name: zone, target })));
    resolver = await startFaultServer({
      'northwind.com NS': ns(PARENT, 'ns1.northwind.com'),
      'ns1.northwind.com A': answer([{ type: 'A', address: DELEGATION_NS.parent }]),
      'hearings.northwind.com NS': ns(HEARINGS, 'ns1.hearings.northwind.com', 'ns2.hearings.northwind.com'),
      'ns1.hearings.northwind.com A': answer([{ type: 'A', address: DELEGATION_NS.child1 }]),
      'ns2.hearings.northwind.com A': answer([{ type: 'A', address: DELEGATION_NS.child2 }]),
      // Everything else, SOA questions included: NODATA in the parent zone.
      '*': answer([], { authorities: [soa(PARENT)] }),
    });
  });
  after(async () => {
    await resolver?.close();
  });

  test('the parent\'s referral leads to the child zone, which is probed and judged at its own servers', async () => {
    const { run, domains } = await check(['--authoritative', '-r', `${resolver.address.host}:${resolver.address.port}`, '--port', String(world.port), HEARINGS]);
    const hearings = domain(domains, HEARINGS);
    finding(hearings, 'sipfed-srv', 'pass');
    finding(hearings, 'sipfed-target-address', 'pass', 'sip.hearings.northwind.com');
    assert.deepEqual((hearings.authoritative?.zones ?? []).map((z) => z.zone), [HEARINGS]);
    finding(hearings, 'auth-serial', 'pass', HEARINGS);
    finding(hearings, 'auth-consistency', 'pass', `_sipfederationtls._tcp.${HEARINGS}`);
    noFail(hearings);
    assert.equal(run.code, 0, run.stdout);
  });
});

describe('delegations: --zone', () => {
  test('only the parent loaded: names below a delegation are unknown, with the advice to load the child zone', async () => {
    const { run, domains } = await check(['--zone', world.file('northwind.com'), HEARINGS, PARENT, TEAMS]);
    const hearings = domain(domains, HEARINGS);
    for (const rule of ['sipfed-srv', 'push-srv']) {
      const f = finding(hearings, rule, 'unknown');
      assert.match(f.message, /is delegated to ns1\.hearings\.northwind\.com \(127\.0\.0\.13\), ns2\.hearings\.northwind\.com \(127\.0\.0\.14\) \(zone hearings\.northwind\.com, .*\); load that zone with --zone to check it/);
    }
    assert.equal(hearings.records.sipfederationtls.lookup.result, 'referral');
    const parent = domain(domains, PARENT);
    finding(parent, 'sipfed-srv', 'pass');
    assert.match(finding(parent, 'sipfed-target-address', 'unknown', 'sip.edge.northwind.com').message, /delegated .*zone edge\.northwind\.com/);
    finding(parent, 'xmpp-target-address', 'unknown', 'xmpp.edge.northwind.com');
    assert.match(finding(domain(domains, TEAMS), 'sipfed-srv', 'unknown').message, /is delegated to ns1-07\.azure-dns\.com, ns2-07\.azure-dns\.net/);
    for (const d of domains.values()) noFail(d);
    assert.equal(run.code, 3);
  });

  test('the child zones loaded too: they answer, and everything passes', async () => {
    const zones = (['northwind.com', 'hearings.northwind.com', 'edge.northwind.com'] as const).flatMap((z) => ['--zone', world.file(z)]);
    const { run, domains } = await check([...zones, HEARINGS, PARENT]);
    finding(domain(domains, HEARINGS), 'sipfed-srv', 'pass');
    finding(domain(domains, HEARINGS), 'push-srv', 'pass');
    finding(domain(domains, PARENT), 'sipfed-target-address', 'pass', 'sip.edge.northwind.com');
    finding(domain(domains, PARENT), 'xmpp-target-address', 'pass', 'xmpp.edge.northwind.com');
    for (const d of domains.values()) noFail(d);
    assert.equal(run.code, 0, run.stdout);
  });

  test('a target written without its trailing dot fails with the hint', async () => {
    const { run, domains } = await check(['--zone', world.file('northwind.com'), 'slip.northwind.com']);
    const f = finding(domain(domains, 'slip.northwind.com'), 'sipfed-target-address', 'fail', 'sipfed.online.lync.com.northwind.com');
    assert.match(f.message, /probably sipfed\.online\.lync\.com\. written in the zone file without its trailing dot, so the origin northwind\.com was appended/);
    assert.equal(run.code, 2);
  });
});

describe('delegations: a broken forwarder (RD=1) that answers with a referral', () => {
  // No real resolver does this on purpose: an in-process scripted server plays the forwarder.
  let forwarder: FaultServer;
  before(async () => {
    const referral = answer([], {
      aa: false,
      authorities: [
        { type: 'NS', name: HEARINGS, target: 'ns1.hearings.northwind.com' },
        { type: 'NS', name: HEARINGS, target: 'ns2.hearings.northwind.com' },
      ],
      additionals: [{ type: 'A', name: 'ns1.hearings.northwind.com', address: DELEGATION_NS.child1 }],
    });
    forwarder = await startFaultServer({ [`_sipfederationtls._tcp.${HEARINGS}`]: referral, [`_xmpp-server._tcp.${HEARINGS}`]: referral, '*': answer([], { authorities: [soa(HEARINGS)] }) });
  });
  after(async () => {
    await forwarder?.close();
  });

  test('the referral is not taken as an answer: unknown, exit 3', async () => {
    const { run, domains } = await check(['-r', `${forwarder.address.host}:${forwarder.address.port}`, HEARINGS]);
    const hearings = domain(domains, HEARINGS);
    for (const rule of ['sipfed-srv', 'push-srv']) {
      assert.match(finding(hearings, rule, 'unknown').message, /answered .* with a referral to ns1\.hearings\.northwind\.com \(127\.0\.0\.13\), ns2\.hearings\.northwind\.com \(zone hearings\.northwind\.com\) instead of an answer/);
    }
    noFail(hearings);
    assert.equal(run.code, 3);
  });
});
