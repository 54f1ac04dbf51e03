/**
 * What a validating resolver might say of contoso.example's SRV and target
 * address answers, one scenario per DNSSEC state, and what the servers of a
 * signed zone might send with DO=1 (auth-rrsig), with the `rule:status`
 * pairs expected. The AD bit and bogus answers themselves are tested against
 * real servers (test/integration/dnssec.test.ts); the rules are pure
 * functions of these observations.
 */
import { servicesDnssec } from '../../../src/lookup/dnssec.js';
import type { ServiceResolution } from '../../../src/lookup/service.js';
import type { LookupOutcome } from '../../../src/lookup/types.js';
import type { DomainExpectations, DomainObservation } from '../../../src/rules/types.js';
import { authObs, comparison, data, err, NS1, NS2, NS3, ok, zoneOf } from '../operations/scenarios.js';
import { D, EDGE, GOOD_SIP, GOOD_XMPP, observe, SIP, XEDGE, XMPP } from '../scenarios.js';

/** How the resolver answered one question: AD set, AD clear, validation failed, or no answer. */
export type Mark = 'secure' | 'insecure' | 'bogus' | 'timeout';

export const RESOLVER = '127.0.0.1:5300';

export interface DnssecScenario {
  readonly title: string;
  /** Every answer's mark, unless `marks` names it ("name TYPE"). */
  readonly all: Mark;
  readonly marks?: Readonly<Record<string, Mark>>;
  readonly expect?: Partial<DomainExpectations>;
  /** With --authoritative: the comparisons of what each server sent. */
  readonly authoritative?: DomainObservation['authoritative'];
  /** Sorted `rule:status` pairs of the DNSSEC rules' findings. */
  readonly expected: string;
}

/** The outcome as the resolver would have given it under `mark`. */
function marked(outcome: LookupOutcome, mark: Mark): LookupOutcome {
  const { name, type, chain } = outcome;
  switch (mark) {
    case 'bogus':
      return { kind: 'error', name, type, chain, reason: 'bogus', detail: `DNSSEC validation failed at ${RESOLVER} (the answer with CD=1 has records)`, server: RESOLVER };
    case 'timeout':
      return { kind: 'error', name, type, chain, reason: 'timeout', detail: `timeout after 3 tries to ${RESOLVER}` };
    default:
      return outcome.kind === 'error' ? outcome : { ...outcome, authenticated: mark === 'secure' };
  }
}

function markService(service: ServiceResolution | undefined, mark: (o: LookupOutcome) => LookupOutcome): ServiceResolution | undefined {
  if (service === undefined) return undefined;
  return {
    owner: service.owner,
    srv: mark(service.srv),
    targets: service.targets.map((t) => ({ target: t.target, a: mark(t.a), aaaa: t.aaaa === undefined ? undefined : mark(t.aaaa) })),
  };
}

/** D as the scenario's resolver saw it: the good records, each answer marked, the DNSSEC state assessed as run() does. */
export async function dnssecObservation(s: DnssecScenario): Promise<{ observation: DomainObservation; expectations: DomainExpectations }> {
  const { observation, expectations } = await observe([...GOOD_SIP, ...GOOD_XMPP], s.expect);
  const mark = (o: LookupOutcome): LookupOutcome => marked(o, s.marks?.[`${o.name} ${o.type}`] ?? s.all);
  const sipfed = markService(observation.sipfed, mark)!;
  const xmpp = markService(observation.xmpp, mark);
  // Authoritative mode has no AD bit to judge: there the state is not assessed (src/check/run.ts).
  if (s.authoritative !== undefined) return { observation: { ...observation, authoritative: s.authoritative }, expectations };
  return { observation: { ...observation, sipfed, xmpp, dnssec: servicesDnssec([sipfed, xmpp]) }, expectations };
}

const signed = (...values: string[]) => ({ ...data(...values), signed: true as const });
const SRV_DATA = `0 0 5061 ${EDGE}`;
const ZONE = zoneOf([
  [NS1, ok()],
  [NS2, ok()],
]);

export const DNSSEC_SCENARIOS: readonly DnssecScenario[] = [
  { title: 'secure: AD on every SRV and address answer', all: 'secure', expected: 'dnssec-srv:pass' },
  { title: 'secure, and --require-dnssec', all: 'secure', expect: { requireDnssec: true }, expected: 'dnssec-srv:pass' },
  { title: 'insecure (no AD): information by default', all: 'insecure', expected: 'dnssec-srv:info' },
  { title: 'insecure with --require-dnssec: fail', all: 'insecure', expect: { requireDnssec: true }, expected: 'dnssec-srv:fail' },
  { title: 'a secure SRV whose target lies in an unsigned zone is insecure', all: 'secure', marks: { [`${XEDGE} A`]: 'insecure' }, expected: 'dnssec-srv:info' },
  { title: 'bogus SRV: fail even without --require-dnssec', all: 'secure', marks: { [`${SIP} SRV`]: 'bogus' }, expected: 'dnssec-srv:fail' },
  { title: 'bogus beats insecure', all: 'insecure', marks: { [`${XMPP} SRV`]: 'bogus' }, expected: 'dnssec-srv:fail' },
  { title: 'could not tell, nothing required: no finding', all: 'secure', marks: { [`${SIP} SRV`]: 'timeout' }, expected: '' },
  { title: 'could not tell with --require-dnssec: unknown', all: 'secure', marks: { [`${SIP} SRV`]: 'timeout' }, expect: { requireDnssec: true }, expected: 'dnssec-srv:unknown' },
  {
    title: 'authoritative: every server sends the RRSIGs',
    all: 'insecure',
    authoritative: authObs([ZONE], [comparison(SIP, 'srv', [[NS1, signed(SRV_DATA)], [NS2, signed(SRV_DATA)]])]),
    expected: 'auth-rrsig:pass',
  },
  {
    title: 'authoritative: one server serves an unsigned copy of the signed zone',
    all: 'insecure',
    authoritative: authObs([ZONE], [comparison(SIP, 'srv', [[NS1, signed(SRV_DATA)], [NS2, data(SRV_DATA)]])]),
    expected: 'auth-rrsig:fail',
  },
  {
    title: 'authoritative: an unsigned zone is not judged',
    all: 'insecure',
    authoritative: authObs([ZONE], [comparison(SIP, 'srv', [[NS1, data(SRV_DATA)], [NS2, data(SRV_DATA)]])]),
    expected: '',
  },
  {
    title: 'authoritative: a server that did not answer is not said to leave RRSIGs out: could not tell',
    all: 'insecure',
    authoritative: authObs([ZONE], [comparison(SIP, 'srv', [[NS1, signed(SRV_DATA)], [NS2, err()]])]),
    expected: 'auth-rrsig:unknown',
  },
  {
    title: 'authoritative: one server unsigned and one silent: the unsigned one fails',
    all: 'insecure',
    authoritative: authObs([ZONE], [comparison(SIP, 'srv', [[NS1, signed(SRV_DATA)], [NS2, data(SRV_DATA)], [NS3, err()]])]),
    expected: 'auth-rrsig:fail',
  },
];

export { D };
