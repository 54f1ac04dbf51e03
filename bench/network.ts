/**
 * The network scenarios of the benchmark (issue 12): a real dnsdist between
 * the client and the warm Unbound makes loopback look like a resolver across
 * a network — latency on every UDP answer (`DelayResponseAction`), a share
 * of UDP queries lost (`ProbaRule` + `DropAction`), a per-client rate limit
 * (`MaxQPSIPRule`, REFUSED past it). For each scenario, N and concurrency C,
 * fedcheck and the c-ares baseline run alternately; printed: the latency
 * floor (N × 2 round trips / C: each domain needs its two SRV answers, then
 * its targets' addresses), both wall times and their ratios, fedcheck's
 * unknowns, retries, retransmissions, TCP queries and its busiest second.
 * dnsdist cannot delay TCP answers, so a TCP query costs no latency here: the
 * TCP column shows how many fedcheck sent.
 */
import type { RunningServer } from '../test/support/real-servers.js';
import { startDnsdist, type NetworkShape } from '../test/support/dnsdist.js';

/** One network scenario. */
export interface Scenario {
  /** Name on the command line and in the tables. */
  readonly name: string;
  readonly title: string;
  readonly shape: NetworkShape;
  /** One round trip in ms (the delay; loopback adds well under a millisecond). */
  readonly rttMs: number;
}

/** The scenarios of issue 12. */
export const SCENARIOS: readonly Scenario[] = [
  { name: '30ms', title: '30 ms, 1 % of UDP queries lost', shape: { delayMs: 30, loss: 0.01 }, rttMs: 30 },
  { name: '100ms', title: '100 ms, 3 % of UDP queries lost', shape: { delayMs: 100, loss: 0.03 }, rttMs: 100 },
  { name: 'rate', title: '30 ms, 1,000 queries a second per client (REFUSED past it)', shape: { delayMs: 30, maxQps: 1000, limitAction: 'refused' }, rttMs: 30 },
];

/** What one measured run reports, for a network row. */
export interface NetRun {
  readonly seconds: number;
  /** Messages sent (fedcheck: UDP + TCP; c-ares: lookups). */
  readonly queries: number;
  readonly retries: number;
  readonly retransmits: number;
  readonly tcp: number;
  readonly peakPerSecond: number | undefined;
  readonly pass: number;
  readonly unknown: number;
  /** warn + fail: a wrong verdict here, where every domain is conformant. */
  readonly wrong: number;
  /** c-ares: lookups lost. */
  readonly lost: number;
}

/** The programs one network row runs, given the resolver's address (dnsdist). */
export interface NetRunners {
  fedcheck(server: string, n: number, concurrency: number, rate?: number): Promise<NetRun>;
  cares(server: string, n: number, concurrency: number): Promise<NetRun>;
}

/** One row: one N and C of one scenario. */
export interface NetRow {
  readonly scenario: Scenario;
  readonly n: number;
  readonly concurrency: number;
  readonly floor: number;
  readonly fedcheck: NetRun;
  readonly cares: NetRun;
  /** The rate scenario: fedcheck with --rate at the limit. */
  readonly rated?: NetRun;
  readonly rate?: number;
}

const log = (text: string): void => void process.stderr.write(`bench: ${text}\n`);

function medianRun(runs: readonly NetRun[]): NetRun {
  const sorted = [...runs].sort((a, b) => a.seconds - b.seconds);
  const mid = sorted[Math.floor(sorted.length / 2)]!;
  // The median's time; the worst of the verdict counters, so a bad run is never hidden.
  return {
    ...mid,
    unknown: Math.max(...runs.map((r) => r.unknown)),
    wrong: Math.max(...runs.map((r) => r.wrong)),
    lost: Math.max(...runs.map((r) => r.lost)),
    pass: Math.min(...runs.map((r) => r.pass)),
  };
}

/** Run the scenarios: dnsdist in front of `unbound`, one scenario at a time. */
export async function measureNetwork(
  unbound: RunningServer,
  scenarios: readonly Scenario[],
  sizes: readonly number[],
  concurrencies: readonly number[],
  reps: number,
  runners: NetRunners,
  servers: RunningServer[],
): Promise<NetRow[]> {
  const rows: NetRow[] = [];
  for (const scenario of scenarios) {
    const dnsdist = await startDnsdist({ backend: unbound.address, ...scenario.shape });
    servers.push(dnsdist);
    log(`${scenario.title}: dnsdist on ${dnsdist.address} in front of Unbound ${unbound.address}`);
    try {
      let order = 0;
      for (const n of sizes) {
        for (const c of concurrencies) {
          const fed: NetRun[] = [];
          const base: NetRun[] = [];
          const rated: NetRun[] = [];
          const rate = scenario.shape.maxQps;
          for (let rep = 0; rep < reps; rep += 1) {
            const steps: (() => Promise<void>)[] = [
              async () => void fed.push(await runners.fedcheck(dnsdist.address, n, c)),
              async () => void base.push(await runners.cares(dnsdist.address, n, c)),
            ];
            if (order % 2 === 1) steps.reverse();
            order += 1;
            if (rate !== undefined) steps.push(async () => void rated.push(await runners.fedcheck(dnsdist.address, n, c, rate)));
            for (const step of steps) await step();
            const f = fed[fed.length - 1]!;
            const b = base[base.length - 1]!;
            const r = rated[rated.length - 1];
            log(
              `${scenario.name} N=${n} C=${c} rep ${rep + 1}/${reps}: fedcheck ${f.seconds.toFixed(2)} s (${f.pass} pass, ${f.unknown} unknown, ${f.wrong} warn/fail, ${f.retries} retries, ${f.retransmits} retransmits, ${f.tcp} TCP, peak ${f.peakPerSecond ?? '?'} q/s), ` +
                `c-ares ${b.seconds.toFixed(2)} s (${b.lost} lost)` +
                (r !== undefined ? `, fedcheck --rate ${rate} ${r.seconds.toFixed(2)} s (${r.pass} pass, ${r.unknown} unknown, peak ${r.peakPerSecond ?? '?'} q/s, ${r.queries} queries)` : ''),
            );
          }
          rows.push({
            scenario,
            n,
            concurrency: c,
            floor: (n * 2 * scenario.rttMs) / 1000 / c,
            fedcheck: medianRun(fed),
            cares: medianRun(base),
            ...(rate !== undefined ? { rated: medianRun(rated), rate } : {}),
          });
        }
      }
    } finally {
      await dnsdist.stop();
      servers.splice(servers.indexOf(dnsdist), 1);
    }
  }
  return rows;
}

const int = (v: number): string => Math.round(v).toLocaleString('en-US');

/** The network tables, one per scenario. */
export function networkTables(rows: readonly NetRow[], reps: number): string {
  const out: string[] = [`Network scenarios: dnsdist in front of the warm Unbound; medians of ${reps} alternating run${reps === 1 ? '' : 's'} (worst verdict counts).`, ''];
  for (const scenario of SCENARIOS) {
    const mine = rows.filter((r) => r.scenario === scenario);
    if (mine.length === 0) continue;
    out.push(`### ${scenario.title}`, '');
    const header = ['N', 'C', 'floor s', 'fedcheck s', 'fedcheck / floor', 'c-ares s', 'fedcheck / c-ares', 'not pass (unknown, warn/fail)', 'retries', 'retransmits', 'TCP', 'peak q/s', 'c-ares lost', 'c-ares q/s'];
    out.push(`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`);
    for (const r of mine) {
      const f = r.fedcheck;
      out.push(`| ${[
        int(r.n),
        String(r.concurrency),
        r.floor.toFixed(2),
        f.seconds.toFixed(2),
        (f.seconds / r.floor).toFixed(2),
        r.cares.seconds.toFixed(2),
        (f.seconds / r.cares.seconds).toFixed(2),
        `${r.n - f.pass} (${f.unknown}, ${f.wrong})`,
        int(f.retries),
        int(f.retransmits),
        int(f.tcp),
        f.peakPerSecond === undefined ? '?' : int(f.peakPerSecond),
        int(r.cares.lost),
        int(r.cares.queries / r.cares.seconds),
      ].join(' | ')} |`);
    }
    const rated = mine.filter((r) => r.rated !== undefined);
    if (rated.length > 0) {
      out.push('', `With \`--rate ${rated[0]!.rate!}\` (the limit):`, '');
      const h = ['N', 'C', 'queries', 'time the rate allows s', 'fedcheck --rate s', 'ratio', 'peak q/s (limit)', 'not pass (unknown, warn/fail)', 'retries'];
      out.push(`| ${h.join(' | ')} |`, `|${h.map(() => '---').join('|')}|`);
      for (const r of rated) {
        const f = r.rated!;
        const allowed = f.queries / r.rate!;
        out.push(`| ${[int(r.n), String(r.concurrency), int(f.queries), allowed.toFixed(2), f.seconds.toFixed(2), (f.seconds / allowed).toFixed(2), `${f.peakPerSecond === undefined ? '?' : int(f.peakPerSecond)} (${int(r.rate!)})`, `${r.n - f.pass} (${f.unknown}, ${f.wrong})`, int(f.retries)].join(' | ')} |`);
      }
    }
    out.push('');
  }
  out.push(
    'floor: N × 2 round trips / C (two SRV answers, then the targets\' addresses, C domains at a time). retries: messages sent',
    'beyond one per lookup (retransmissions, TCP after a UDP timeout, asking again after REFUSED); peak q/s: the most queries',
    'fedcheck sent within any one second (its own count). c-ares lost: lookups that ended in an error other than NODATA/NXDOMAIN.',
    'dnsdist delays only UDP answers; TCP answers come at loopback speed.',
    '',
  );
  return out.join('\n');
}

/** Issue 12's targets for the rows measured. */
export function networkVerdicts(rows: readonly NetRow[]): string[] {
  const out: string[] = [];
  const mark = (ok: boolean): string => (ok ? 'met   ' : 'MISSED');
  for (const r of rows) {
    const f = r.fedcheck;
    const at = `${r.scenario.name} N=${int(r.n)} C=${r.concurrency}`;
    if (r.scenario.name === 'rate') {
      out.push(`${mark(f.wrong === 0)} ${at}: without --rate no wrong verdict (${f.wrong} warn/fail; ${f.unknown} unknown)`);
      const q = r.rated!;
      const allowed = q.queries / r.rate!;
      out.push(`${mark(q.peakPerSecond !== undefined && q.peakPerSecond <= r.rate!)} ${at}: --rate ${r.rate!} peak ${q.peakPerSecond ?? '?'} q/s (target <= ${r.rate!})`);
      if (r.n >= 10_000) out.push(`${mark(q.seconds <= 1.1 * allowed)} ${at}: --rate ${r.rate!} took ${(q.seconds / allowed).toFixed(2)} x the time the rate allows (target <= 1.1)`);
      out.push(`${mark(q.pass === r.n)} ${at}: --rate ${r.rate!} every domain pass (${r.n - q.pass} not)`);
      continue;
    }
    out.push(`${mark(f.pass === r.n)} ${at}: every domain pass (${r.n - f.pass} not: ${f.unknown} unknown, ${f.wrong} warn/fail)`);
    if (r.n < 10_000) continue;
    if (r.scenario.name === '30ms') {
      out.push(`${mark(f.seconds <= 1.3 * r.floor)} ${at}: ${(f.seconds / r.floor).toFixed(2)} x the latency floor (target <= 1.3)`);
      out.push(`${mark(f.seconds <= 0.5 * r.cares.seconds)} ${at}: ${(f.seconds / r.cares.seconds).toFixed(2)} x c-ares (target <= 0.5)`);
    } else if (r.scenario.name === '100ms') {
      out.push(`${mark(f.seconds <= 1.5 * r.floor)} ${at}: ${(f.seconds / r.floor).toFixed(2)} x the latency floor (target <= 1.5)`);
    }
  }
  return out;
}
