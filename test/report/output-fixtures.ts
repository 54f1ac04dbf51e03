/**
 * Report fixtures for the output-format tests: DomainResults made by the pure
 * `judge()` from hand-made observations (so they carry real findings and
 * records), and RunReports around them. No sockets.
 */
import { judge, type DomainResult } from '../../src/check/check-domain.js';
import type { ResourceRecord } from '../../src/dns/codec.js';
import type { ServiceResolution } from '../../src/lookup/service.js';
import type { LookupOutcome } from '../../src/lookup/types.js';
import { summarise, type RunReport } from '../../src/report/report.js';
import { DEFAULT_EXPECTATIONS, type DomainExpectations } from '../../src/rules/types.js';

const PROVENANCE = { server: '127.0.0.1:5300', transport: 'udp', authenticated: false } as const;

/** The detail of every fixture timeout. */
export const TIMEOUT_DETAIL = 'timeout after 1 try to 127.0.0.1:9';

/** Lookup outcomes. */
export const outcome = {
  answer: (name: string, type: 'SRV' | 'A' | 'AAAA', records: readonly ResourceRecord[]): LookupOutcome => ({ kind: 'answer', name, type, records, chain: [], ...PROVENANCE }),
  nxdomain: (name: string, type: 'SRV' | 'A' | 'AAAA'): LookupOutcome => ({ kind: 'nxdomain', name, type, chain: [], ...PROVENANCE }),
  nodata: (name: string, type: 'SRV' | 'A' | 'AAAA'): LookupOutcome => ({ kind: 'nodata', name, type, chain: [], ...PROVENANCE }),
  error: (name: string, type: 'SRV' | 'A' | 'AAAA', detail = TIMEOUT_DETAIL): LookupOutcome => ({ kind: 'error', name, type, chain: [], reason: 'timeout', detail }),
};

/** One SRV record. */
export const srv = (owner: string, port: number, target: string, priority = 0, weight = 0): ResourceRecord => ({ type: 'SRV', name: owner, ttl: 300, priority, weight, port, target });

/** What a fixture service looks like. */
export interface ServiceShape {
  /** SRV records as [port, target]; or 'nxdomain' / 'error'. */
  readonly srv: readonly (readonly [number, string])[] | 'nxdomain' | 'error';
  /** A addresses per target ('error' for a failed lookup); a target missing here has no A (NXDOMAIN). */
  readonly a?: Readonly<Record<string, readonly string[] | 'error'>>;
  /** AAAA addresses per target, for targets without A. */
  readonly aaaa?: Readonly<Record<string, readonly string[]>>;
}

/** A ServiceResolution as resolveService would produce it. */
export function service(owner: string, shape: ServiceShape): ServiceResolution {
  if (shape.srv === 'nxdomain') return { owner, srv: outcome.nxdomain(owner, 'SRV'), targets: [] };
  if (shape.srv === 'error') return { owner, srv: outcome.error(owner, 'SRV'), targets: [] };
  const records = shape.srv.map(([port, target]) => srv(owner, port, target));
  const names = [...new Set(shape.srv.map(([, target]) => target))].filter((t) => t !== '.');
  return {
    owner,
    srv: outcome.answer(owner, 'SRV', records),
    targets: names.map((target) => {
      const a = shape.a?.[target];
      if (a === 'error') return { target, a: outcome.error(target, 'A'), aaaa: undefined };
      if (a !== undefined && a.length > 0) {
        return { target, a: outcome.answer(target, 'A', a.map((address) => ({ type: 'A', name: target, ttl: 300, address }))), aaaa: undefined };
      }
      const v6 = shape.aaaa?.[target];
      return {
        target,
        a: outcome.nxdomain(target, 'A'),
        aaaa: v6 === undefined ? outcome.nxdomain(target, 'AAAA') : outcome.answer(target, 'AAAA', v6.map((address) => ({ type: 'AAAA', name: target, ttl: 300, address }))),
      };
    }),
  };
}

/** A domain judged from its services (XMPP: no SRV, i.e. info, unless given). */
export function domain(name: string, sipfed: ServiceShape, xmpp: ServiceShape | undefined = { srv: 'nxdomain' }, expectations: Partial<DomainExpectations> = {}): DomainResult {
  const exp = { ...DEFAULT_EXPECTATIONS, ...expectations };
  return judge(
    { domain: name, input: name, expectations: exp },
    {
      domain: name,
      sipfed: service(`_sipfederationtls._tcp.${name}`, sipfed),
      xmpp: exp.xmpp === 'off' || xmpp === undefined ? undefined : service(`_xmpp-server._tcp.${name}`, xmpp),
    },
  );
}

/** A conforming domain: SRV 5061 → sip.D → `address`. */
export const passing = (name: string, address = '192.0.2.10', target = `sip.${name}`): DomainResult =>
  domain(name, { srv: [[5061, target]], a: { [target]: [address] } });
/** No federation SRV at all: fail (sipfed-srv, push-srv). */
export const failing = (name: string): DomainResult => domain(name, { srv: 'nxdomain' });
/** The resolver did not answer: unknown. */
export const unknown = (name: string): DomainResult => domain(name, { srv: 'error' }, { srv: 'error' });
/** The SRV target lies outside the domain: warn (sipfed-target-domain). */
export const warning = (name: string): DomainResult => domain(name, { srv: [[5061, 'edge.elsewhere.example']], a: { 'edge.elsewhere.example': ['192.0.2.20'] } });

/** A RunReport around some domain results; the summary is counted from them. */
export function report(domains: readonly DomainResult[], extra: Partial<RunReport> = {}): RunReport {
  return {
    schema: 'fedcheck/1',
    tool: { name: 'fedcheck', version: '0.0.0-test' },
    startedAt: '2026-01-02T03:04:05.678Z',
    resolvers: ['127.0.0.1:5300'],
    mode: 'resolver',
    domains,
    seconds: 1.25,
    summary: summarise(domains.map((d) => d.status)),
    queries: {
      lookups: 10,
      cacheHits: 2,
      udp: 11,
      tcp: 1,
      truncated: 1,
      ednsFallbacks: 0,
      outcomes: { response: 9, timeout: 1, servfail: 0, refused: 0, formerr: 0, notimp: 0, rcode: 0, malformed: 0, network: 0 },
      ignored: { wrongSource: 0, unknownId: 0, mismatched: 0, malformed: 0 },
    },
    ...extra,
  };
}

/** Every character a hostile DNS name could carry that must never reach output raw. */
export const HOSTILE = 'x\u001b[31m|<&>"\'\\\n\u0000\u007f\u009b\ud800\ufffe.evil.example';
