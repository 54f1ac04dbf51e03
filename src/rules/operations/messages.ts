/** The operations family's English (authoritative mode, operator expectations): one template per message code, from the facts alone. */
import { describeAnswer } from '../../lookup/authoritative.js';
import { count, inflect, speaker } from '../messages.js';

/** What one authoritative server said to "SOA of the zone?" (src/lookup/authoritative.ts SoaProbe), as the findings carry it. */
export type ProbeFact = {
  readonly address: string;
  readonly soa: 'authoritative' | 'lame' | 'silent' | 'unreachable';
  /** The SOA serial when authoritative, else null. */
  readonly serial: number | null;
  /** What went wrong when not authoritative, else null. */
  readonly detail: string | null;
};

/**
 * Servers that said the same, as parallel lists: `nameservers[i]` are the NS
 * names (joined with "/") of the server at `addresses[i]`.
 */
export type ServersFact = { readonly nameservers: readonly string[]; readonly addresses: readonly string[] };

/** One answer of an SRV RRset or address set and the servers that gave it. */
export type AnswerGroupFact = ServersFact & { readonly answer: 'data' | 'nxdomain' | 'nodata'; readonly values: readonly string[] };

/** A server that gave no answer to compare, and why. */
export type UnansweredFact = { readonly server: string; readonly detail: string };

/**
 * Servers as a list, addresses of the same NS name(s) together:
 * "ns1.contoso.com (192.0.2.53:53, [2001:db8::53]:53), ns2.contoso.com (198.51.100.53:53)".
 */
export function serverListText(servers: ServersFact): string {
  const groups = new Map<string, string[]>();
  servers.nameservers.forEach((names, i) => groups.set(names, [...(groups.get(names) ?? []), servers.addresses[i]!]));
  return [...groups.entries()].map(([names, addresses]) => `${names} (${addresses.join(', ')})`).join(', ');
}

const part = (p: ProbeFact): string => `${p.address} ${p.soa === 'authoritative' ? 'answers authoritatively' : p.detail ?? ''}`;
const parts = (probes: readonly ProbeFact[], soa?: ProbeFact['soa']): string => probes.filter((p) => soa === undefined || p.soa === soa).map(part).join('; ');
const tried = (probes: readonly ProbeFact[]): ProbeFact[] => probes.filter((p) => p.soa !== 'unreachable');
const notChecked = (probes: readonly ProbeFact[]): string => (probes.some((p) => p.soa === 'unreachable') ? `; not checked from this host: ${parts(probes, 'unreachable')}` : '');
/** What the tried servers said, then the ones this host could not reach. */
export const probeDetail = (probes: readonly ProbeFact[]): string => tried(probes).map(part).join('; ') + notChecked(probes);

type Host = { readonly name: string; readonly zone: string };
type Compared = { readonly name: string; readonly zone: string; readonly what: 'srv' | 'addresses' };
const whatText = (c: Compared): string => (c.what === 'srv' ? `${c.name} SRV` : `the addresses of ${c.name}`);
const answerText = (g: AnswerGroupFact): string => describeAnswer(g.answer === 'data' ? { kind: 'data', values: g.values } : { kind: g.answer });
const unasked = (failed: readonly UnansweredFact[]): string => (failed.length > 0 ? `; no answer to compare from ${failed.map((f) => `${f.server}: ${f.detail}`).join('; ')}` : '');

/** A lookup needed for an expectation that did not happen or could not tell. */
export type NotComparedFact = { readonly type: 'A' | 'AAAA'; readonly target: string; readonly detail: string | null };
export const notComparedText = (n: NotComparedFact): string => (n.detail === null ? `${n.type} of ${n.target} was not looked up` : `${n.type} of ${n.target}: ${n.detail}`);

/**
 * An SRV owner compared with what the operator expects. `targetsMatch` and
 * `addressesMatch`: true when equal, false when they differ, null when not
 * expected (or, for addresses, when lookups that failed leave it open).
 */
export type ExpectationFacts = {
  readonly owner: string;
  /** Whether the SRV lookup gave records (only the "." target when none is usable). */
  readonly srvAnswered: boolean;
  readonly expectedTargets: readonly string[];
  readonly targets: readonly string[];
  readonly missingTargets: readonly string[];
  readonly extraTargets: readonly string[];
  readonly targetsMatch: boolean | null;
  readonly expectedAddresses: readonly string[];
  /** Each address found, with the targets that have it. */
  readonly addresses: readonly { readonly address: string; readonly targets: readonly string[] }[];
  readonly missingAddresses: readonly string[];
  readonly extraAddresses: readonly string[];
  readonly addressesMatch: boolean | null;
  readonly notCompared: readonly NotComparedFact[];
};

const listOf = (items: readonly string[]): string => (items.length === 0 ? 'none' : items.join(', '));
const differences = (missing: readonly string[], extra: readonly string[]): string =>
  [missing.length > 0 ? `missing ${listOf(missing)}` : '', extra.length > 0 ? `unexpected ${listOf(extra)}` : ''].filter((s) => s !== '').join(', ');

/** What matches and what does not, in words. */
function expectationParts(f: ExpectationFacts): { readonly problems: string[]; readonly agreements: string[] } {
  const foundNote = f.targets.length > 0 ? '' : f.srvAnswered ? ' (only the "." target: not available)' : ' (no SRV record)';
  const problems: string[] = [];
  const agreements: string[] = [];
  const targetNoun = inflect(f.expectedTargets.length, 'target', 'targets');
  if (f.targetsMatch === true) agreements.push(`names the expected ${targetNoun} ${listOf(f.expectedTargets)}`);
  if (f.targetsMatch === false) problems.push(`expected ${targetNoun} ${listOf(f.expectedTargets)}, found ${listOf(f.targets)}${foundNote} (${differences(f.missingTargets, f.extraTargets)})`);
  const addressNoun = inflect(f.expectedAddresses.length, 'address', 'addresses');
  if (f.addressesMatch === true) agreements.push(`resolves to the expected ${addressNoun} ${listOf(f.expectedAddresses)}`);
  if (f.addressesMatch === false) {
    const shown = f.addresses.length === 0 ? `none${foundNote}` : f.addresses.map((a) => `${a.address} (${a.targets.join(', ')})`).join(', ');
    problems.push(`expected ${addressNoun} ${listOf(f.expectedAddresses)}, found ${shown} (${differences(f.missingAddresses, f.extraAddresses)})`);
  }
  return { problems, agreements };
}

/** The operations family's templates, by message code (codes are unique across families: src/rules/catalogue.ts renderMessage). */
export const OPERATIONS_MESSAGES = {
  // auth-lame
  'zone-unknown': (f: { readonly name: string; readonly detail: string }) =>
    `The zone holding ${f.name} could not be found through the resolver, so its name servers could not be checked: ${f.detail}.`,
  'nameservers-unknown': (f: { readonly zone: string; readonly detail: string }) => `The name servers of ${f.zone} could not be learnt through the resolver: ${f.detail}.`,
  'nameserver-no-address': (f: Host & { readonly detail: string }) => `${f.name} is listed as a name server of ${f.zone} but has no address: ${f.detail}; it can never answer.`,
  'nameserver-address-unknown': (f: Host & { readonly detail: string }) => `The address of ${f.name}, a name server of ${f.zone}, could not be looked up: ${f.detail}.`,
  'nameserver-unreachable': (f: Host & { readonly servers: readonly ProbeFact[] }) => `${f.name}, a name server of ${f.zone}, could not be checked from this host: ${parts(f.servers)}.`,
  'nameserver-authoritative': (f: Host & { readonly servers: readonly ProbeFact[]; readonly addressProblem: string | null }) => {
    const good = f.servers.filter((p) => p.soa === 'authoritative');
    const serials = [...new Set(good.map((p) => p.serial))].join(', ');
    const missingFamily = (f.addressProblem !== null ? ` (${f.addressProblem})` : '') + notChecked(f.servers);
    return `${f.name} answers authoritatively for ${f.zone} at ${good.map((p) => p.address).join(', ')} (serial ${serials})${missingFamily}.`;
  },
  'nameserver-lame': (f: Host & { readonly servers: readonly ProbeFact[] }) =>
    `${f.name} is listed as a name server of ${f.zone} but does not answer authoritatively for it (lame): ${probeDetail(f.servers)}.`,
  'nameserver-silent': (f: Host & { readonly servers: readonly ProbeFact[] }) =>
    `${f.name}, a name server of ${f.zone}, did not answer (lame or unreachable from here; a silence is not proof either way): ${probeDetail(f.servers)}.`,
  // auth-serial
  'serials-unknown': (f: { readonly zone: string }) => `SOA serials of ${f.zone} could not be compared: no name server of ${f.zone} answered authoritatively.`,
  'serials-same': (f: { readonly zone: string; readonly serial: number; readonly addresses: number }) =>
    `Every authoritative server of ${f.zone} (${count(f.addresses, 'address', 'addresses')}) has SOA serial ${f.serial}.`,
  'serials-differ': (f: { readonly zone: string; readonly serials: readonly (ServersFact & { readonly serial: number })[] }) =>
    `The authoritative servers of ${f.zone} have different SOA serials, so a change has not reached all of them: ${f.serials.map((g) => `${g.serial} at ${serverListText(g)}`).join('; ')}.`,
  // auth-consistency
  'answers-differ': (f: Compared & { readonly groups: readonly AnswerGroupFact[]; readonly unanswered: readonly UnansweredFact[] }) => {
    const sides = f.groups.map((g) => `${serverListText(g)} ${inflect(g.addresses.length, 'says', 'say')} ${answerText(g)}`);
    return `The authoritative servers of ${f.zone} disagree on ${whatText(f)}: ${sides.join('; ')}${unasked(f.unanswered)}.`;
  },
  'answers-unknown': (f: Compared & { readonly unanswered: readonly UnansweredFact[] }) =>
    `Whether the servers of ${f.zone} agree on ${whatText(f)} could not be checked: ${
      f.unanswered.length === 0 ? `no name server of ${f.zone} answered authoritatively` : f.unanswered.map((u) => `${u.server}: ${u.detail}`).join('; ')
    }.`,
  'answers-partly-same': (f: Compared & { readonly group: AnswerGroupFact; readonly unanswered: readonly UnansweredFact[] }) =>
    `${serverListText(f.group)} ${inflect(f.group.addresses.length, 'agrees', 'agree')} on ${whatText(f)} (${answerText(f.group)})${unasked(f.unanswered)}.`,
  'answers-same': (f: Compared & { readonly group: AnswerGroupFact }) =>
    `Every authoritative server of ${f.zone} (${count(f.group.addresses.length, 'address', 'addresses')}) agrees on ${whatText(f)}: ${answerText(f.group)}.`,
  // sipfed-target-expected, xmpp-target-expected
  'expected-srv-unknown': (f: { readonly owner: string; readonly detail: string }) => `${f.owner} SRV could not be compared with what is expected: ${f.detail}.`,
  'expected-differ': (f: ExpectationFacts) => {
    const { problems, agreements } = expectationParts(f);
    const asExpected = agreements.length > 0 ? `; as expected, it ${agreements.join(' and ')}` : '';
    const notCompared = f.notCompared.length > 0 ? `; not compared: ${f.notCompared.map(notComparedText).join('; ')}` : '';
    return `${f.owner} does not match what is expected: ${problems.join('; ')}${asExpected}${notCompared}.`;
  },
  'expected-incomplete': (f: ExpectationFacts) => {
    const { agreements } = expectationParts(f);
    const known = agreements.length > 0 ? ` (${agreements.join(' and ')})` : '';
    return `${f.owner} could not be fully compared with what is expected${known}: ${f.notCompared.map(notComparedText).join('; ')}.`;
  },
  'expected-match': (f: ExpectationFacts) => `${f.owner} ${expectationParts(f).agreements.join(' and ')}.`,
};

/** A finding of the operations family's templates. */
export const say = speaker(OPERATIONS_MESSAGES);
