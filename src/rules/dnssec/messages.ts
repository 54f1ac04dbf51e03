/**
 * The DNSSEC family's English: one template per message code, from the
 * finding's facts alone (src/rules/messages.ts).
 */
import type { DnssecState } from '../../lookup/dnssec.js';
import { inflect, speaker } from '../messages.js';

/**
 * What a dnssec-srv finding carries: the domain, the state of its SRV and
 * target address answers together, whether `--require-dnssec` asked for
 * secure ones, and the resolvers that set AD. The answers that were not
 * secure are listed as `name TYPE` by state, with the resolvers that gave
 * the insecure and the bogus ones (sorted); the secure answers are implied
 * by `vouchedBy`, as in the domain's `dnssec` (src/lookup/dnssec.ts).
 */
export type DnssecSrvFacts = {
  readonly domain: string;
  readonly state: DnssecState;
  readonly required: boolean;
  readonly vouchedBy: readonly string[];
  readonly insecure: readonly string[];
  readonly bogus: readonly string[];
  readonly unknown: readonly string[];
  /** The resolvers that answered the insecure answers without AD. */
  readonly insecureAt: readonly string[];
  /** The resolvers whose validation failed for the bogus answers. */
  readonly bogusAt: readonly string[];
};

/** Why dnssec-srv could not tell (its `reason` and its message say the same). */
export const dnssecUnknownReason = (f: DnssecSrvFacts): string => `${f.unknown.join(', ')} could not be looked up`;

/**
 * What an auth-rrsig finding carries: the SRV owner and its zone, the
 * servers (by address) that sent the RRSIGs, that left them out and that gave
 * no answer, each server's NS names (joined with "/") by address, and why
 * each silent one gave none.
 */
export type RrsigFacts = {
  readonly owner: string;
  readonly zone: string;
  readonly signedAt: readonly string[];
  readonly unsignedAt: readonly string[];
  readonly silentAt: readonly string[];
  readonly nameservers: { readonly [address: string]: string };
  readonly silentDetails: { readonly [address: string]: string };
};

/** "ns1.contoso.com (192.0.2.53:53)", as src/lookup/authoritative.ts serverLabel says it. */
const label = (f: RrsigFacts, address: string): string => `${f.nameservers[address] ?? ''} (${address})`;
const labels = (f: RrsigFacts, addresses: readonly string[]): string => addresses.map((a) => label(f, a)).join(', ');

/** Why auth-rrsig could not tell: what each silent server's lookup said. */
export const rrsigUnknownReason = (f: RrsigFacts): string => f.silentAt.map((a) => `${label(f, a)}: ${f.silentDetails[a] ?? ''}`).join('; ');

/** The DNSSEC family's templates, by message code (codes are unique across families: src/rules/catalogue.ts renderMessage). */
export const DNSSEC_MESSAGES = {
  // dnssec-srv
  'dnssec-secure': (f: DnssecSrvFacts) => `The SRV and target address answers of ${f.domain} are DNSSEC-secure: ${f.vouchedBy.join(', ')} set AD on every one.`,
  'dnssec-bogus': (f: DnssecSrvFacts) =>
    `DNSSEC validation failed at ${f.bogusAt.join(', ')} for ${f.bogus.join(', ')} (bogus): resolvers that validate answer SERVFAIL, so partners behind them cannot use these records (which may well exist, but cannot be trusted).`,
  'dnssec-insecure': (f: DnssecSrvFacts) =>
    `Not DNSSEC-secure: ${f.insecureAt.join(', ')} answered ${f.insecure.join(', ')} without AD (an unsigned zone, or a resolver that does not validate)${f.required ? ', and --require-dnssec asks for secure answers' : ''}.`,
  'dnssec-unknown': (f: DnssecSrvFacts) => `Could not tell whether the answers of ${f.domain} are DNSSEC-secure: ${dnssecUnknownReason(f)}.`,
  // auth-rrsig
  'rrsig-everywhere': (f: RrsigFacts) => `Every server of ${f.zone} that answered ${f.owner} SRV sent its RRSIGs (${labels(f, f.signedAt)}).`,
  'rrsig-missing': (f: RrsigFacts) =>
    `${labels(f, f.unsignedAt)} answered ${f.owner} SRV without RRSIGs though ${labels(f, f.signedAt)} signed it (zone ${f.zone}): validating resolvers that ask ${inflect(f.unsignedAt.length, 'that server', 'those servers')} find the answer bogus.`,
  'rrsig-unknown': (f: RrsigFacts) =>
    `Could not tell whether every server of ${f.zone} sends the RRSIGs of ${f.owner} SRV: ${labels(f, f.signedAt)} did, and ${labels(f, f.silentAt)} gave no answer.`,
};

/** A finding of the DNSSEC family's templates. */
export const say = speaker(DNSSEC_MESSAGES);
