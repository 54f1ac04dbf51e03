/**
 * The CLI end to end against the fault-injecting DNS server (issue 4): for
 * every fault behaviour, `fedcheck --format json -r <fault server>` is run as
 * a process and its verdict judged the way a user or a monitoring system
 * would read it:
 *
 * - the real answer wins where one comes (exit 0, every finding pass; exit 1
 *   where the answer is a CNAME chain, whose alias targets RFC 2782 warns of);
 * - otherwise every non-pass finding is `unknown` with a reason naming the
 *   fault and the server, or the broken CNAME chain (exit 3); the only other
 *   finding allowed is that alias warning, which stays true;
 * - never `fail` (exit 2), never a forged value in the output, nothing on
 *   stderr (no stack trace), and the run ends within docs/how-it-decides.md's worst case for
 *   `--timeout 300 --retries 1` ("How fedcheck decides").
 *
 * Each scenario serves two SIP domains from its own fault server:
 * `fault.test`, where both SRV questions and both targets' A questions get the
 * fault, and `targets.fault.test`, whose SRV records answer normally and only
 * the targets' A questions get it (with the SRV faulty for good, the targets
 * are never asked). Every scenario runs over UDP (with TCP after TC=1 or a
 * UDP timeout, as the CLI does) and again with `--tcp`; the always-faulty
 * ones also with a second, healthy resolver (`-r faulty -r good`), which must
 * then win, and a few against a resolver on [::1]. Last, names carrying
 * terminal escapes, octets that are not UTF-8 and dots inside labels go
 * through every format, and are asked for as exactly the octets that came.
 *
 * FEDCHECK_FAULT_PARALLEL sets how many CLI processes run at once (default 4).
 */
import '../support/loopback-guard.js';
import { strict as assert } from 'node:assert';
import { describe, test, type TestContext } from 'node:test';
import type { RunReport } from '../../src/report/report.js';
import type { DomainResult, ReportedFinding } from '../../src/check/check-domain.js';
import { runFedcheckWatched, type WatchedRun } from '../support/cli-watchdog.js';
import {
  a,
  answer,
  assertLoopback,
  buildResponse,
  cname,
  cnameChain,
  cnameChainScript,
  cnameLoop,
  coalesce,
  drop,
  ednsIntolerant,
  FORGED_ADDRESS,
  FORGED_TARGET,
  forgedId,
  garbage,
  byTransport,
  late,
  malformed,
  otherPort,
  qrClear,
  raw,
  rcode,
  split,
  srv,
  startFaultServer,
  stream,
  tcpClose,
  tcpReset,
  truncated,
  wrongQuestion,
  type Behaviour,
  type FaultScript,
  type FaultServer,
  type FaultServerOptions,
  type MalformedFault,
  type Plan,
  type QueryInfo,
  type RecordSpec,
  type StreamChunk,
} from '../support/fault-server.js';

// ---------------------------------------------------------------------------
// Settings and the documented bound

/** `--timeout` and `--retries` of every run. */
const T = 300;
const R = 1;
const TIMING = ['--timeout', String(T), '--retries', String(R)];

/**
 * docs/how-it-decides.md, "How fedcheck decides": one domain takes at most 3 lookups in a row,
 * each (R+1)·T; 27(R+1)·T with CNAME chains at the limit at every step. Both
 * domains of a scenario run at once (--concurrency 32), so the run's bound is
 * one domain's.
 */
const DOMAIN_BOUND_MS = 3 * (R + 1) * T;
const CNAME_BOUND_MS = 27 * (R + 1) * T;
/** Timer and scheduling slack on the run's own clock (the report's `seconds`). */
const RUN_SLACK_MS = 1000;
/** Process start-up and exit on top (node, module loading, a busy 2-core CI box running scenarios in parallel). */
const STARTUP_SLACK_MS = 8000;
/** CLI processes at once: enough to overlap the timeouts, few enough not to starve a small machine. */
const PARALLEL = Number(process.env.FEDCHECK_FAULT_PARALLEL ?? 4);

// ---------------------------------------------------------------------------
// The domains and their real records

const DOMAIN = 'fault.test';
const TARGETS_DOMAIN = `targets.${DOMAIN}`;
const SIP_ADDRESS = '192.0.2.10';
const XMPP_ADDRESS = '192.0.2.11';

/**
 * Values that must never reach the output: the fault server's forged
 * answers, and the address inside its hand-built malformed messages (a
 * decoder that misread one would show it).
 */
const FORBIDDEN = [FORGED_ADDRESS, FORGED_TARGET, '2001:db8:bad::66', '192.0.2.77'];

/** One question fedcheck asks for a domain, with its real answer. */
interface Question {
  readonly name: string;
  readonly type: 'SRV' | 'A';
  readonly records: readonly RecordSpec[];
}

function srvQuestions(domain: string): Question[] {
  return [
    { name: `_sipfederationtls._tcp.${domain}`, type: 'SRV', records: [srv(`sip.${domain}`, 5061)] },
    { name: `_xmpp-server._tcp.${domain}`, type: 'SRV', records: [srv(`xmpp.${domain}`, 5269)] },
  ];
}

function targetQuestions(domain: string): Question[] {
  return [
    { name: `sip.${domain}`, type: 'A', records: [a(SIP_ADDRESS)] },
    { name: `xmpp.${domain}`, type: 'A', records: [a(XMPP_ADDRESS)] },
  ];
}

const keyOf = (q: Question): string => `${q.name} ${q.type}`;

/** The script entries that give one question a fault (or several entries, for chains asked link by link). */
type Fault = (q: Question) => FaultScript;

/** The usual case: one plan for the question, built around its real answer. */
const each = (plan: (real: Behaviour, q: Question) => Plan): Fault => (q) => ({ [keyOf(q)]: plan(answer(q.records), q) });

/** The real records moved to another owner (the end of a CNAME chain). */
const ownedBy = (records: readonly RecordSpec[], owner: string): RecordSpec[] => records.map((r) => ({ ...r, name: owner }));

/**
 * `fault.test` entirely faulty, `targets.fault.test` faulty from its targets
 * on (or entirely as well, with `everything`).
 */
function scriptFor(fault: Fault, options: { readonly everything?: boolean } = {}): FaultScript {
  const faulty = [...srvQuestions(DOMAIN), ...targetQuestions(DOMAIN), ...targetQuestions(TARGETS_DOMAIN)];
  const healthy = srvQuestions(TARGETS_DOMAIN);
  if (options.everything === true) faulty.push(...healthy.splice(0));
  return Object.assign({}, ...faulty.map(fault), ...healthy.map((q) => ({ [keyOf(q)]: answer(q.records) }))) as FaultScript;
}

/** Every question answered truthfully. */
function healthyScript(): FaultScript {
  return scriptFor((q) => ({ [keyOf(q)]: answer(q.records) }));
}

/**
 * The real answer with forged records around it: another owner's records in
 * the answer section, and the targets' names with forged addresses in the
 * authority and additional sections.
 */
function padded(q: Question): Behaviour {
  const stranger = q.type === 'SRV' ? srv(FORGED_TARGET, 5061, { name: `_sip._tls.${DOMAIN}` }) : a(FORGED_ADDRESS, { name: `forged.${q.name}` });
  const glue = [`sip.${DOMAIN}`, `xmpp.${DOMAIN}`, `sip.${TARGETS_DOMAIN}`, `xmpp.${TARGETS_DOMAIN}`].map((name) => a(FORGED_ADDRESS, { name }));
  return answer([stranger, ...q.records], { authorities: [cname(FORGED_TARGET, { name: `sip.${DOMAIN}` })], additionals: glue });
}

/** A message framed for TCP, written one byte at a time, 20 ms apart (over UDP: one-byte datagrams). */
function trickle(message: Buffer): StreamChunk[] {
  const framed = Buffer.concat([Buffer.from([message.length >> 8, message.length & 0xff]), message]);
  return [...framed].map((byte) => ({ bytes: Buffer.from([byte]), delayMs: 20 }));
}

/** A message framed for TCP and cut after 20 bytes. */
function cutShort(message: Buffer): Buffer {
  const framed = Buffer.concat([Buffer.from([message.length >> 8, message.length & 0xff]), message]);
  return framed.subarray(0, 20);
}

// ---------------------------------------------------------------------------
// The scenario table

/** What a run must report: the real answer (pass or warn), or unknown with a reason matching the pattern. */
type Verdict = 'pass' | 'warn' | RegExp;

interface Scenario {
  readonly behaviour: string;
  readonly fault: Fault;
  /** Over UDP (TCP after TC=1 or a UDP timeout); absent: not meaningful over UDP. */
  readonly udp?: Verdict;
  /** With `--tcp`; absent: not meaningful over TCP only. */
  readonly tcp?: Verdict;
  readonly server?: FaultServerOptions;
  /**
   * A CNAME scenario: the worst case with chains at the limit applies, and an
   * SRV target seen to be an alias is a true warning (RFC 2782) even when its
   * chain then breaks.
   */
  readonly cname?: boolean;
  /** The fault hits SRV questions only: `targets.fault.test` (healthy SRV) passes. */
  readonly srvOnly?: boolean;
  /** The answer itself is the hostile part (a CNAME chain, 250 records): no separate fault to see served. */
  readonly inAnswer?: boolean;
}

const TIMEOUT = /^timeout after 2 tries to 127\.0\.0\.1:\d+$/;
/** Over UDP a forged ID is ignored (a timeout); the retry over TCP (after the UDP timeout) names the mismatch. */
const UDP_THEN_TCP_MISMATCH = /^no usable answer after 2 tries: 127\.0\.0\.1:\d+ timed out; 127\.0\.0\.1:\d+ after a UDP timeout, TCP response did not match the query: ID \d+ instead of \d+$/;
const TCP_MISMATCH = /^TCP response did not match the query: ID \d+ instead of \d+ \(2 tries to 127\.0\.0\.1:\d+\)$/;
const SERVER = /(127\.0\.0\.1|\[::1\]):\d+/;
const SERVER_G = new RegExp(SERVER.source, 'g');

/** The detail the decoder gives for each malformed message (cf. test/dns/client/faults.test.ts). */
const MALFORMED: readonly [MalformedFault, RegExp][] = [
  ['pointer-loop', /^malformed response.*pointer at offset \d+ to offset \d+ does not point to earlier data/],
  ['pointer-cycle', /^malformed response.*pointer at offset \d+ to offset \d+ does not point to earlier data/],
  ['pointer-out-of-range', /^malformed response.*pointer at offset \d+ to offset 16383/],
  ['truncated-header', /^malformed response.*7 bytes is shorter than a DNS header/],
  ['inflated-counts', /^malformed response.*header announces 5 answer records but the message ends after 1/],
  ['long-label', /^malformed response.*label length byte 0x40/],
  ['long-name', /^malformed response.*longer than 255 octets/],
  ['truncated-rdata', /^malformed response.*record data \(RDLENGTH 16\) runs past the end/],
  ['rdlength-mismatch', /^malformed response.*A record data of 0 octets instead of 4/],
];

/** 250 SRV records (every one a real record of the domain): too big for UDP, so TC=1 and TCP. */
const bigSet = (q: Question): RecordSpec[] => {
  const first = q.records[0];
  if (first?.type !== 'SRV') return [...q.records];
  return Array.from({ length: 250 }, (_, i) => srv(first.target, first.port, { priority: i % 5, weight: i }));
};

const SCENARIOS: readonly Scenario[] = [
  // Silence and lateness.
  { behaviour: 'drop, then the answer', fault: each((real) => [drop(), real]), udp: 'pass', tcp: 'pass' },
  { behaviour: 'drop', fault: each(() => drop()), udp: TIMEOUT, tcp: TIMEOUT },
  { behaviour: 'late, within the timeout', fault: each((real) => late(T / 3, real)), udp: 'pass', tcp: 'pass' },
  { behaviour: 'late, after the timeout', fault: each((real) => late(T + 150, real)), udp: TIMEOUT, tcp: TIMEOUT },
  // Forgeries before the real answer, and alone.
  // Records for other owners around the real ones: none may be taken for the names asked (no cache poisoning).
  { behaviour: 'the answer padded with forged records for other names and in the other sections', fault: each((_real, q) => padded(q)), udp: 'pass', tcp: 'pass', inAnswer: true },
  { behaviour: 'forged ID, then the answer', fault: each((real) => forgedId(real)), udp: 'pass', tcp: 'pass' },
  { behaviour: 'forged ID', fault: each(() => forgedId(drop())), udp: UDP_THEN_TCP_MISMATCH, tcp: TCP_MISMATCH },
  { behaviour: 'wrong question, then the answer', fault: each((real) => wrongQuestion(real)), udp: 'pass', tcp: 'pass' },
  { behaviour: 'wrong question', fault: each(() => wrongQuestion(drop())), udp: /question name forged\.\S+ instead of /, tcp: /question name forged\.\S+ instead of / },
  { behaviour: 'other source port, then the answer', fault: each((real) => otherPort(real)), udp: 'pass' },
  { behaviour: 'other source port', fault: each(() => otherPort(drop())), udp: TIMEOUT },
  { behaviour: 'QR clear, then the answer', fault: each((real) => qrClear(real)), udp: 'pass', tcp: 'pass' },
  { behaviour: 'QR clear', fault: each(() => qrClear()), udp: /QR flag clear/, tcp: /QR flag clear/ },
  { behaviour: 'garbage with the ID, then the answer', fault: each((real) => garbage({ keepId: true }, real)), udp: 'pass', tcp: 'pass' },
  { behaviour: 'garbage with the ID', fault: each(() => garbage({ keepId: true })), udp: /^malformed response/, tcp: /^malformed response/ },
  { behaviour: 'garbage with another ID, then the answer', fault: each((real) => garbage({ keepId: false }, real)), udp: 'pass', tcp: 'pass' },
  // Random bytes over TCP are one framed message on the query's connection: malformed, or (rarely) a wrong ID.
  {
    behaviour: 'garbage with another ID',
    fault: each(() => garbage({ keepId: false })),
    udp: /^no usable answer after 2 tries: 127\.0\.0\.1:\d+ timed out; 127\.0\.0\.1:\d+ after a UDP timeout, (malformed response over TCP|TCP response did not match)/,
    tcp: /^(malformed response over TCP|TCP response did not match).* \(2 tries to 127\.0\.0\.1:\d+\)$/,
  },
  // Truncation and TCP.
  { behaviour: 'TC=1, then the answer over TCP', fault: each((real) => [truncated(), real]), udp: 'pass', tcp: 'pass' },
  { behaviour: 'TC=1 (over TCP too)', fault: each(() => truncated()), udp: /truncated answer \(TC=1\) over TCP/, tcp: /truncated answer \(TC=1\) over TCP/ },
  {
    behaviour: 'late TC=1, then a late TCP answer past the attempt\'s deadline',
    // By transport, not by arrival: a UDP retransmission within the attempt meets the late TC=1 too.
    fault: each((real) => byTransport(late(0.6 * T, truncated()), late(0.6 * T, real))),
    udp: TIMEOUT,
  },
  { behaviour: 'TC=1, then TCP silent', fault: each(() => [truncated(), drop()]), udp: TIMEOUT },
  { behaviour: 'TC=1, then TCP reset', fault: each(() => [truncated(), tcpReset(), truncated(), tcpReset()]), udp: /truncated UDP answer, TCP ECONNRESET/ },
  { behaviour: 'TCP reset, then the answer', fault: each((real) => [tcpReset(), real]), tcp: 'pass' },
  { behaviour: 'TCP reset', fault: each(() => tcpReset()), tcp: /ECONNRESET/ },
  { behaviour: 'TC=1, then TCP closed', fault: each(() => [truncated(), tcpClose(), truncated(), tcpClose()]), udp: /truncated UDP answer, TCP connection closed before an answer/ },
  { behaviour: 'TCP closed, then the answer', fault: each((real) => [tcpClose(), real]), tcp: 'pass' },
  { behaviour: 'TCP closed', fault: each(() => tcpClose()), tcp: /closed before an answer/ },
  { behaviour: 'TC=1, TCP refused, then the answer over UDP', fault: each((real) => [truncated(), real]), server: { tcp: 'refuse' }, udp: 'pass' },
  { behaviour: 'TCP refused', fault: each(() => truncated()), server: { tcp: 'refuse' }, udp: /ECONNREFUSED/, tcp: /ECONNREFUSED/ },
  {
    behaviour: 'TCP closed in mid-message, then the answer',
    fault: each((real) => [stream((q) => [{ bytes: cutShort(buildResponse(q, { answers: [] })) }], { close: true }), real]),
    udp: 'pass',
    tcp: 'pass',
  },
  { behaviour: 'TCP closed in mid-message', fault: each((_real, question) => stream((q) => [{ bytes: cutShort(buildResponse(q, { answers: question.records })) }], { close: true })), tcp: /closed before an answer/ },
  { behaviour: 'TCP answer trickled a byte every 20 ms, past the timeout', fault: each((_real, question) => stream((q) => trickle(buildResponse(q, { answers: question.records })))), udp: TIMEOUT, tcp: TIMEOUT },
  { behaviour: 'TCP answer in 9 pieces', fault: each((real) => split(real, 9, 3)), udp: 'pass', tcp: 'pass' },
  { behaviour: 'forged, mismatched and malformed messages coalesced with the answer', fault: each((real) => coalesce(forgedId(wrongQuestion(qrClear(malformed('long-label', real)))))), udp: 'pass', tcp: 'pass' },
  { behaviour: '250 SRV records (TCP only)', fault: each((real, q) => (q.type === 'SRV' ? answer(bigSet(q)) : real)), udp: 'pass', tcp: 'pass', srvOnly: true, inAnswer: true },
  {
    behaviour: '250 SRV records, TC=1 with part of them, TCP refused',
    // A resolver's partial set (dnsmasq, BIND without EDNS) must never be read: its records here are forged.
    fault: each((real, q) => (q.type === 'SRV' ? raw((query) => [buildResponse(query, { tc: true, answers: [srv(FORGED_TARGET, 6666), srv(FORGED_TARGET, 5061)] })]) : real)),
    server: { tcp: 'refuse' },
    udp: /truncated UDP answer, TCP ECONNREFUSED/,
    srvOnly: true,
  },
  // Response codes and EDNS.
  { behaviour: 'SERVFAIL, then the answer', fault: each((real) => [rcode('SERVFAIL'), real]), udp: 'pass', tcp: 'pass' },
  { behaviour: 'SERVFAIL', fault: each(() => rcode('SERVFAIL')), udp: /^SERVFAIL from 127\.0\.0\.1:\d+ \(2 tries\)$/, tcp: /^SERVFAIL from 127\.0\.0\.1:\d+ \(2 tries\)$/ },
  { behaviour: 'REFUSED, then the answer', fault: each((real) => [rcode('REFUSED'), real]), udp: 'pass', tcp: 'pass' },
  { behaviour: 'REFUSED', fault: each(() => rcode('REFUSED')), udp: /^REFUSED from 127\.0\.0\.1:\d+ \(2 tries\)$/, tcp: /^REFUSED from 127\.0\.0\.1:\d+ \(2 tries\)$/ },
  { behaviour: 'FORMERR to EDNS only', fault: each((real) => ednsIntolerant('FORMERR', real)), udp: 'pass', tcp: 'pass' },
  { behaviour: 'NOTIMP to EDNS only', fault: each((real) => ednsIntolerant('NOTIMP', real)), udp: 'pass', tcp: 'pass' },
  { behaviour: 'FORMERR with and without EDNS', fault: each(() => rcode('FORMERR')), udp: /^FORMERR from 127\.0\.0\.1:\d+ \(2 tries\)$/, tcp: /^FORMERR from 127\.0\.0\.1:\d+ \(2 tries\)$/ },
  { behaviour: 'NOTIMP with and without EDNS', fault: each(() => rcode('NOTIMP')), udp: /^NOTIMP from 127\.0\.0\.1:\d+ \(2 tries\)$/, tcp: /^NOTIMP from 127\.0\.0\.1:\d+ \(2 tries\)$/ },
  // Malformed messages, each alone and before the real answer.
  ...MALFORMED.flatMap(([fault, reason]): Scenario[] => [
    { behaviour: `malformed ${fault}, then the answer`, fault: each((real) => malformed(fault, real)), udp: 'pass', tcp: 'pass' },
    { behaviour: `malformed ${fault}`, fault: each(() => malformed(fault)), udp: reason, tcp: reason },
  ]),
  // CNAME chains and loops: answers, judged by the lookup layer (an alias target is a warning, RFC 2782).
  { behaviour: 'CNAME chain of 8 hops in the answer', fault: each((_real, q) => cnameChain(q.name, 8, (owner) => ownedBy(q.records, owner))), udp: 'warn', tcp: 'warn', cname: true, inAnswer: true },
  { behaviour: 'CNAME chain of 8 hops asked link by link', fault: (q) => cnameChainScript(q.name, 8, (owner) => ownedBy(q.records, owner)), udp: 'warn', tcp: 'warn', cname: true, inAnswer: true },
  { behaviour: 'CNAME chain of 9 hops in the answer', fault: each((_real, q) => cnameChain(q.name, 9, (owner) => ownedBy(q.records, owner))), udp: /^CNAME chain longer than 8 hops: /, tcp: /^CNAME chain longer than 8 hops: /, cname: true, inAnswer: true },
  { behaviour: 'CNAME chain of 9 hops asked link by link', fault: (q) => cnameChainScript(q.name, 9, (owner) => ownedBy(q.records, owner)), udp: /^CNAME chain longer than 8 hops: /, tcp: /^CNAME chain longer than 8 hops: /, cname: true, inAnswer: true },
  { behaviour: 'CNAME loop', fault: each((_real, q) => cnameLoop(q.name, 3)), udp: /^CNAME loop: /, tcp: /^CNAME loop: /, cname: true, inAnswer: true },
];

// ---------------------------------------------------------------------------
// Running and judging

/** A small pool: at most {@link PARALLEL} CLI processes at once across the file. */
let running = 0;
const waiting: (() => void)[] = [];
async function slot<Result>(task: () => Promise<Result>): Promise<Result> {
  // A finished task hands its place straight to the next waiter, so the count never overshoots.
  if (running >= PARALLEL) await new Promise<void>((resolve) => waiting.push(resolve));
  else running += 1;
  try {
    return await task();
  } finally {
    const next = waiting.shift();
    if (next !== undefined) next();
    else running -= 1;
  }
}

async function serve(t: TestContext, script: FaultScript, options?: FaultServerOptions): Promise<FaultServer> {
  const server = await startFaultServer(script, options);
  assertLoopback(server.address);
  t.after(() => server.close());
  return server;
}

const resolverArg = (server: FaultServer): string => (server.address.family === 6 ? `[::1]:${server.address.port}` : `127.0.0.1:${server.address.port}`);

function parseReport(run: WatchedRun, context: string): RunReport {
  try {
    return JSON.parse(run.stdout) as RunReport;
  } catch {
    return assert.fail(`${context}: stdout is not JSON (exit ${run.code}): ${run.stdout.slice(0, 500)} ${run.stderr.slice(0, 500)}`);
  }
}

/** The exit code of a run whose domains get these verdicts: the worst of them (unknown 3 > warn 1 > pass 0). */
const expectedExit = (verdicts: readonly Verdict[]): number => Math.max(...verdicts.map((v) => (v === 'pass' ? 0 : v === 'warn' ? 1 : 3)));
const expectedStatus = (verdict: Verdict): DomainResult['status'] => (verdict === 'pass' || verdict === 'warn' ? verdict : 'unknown');

/** A run of at most `boundMs` (the documented worst case), killed as hung well after it. */
function runCli(args: readonly string[], boundMs: number): Promise<WatchedRun> {
  return slot(() => runFedcheckWatched(args, { killAfterMs: boundMs + STARTUP_SLACK_MS + 5000 }));
}

/** Never a hang, a crash or a forged value, whatever the format. */
function assertClean(run: WatchedRun, context: string): void {
  assert.ok(!run.killed, `${context}: still running after ${run.ms} ms: killed as hung`);
  assert.notEqual(run.code, 2, `${context}: exit 2 (fail) is a false alarm\n${run.stdout.slice(0, 2000)}`);
  assert.equal(run.stderr, '', `${context}: stderr must be empty`);
  for (const stream of [run.stdout, run.stderr]) {
    assert.ok(!stream.includes('    at '), `${context}: a stack trace`);
    for (const forged of FORBIDDEN) assert.ok(!stream.includes(forged), `${context}: forged value ${forged} in the output`);
  }
}

/** Elapsed time within the documented worst case: on the run's own clock tightly, on the wall clock with start-up slack. */
function assertBounded(run: WatchedRun, report: RunReport, boundMs: number, context: string): void {
  const runMs = report.seconds * 1000;
  assert.ok(runMs <= boundMs + RUN_SLACK_MS, `${context}: the run took ${runMs} ms, bound ${boundMs} ms (+${RUN_SLACK_MS})`);
  assert.ok(run.ms <= boundMs + STARTUP_SLACK_MS, `${context}: the process took ${run.ms} ms, bound ${boundMs} ms (+${STARTUP_SLACK_MS} start-up)`);
}

function findingLine(f: ReportedFinding): string {
  return `${f.rule} ${f.status} ${f.name}${f.reason !== undefined ? ` (${f.reason})` : ''}`;
}

/**
 * The verdict of one domain: its status, and every finding pass, or (for
 * `warn`) an alias warning, or (for a pattern) unknown with a reason matching
 * it and naming the server. `aliasSeen`: a target's CNAME was seen, so its
 * alias rule may warn whatever happened further down the chain.
 */
function assertDomain(domain: DomainResult | undefined, name: string, verdict: Verdict, context: string, aliasSeen = false): void {
  assert.ok(domain !== undefined, `${context}: ${name} missing from the report`);
  const where = `${context}, ${name}: ${domain.findings.map(findingLine).join('; ')}`;
  assert.equal(domain.status, expectedStatus(verdict), where);
  for (const f of domain.findings) {
    assert.notEqual(f.status, 'fail', `${where}: a fail`);
    if (f.status === 'pass' || f.status === 'info') continue;
    if (verdict === 'pass') assert.fail(`${where}: ${f.rule} is ${f.status}`);
    if (verdict === 'warn' || (aliasSeen && f.status === 'warn')) {
      assert.equal(f.status, 'warn', `${where}: ${f.rule}`);
      assert.match(f.rule, /target-alias$/, `${where}: only the alias rules may warn`);
      continue;
    }
    assert.equal(f.status, 'unknown', `${where}: ${f.rule}`);
    assert.ok(f.reason !== undefined, `${where}: ${f.rule} unknown without a reason`);
    assert.match(f.reason, verdict, `${where}: ${f.rule}`);
    // A transport or server fault names the server; a CNAME fault names the chain instead.
    if (!/^CNAME /.test(f.reason)) assert.match(f.reason, SERVER, `${where}: ${f.rule} reason names no server`);
  }
  if (typeof verdict !== 'string') assert.ok(domain.findings.some((f) => f.status === 'unknown'), `${where}: no unknown finding`);
  if (verdict === 'pass' || verdict === 'warn') {
    // The real records, and only those.
    const { sipfederationtls: sip, xmppServer: xmpp } = domain.records;
    assert.deepEqual([...new Set(sip.srv.map((r) => `${r.target}:${r.port}`))], [`sip.${name}:5061`], where);
    assert.deepEqual(sip.targets.map((t) => [t.name, t.a]), [[`sip.${name}`, [SIP_ADDRESS]]], where);
    assert.ok(xmpp !== null, where);
    assert.deepEqual([...new Set(xmpp.srv.map((r) => `${r.target}:${r.port}`))], [`xmpp.${name}:5269`], where);
    assert.deepEqual(xmpp.targets.map((t) => [t.name, t.a]), [[`xmpp.${name}`, [XMPP_ADDRESS]]], where);
  }
}

/** What one run must show. */
interface Expected {
  readonly domain: Verdict;
  readonly targetsDomain: Verdict;
  readonly boundMs: number;
  readonly aliasSeen?: boolean;
}

/** One CLI run of a scenario, judged: exit code, both domains, no forgery, bounded time. */
async function runScenario(t: TestContext, servers: readonly FaultServer[], extra: readonly string[], expected: Expected, context: string): Promise<RunReport> {
  const args = ['--format', 'json', ...servers.flatMap((s) => ['-r', resolverArg(s)]), ...TIMING, ...extra, DOMAIN, TARGETS_DOMAIN];
  const run = await runCli(args, expected.boundMs);
  assertClean(run, context);
  const report = parseReport(run, context);
  const findings = report.domains.flatMap((d) => d.findings.map(findingLine)).join('\n');
  assert.equal(run.code, expectedExit([expected.domain, expected.targetsDomain]), `${context}: exit ${run.code}\n${findings}`);
  assertDomain(report.domains.find((d) => d.domain === DOMAIN), DOMAIN, expected.domain, context, expected.aliasSeen);
  assertDomain(report.domains.find((d) => d.domain === TARGETS_DOMAIN), TARGETS_DOMAIN, expected.targetsDomain, context, expected.aliasSeen);
  assertBounded(run, report, expected.boundMs, context);
  // In the test output: how long it took, and each distinct reason given.
  const reasons = [...new Set(report.domains.flatMap((d) => d.findings.flatMap((f) => (f.reason === undefined ? [] : [f.reason.replace(SERVER_G, 'S')]))))];
  t.diagnostic(`run ${Math.round(report.seconds * 1000)} ms (bound ${expected.boundMs}), process ${run.ms} ms${reasons.length > 0 ? `; ${reasons.join(' | ')}` : ''}`);
  return report;
}

/** fedcheck asked only what a check of these domains asks: nothing unscripted (so every fault was met). */
function assertOnlyScripted(server: FaultServer, context: string): void {
  const stray = server.queries.filter((q) => q.behaviour === 'refused-unscripted').map((q) => `${q.name} ${q.type}`);
  assert.deepEqual(stray, [], `${context}: questions outside the script`);
}

const MODES = [
  { mode: 'udp', flags: [] },
  { mode: 'tcp', flags: ['--tcp'] },
] as const;

describe('every fault behaviour, end to end through the CLI', { concurrency: true }, () => {
  for (const { mode, flags } of MODES) {
    describe(mode === 'udp' ? 'over UDP (TCP after TC=1 or a UDP timeout)' : 'with --tcp', { concurrency: true }, () => {
      for (const s of SCENARIOS) {
        const verdict = s[mode];
        if (verdict === undefined) continue;
        const outcome = typeof verdict === 'string' ? verdict : `unknown ${verdict}`;
        test(`${s.behaviour} → ${outcome}`, async (t) => {
          const context = `${s.behaviour} (${mode})`;
          const server = await serve(t, scriptFor(s.fault), s.server);
          const expected: Expected = {
            domain: verdict,
            targetsDomain: s.srvOnly === true ? 'pass' : verdict,
            boundMs: s.cname === true ? CNAME_BOUND_MS : DOMAIN_BOUND_MS,
            aliasSeen: s.cname === true,
          };
          await runScenario(t, [server], flags, expected, context);
          assertOnlyScripted(server, context);
          if (typeof verdict !== 'string' || s.inAnswer === true) return;
          // The real answer won over a fault that was really served: a non-answer, or an answer (SERVFAIL...) that was asked again.
          assert.ok(server.queries.some((q) => q.behaviour !== 'answer' || q.attempt > 0), `${context}: no fault was served`);
        });
      }
    });
  }
});

describe('two resolvers, the first faulty: the second one\'s answer wins', { concurrency: true }, () => {
  for (const { mode, flags } of MODES) {
    for (const s of SCENARIOS) {
      const verdict = s[mode];
      // Faults only: a CNAME loop is an answer, and the next resolver is asked only when there is none.
      if (verdict === undefined || typeof verdict === 'string' || s.cname === true) continue;
      test(`${s.behaviour} (${mode}) at the first, the answer at the second → pass`, async (t) => {
        const context = `${s.behaviour} (${mode}, two resolvers)`;
        const faulty = await serve(t, scriptFor(s.fault, { everything: true }), s.server);
        const good = await serve(t, healthyScript());
        const report = await runScenario(t, [faulty, good], flags, { domain: 'pass', targetsDomain: 'pass', boundMs: DOMAIN_BOUND_MS }, context);
        // A refused TCP connection leaves no query behind to count.
        if (!(mode === 'tcp' && s.server?.tcp === 'refuse')) assert.ok(faulty.queries.length > 0, `${context}: the first resolver was never asked`);
        // Every faulty question was answered by the good resolver (with an SRV-only fault, the first one answers the targets).
        const answeredBy = new Set(
          report.domains.flatMap((d) =>
            [d.records.sipfederationtls, d.records.xmppServer].flatMap((service) =>
              service === null ? [] : [service.lookup.server, ...(s.srvOnly === true ? [] : service.targets.map((target) => target.lookup.server))],
            ),
          ),
        );
        assert.deepEqual([...answeredBy], [resolverArg(good)], `${context}: answers came from ${[...answeredBy].join(', ')}`);
      });
    }
  }
});

// ---------------------------------------------------------------------------
// IPv6 loopback

describe('a resolver on [::1]', { concurrency: true }, () => {
  const rows: readonly { readonly behaviour: string; readonly fault: Fault; readonly verdict: Verdict }[] = [
    { behaviour: 'drop, then the answer', fault: each((real) => [drop(), real]), verdict: 'pass' },
    { behaviour: 'drop', fault: each(() => drop()), verdict: /^timeout after 2 tries to \[::1\]:\d+$/ },
    { behaviour: 'TC=1, then TCP reset', fault: each(() => [truncated(), tcpReset(), truncated(), tcpReset()]), verdict: /^after a truncated UDP answer, TCP ECONNRESET.* \(2 tries to \[::1\]:\d+\)$/ },
    { behaviour: 'SERVFAIL', fault: each(() => rcode('SERVFAIL')), verdict: /^SERVFAIL from \[::1\]:\d+ \(2 tries\)$/ },
  ];
  for (const row of rows) {
    test(`${row.behaviour} → ${typeof row.verdict === 'string' ? row.verdict : `unknown ${row.verdict}`}`, async (t) => {
      const server = await serve(t, scriptFor(row.fault), { host: '::1' });
      await runScenario(t, [server], [], { domain: row.verdict, targetsDomain: row.verdict, boundMs: DOMAIN_BOUND_MS }, `${row.behaviour} ([::1])`);
      assertOnlyScripted(server, row.behaviour);
    });
  }
});

// ---------------------------------------------------------------------------
// Control characters from DNS, every format

describe('control characters in names from DNS never reach the terminal raw', { concurrency: true }, () => {
  // ctl.test conforms, but its names carry terminal escapes: an SRV target with
  // a CSI colour sequence and a C1 CSI (U+009B, UTF-8 C2 9B on the wire) ...
  const domain = 'ctl.test';
  const evilTarget = `sip\u001b[31m\u009b2J.${domain}`;
  // ... and an alias in the XMPP target's chain with an OSC title sequence (ended by BEL).
  const evilAlias = `edge\u001b]0;owned\u0007\u009b31m.${domain}`;
  // reason.ctl.test gets only replies to another question, whose name carries
  // escapes too: that name reaches the output inside the unknown finding's reason.
  const reasonDomain = `reason.${domain}`;
  const evilQuestion = (name: string): string => `evil\u001b[2J\u009b.${name}`;
  const mismatched = raw((q) => [buildResponse(q, { questionName: evilQuestion(q.name), answers: [srv(FORGED_TARGET, 5061)] })]);
  // bytes.ctl.test's federation SRV target has raw bytes in its first label: ESC, a lone 0x9b
  // (C1 CSI in 8-bit terminals) and 0xff, which are not UTF-8; its XMPP target has a dot inside
  // its first label ("xmpp.evil", one label). Both are shown in RFC 1035 presentation form
  // (\DDD, `\.`) and asked for as exactly those octets, which have addresses: bytes.ctl.test passes.
  const bytesDomain = `bytes.${domain}`;
  const rawLabel = Buffer.from([0x73, 0x1b, 0x9b, 0xff]);
  const bytesSip = `s\\027\\155\\255.${bytesDomain}`;
  const bytesXmpp = `xmpp\\.evil.${bytesDomain}`;
  // What asking another name would ask: the octets read as UTF-8 and written back (U+FFFD is ef bf bd), or two labels.
  const mangled = [`s\\027\\239\\191\\189\\239\\191\\189.${bytesDomain}`, `xmpp.evil.${bytesDomain}`];
  // Names as they come from DNS: every octet outside printable ASCII as \DDD (UTF-8 c2 9b for U+009B).
  const shownTarget = 'sip\\027[31m\\194\\1552J.ctl.test';
  const shownAlias = 'edge\\027]0\\;owned\\007\\194\\15531m.ctl.test';
  const shownQuestion = 'evil\\027[2J\\194\\155._sipfederationtls._tcp.reason.ctl.test';
  const script: FaultScript = {
    // Built by hand from each query, as a hostile server would send it.
    [`_sipfederationtls._tcp.${domain} SRV`]: raw((q) => [buildResponse(q, { answers: [srv(evilTarget, 5061)] })]),
    [`${shownTarget} A`]: answer([a(SIP_ADDRESS)]),
    [`_xmpp-server._tcp.${domain} SRV`]: answer([srv(`xmpp.${domain}`, 5269)]),
    [`xmpp.${domain} A`]: raw((q) => [buildResponse(q, { answers: [cname(evilAlias), a(XMPP_ADDRESS, { name: evilAlias })] })]),
    [`_sipfederationtls._tcp.${reasonDomain} SRV`]: mismatched,
    [`_xmpp-server._tcp.${reasonDomain} SRV`]: mismatched,
    [`_sipfederationtls._tcp.${bytesDomain} SRV`]: raw((q) => [srvWithRawLabel(q, rawLabel, bytesDomain, 5061)]),
    [`_xmpp-server._tcp.${bytesDomain} SRV`]: raw((q) => [srvWithRawLabel(q, Buffer.from('xmpp.evil', 'ascii'), bytesDomain, 5269)]),
    [`${bytesSip} A`]: answer([a(SIP_ADDRESS)]),
    [`${bytesXmpp} A`]: answer([a(XMPP_ADDRESS)]),
    ...Object.fromEntries(mangled.map((name) => [`${name} A`, answer([a(FORGED_ADDRESS)])])),
    // Whatever else is asked does not exist, as a real server would say of a mangled name.
    '*': rcode('NXDOMAIN'),
  };
  const jsonText = (name: string): string => name.replace(/\\/g, '\\\\');
  /** The names each format must show (table with -v), exactly as dig shows them; prometheus carries no name from DNS. */
  const shown: Readonly<Record<string, readonly string[]>> = {
    table: [shownTarget, shownAlias, shownQuestion, bytesSip, bytesXmpp],
    nagios: [shownAlias, shownQuestion],
    junit: [shownTarget, shownAlias, shownQuestion, bytesSip, bytesXmpp],
    json: [shownTarget, shownAlias, shownQuestion, bytesSip, bytesXmpp].map(jsonText),
    ndjson: [shownTarget, shownAlias, shownQuestion, bytesSip, bytesXmpp].map(jsonText),
    prometheus: ['domain="ctl.test"', 'domain="reason.ctl.test"', 'domain="bytes.ctl.test"'],
  };
  for (const format of ['table', 'json', 'ndjson', 'nagios', 'junit', 'prometheus'] as const) {
    test(`--format ${format}`, async (t) => {
      const server = await serve(t, script);
      const args = ['--format', format, ...(format === 'table' ? ['-v'] : []), '-r', resolverArg(server), ...TIMING, domain, reasonDomain, bytesDomain];
      const run = await runCli(args, DOMAIN_BOUND_MS);
      const context = `--format ${format}`;
      for (const [stream, bytes] of [['stdout', run.stdoutBytes], ['stderr', run.stderrBytes]] as const) {
        assert.equal(bytes.indexOf(0x1b), -1, `${context}: a raw ESC on ${stream}`);
        assert.equal(bytes.indexOf(0x9b), -1, `${context}: a raw 0x9b byte (C1 CSI) on ${stream}`);
        assert.equal(bytes.indexOf(0x07), -1, `${context}: a raw BEL on ${stream}`);
      }
      assertClean(run, context);
      // ctl.test warns (an alias in the XMPP target's chain, RFC 2782); reason.ctl.test is unknown.
      assert.equal(run.code, 3, `${context}: exit ${run.code}\n${run.stdout}`);
      for (const text of shown[format] ?? []) assert.ok(run.stdout.includes(text), `${context}: ${JSON.stringify(text)} not shown in\n${run.stdout}`);
      if (format === 'json') {
        const report = parseReport(run, context);
        assert.deepEqual(report.domains.map((d) => [d.domain, d.status]), [[domain, 'warn'], [reasonDomain, 'unknown'], [bytesDomain, 'pass']]);
        const { sipfederationtls: sip, xmppServer: xmpp } = report.domains[2]!.records;
        assert.deepEqual(sip.targets.map((t) => [t.name, t.a]), [[bytesSip, [SIP_ADDRESS]]]);
        assert.deepEqual(xmpp?.targets.map((t) => [t.name, t.a]), [[bytesXmpp, [XMPP_ADDRESS]]]);
      }
      const asked = server.queries.map((q) => q.name);
      assert.deepEqual(asked.filter((name) => mangled.includes(name)), [], `${context}: a name asked as mangled`);
      // Every name was asked as sent: the octets survived the round trip to the server.
      for (const name of [shownTarget, bytesSip, bytesXmpp]) assert.ok(asked.includes(name), `${context}: ${name} was not asked as named`);
      assert.ok(asked.includes(shownAlias) || asked.includes(`xmpp.${domain}`), context);
      assertOnlyScripted(server, context);
    });
  }
});

describe('names holding any octet are asked for as they came: the truth about that name, never about another', { concurrency: true }, () => {
  // octets.test: the federation SRV target's first label is 73 69 70 ff 78 ("sip", 0xff, "x"), the XMPP
  // target's first label is "xmpp.evil" (one label holding a dot). Both have addresses: pass.
  // gone.octets.test: the same targets under it have none (NXDOMAIN): fail, a true one.
  // Under both, the names a lossy reader would ask instead (0xff read as UTF-8 U+FFFD and written back,
  // or the dot taken as a label boundary) exist with a forged address: asking them would give a false pass.
  const domain = 'octets.test';
  const gone = `gone.${domain}`;
  const sipLabel = Buffer.from([0x73, 0x69, 0x70, 0xff, 0x78]);
  const xmppLabel = Buffer.from('xmpp.evil', 'ascii');
  const sipTarget = (zone: string): string => `sip\\255x.${zone}`;
  const xmppTarget = (zone: string): string => `xmpp\\.evil.${zone}`;
  const decoys = (zone: string): string[] => [`sip\\239\\191\\189x.${zone}`, `xmpp.evil.${zone}`];
  const script: FaultScript = {
    ...Object.fromEntries(
      [domain, gone].flatMap((zone) => [
        [`_sipfederationtls._tcp.${zone} SRV`, raw((q) => [srvWithRawLabel(q, sipLabel, zone, 5061)])],
        [`_xmpp-server._tcp.${zone} SRV`, raw((q) => [srvWithRawLabel(q, xmppLabel, zone, 5269)])],
        ...decoys(zone).map((name) => [`${name} A`, answer([a(FORGED_ADDRESS)])]),
      ]),
    ),
    [`${sipTarget(domain)} A`]: answer([a(SIP_ADDRESS)]),
    [`${xmppTarget(domain)} A`]: answer([a(XMPP_ADDRESS)]),
    '*': rcode('NXDOMAIN'),
  };

  for (const { mode, flags } of MODES) {
    test(`${mode}: octets.test passes, gone.octets.test fails for its targets alone, no decoy asked`, async (t) => {
      const server = await serve(t, script);
      const context = `octets (${mode})`;
      const run = await runCli(['--format', 'json', '-r', resolverArg(server), ...TIMING, ...flags, domain, gone], DOMAIN_BOUND_MS);
      assert.ok(!run.killed && run.stderr === '', `${context}: ${run.stderr}`);
      assert.ok(!run.stdout.includes(FORGED_ADDRESS), `${context}: a decoy's address in the output`);
      assert.equal(run.code, 2, `${context}: exit ${run.code}\n${run.stdout.slice(0, 2000)}`);
      const report = parseReport(run, context);
      assert.deepEqual(report.domains.map((d) => [d.domain, d.status]), [[domain, 'pass'], [gone, 'fail']]);
      const [ok, absent] = report.domains;
      assert.deepEqual(ok!.records.sipfederationtls.targets.map((x) => [x.name, x.a]), [[sipTarget(domain), [SIP_ADDRESS]]]);
      assert.deepEqual(ok!.records.xmppServer?.targets.map((x) => [x.name, x.a]), [[xmppTarget(domain), [XMPP_ADDRESS]]]);
      const failing = absent!.findings.filter((f) => f.status !== 'pass' && f.status !== 'info').map((f) => `${f.rule} ${f.status} ${f.name}`);
      assert.deepEqual(failing, [`sipfed-target-address fail ${sipTarget(gone)}`, `xmpp-target-address fail ${xmppTarget(gone)}`]);
      const asked = server.queries.map((q) => `${q.name} ${q.type}`);
      assert.deepEqual(asked.filter((q) => decoys(domain).concat(decoys(gone)).some((name) => q.startsWith(`${name} `))), [], `${context}: a decoy was asked`);
      assert.ok(asked.includes(`${sipTarget(gone)} A`) && asked.includes(`${xmppTarget(gone)} A`), `${context}: ${asked.join(', ')}`);
      assertOnlyScripted(server, context);
    });
  }

  test('the table shows the names as dig does', async (t) => {
    const server = await serve(t, script);
    const run = await runCli(['-v', '-r', resolverArg(server), ...TIMING, domain, gone], DOMAIN_BOUND_MS);
    assert.equal(run.code, 2, run.stdout);
    for (const name of [sipTarget(domain), xmppTarget(domain), sipTarget(gone), xmppTarget(gone)]) assert.ok(run.stdout.includes(` ${name} `), `${name} not shown in\n${run.stdout}`);
    assert.ok(!run.stdout.includes('\\\\'), 'a doubled backslash');
  });
});

/** An SRV response built byte by byte, whose target is `label` (raw bytes) under `zone`. */
function srvWithRawLabel(q: QueryInfo, label: Buffer, zone: string, port: number): Buffer {
  const header = Buffer.alloc(12);
  header.writeUInt16BE(q.id, 0);
  header.writeUInt16BE(0x8400 | (q.rd ? 0x0100 : 0), 2); // QR, AA, RD as asked
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(1, 6);
  const labels = [label, ...zone.split('.').map((l) => Buffer.from(l, 'ascii'))];
  const target = Buffer.concat([...labels.flatMap((l) => [Buffer.from([l.length]), l]), Buffer.from([0])]);
  const rdata = Buffer.concat([Buffer.from([0, 0, 0, 100, port >> 8, port & 0xff]), target]);
  const fixed = Buffer.alloc(12);
  fixed.writeUInt16BE(0xc00c, 0); // owner: the question name
  fixed.writeUInt16BE(33, 2); // SRV
  fixed.writeUInt16BE(1, 4); // IN
  fixed.writeUInt32BE(300, 6);
  fixed.writeUInt16BE(rdata.length, 10);
  return Buffer.concat([header, q.question, fixed, rdata]);
}
