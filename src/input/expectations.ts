/**
 * Operator expectations (`expect` in the config, `--expect-*` flags): check
 * and normalise what the user wrote, so the rules compare canonical forms
 * (A-label lower-case host names, canonical IP text).
 */
import { canonicalAddress } from '../dns/ip-text.js';
import type { EdgeExpectation, ServiceExpectation } from '../rules/types.js';
import type { Result } from '../result.js';
import { parseDomainName } from './domain-name.js';
import { quoteInput } from '../escape.js';

/** An expected SRV target: a host name (IDNs accepted), returned as its A-label. */
export function parseExpectedTarget(text: string): Result<string> {
  const parsed = parseDomainName(text);
  return parsed.ok ? { ok: true, value: parsed.value } : { ok: false, error: parsed.error };
}

/** An expected address: IPv4 or IPv6, returned in canonical text. */
export function parseExpectedAddress(text: string): Result<string> {
  const address = canonicalAddress(text);
  return address !== undefined ? { ok: true, value: address } : { ok: false, error: `${quoteInput(text)} is not an IPv4 or IPv6 address` };
}

/** The shape of `expect` after schema validation (strings not yet checked). */
interface RawService {
  readonly targets?: readonly string[];
  readonly addresses?: readonly string[];
}
interface RawEdge extends RawService {
  readonly xmpp?: RawService;
}

/** Parse every text, keeping the first of equal values; an error is prefixed with `where(index)`. */
function parseEach(texts: readonly string[], parse: (text: string) => Result<string>, where: (index: number) => string): Result<string[]> {
  const values: string[] = [];
  for (const [i, text] of texts.entries()) {
    const parsed = parse(text);
    if (!parsed.ok) return { ok: false, error: `${where(i)}: ${parsed.error}` };
    if (!values.includes(parsed.value)) values.push(parsed.value);
  }
  return { ok: true, value: values };
}

function service(raw: RawService, path: string): Result<ServiceExpectation> {
  const targets = parseEach(raw.targets ?? [], parseExpectedTarget, (i) => `${path}.targets[${i}]`);
  if (!targets.ok) return targets;
  const addresses = parseEach(raw.addresses ?? [], parseExpectedAddress, (i) => `${path}.addresses[${i}]`);
  if (!addresses.ok) return addresses;
  return {
    ok: true,
    value: { ...(raw.targets !== undefined ? { targets: targets.value } : {}), ...(raw.addresses !== undefined ? { addresses: addresses.value } : {}) },
  };
}

/**
 * Check and normalise one `expect` object of a config; `path` is its JSON
 * path (e.g. `$.domains[2].expect`) and prefixes any error.
 */
export function normaliseExpect(raw: RawEdge, path: string): Result<EdgeExpectation> {
  const sip = service(raw, path);
  if (!sip.ok) return sip;
  if (raw.xmpp === undefined) return sip;
  const xmpp = service(raw.xmpp, `${path}.xmpp`);
  if (!xmpp.ok) return xmpp;
  return { ok: true, value: { ...sip.value, xmpp: xmpp.value } };
}

/**
 * Layer expectations field by field, later layers winning: a domain's
 * `expect.targets` keeps the defaults' `expect.addresses` (one Access Edge
 * address shared by many SIP domains is the usual case).
 */
export function mergeExpect(...layers: readonly (EdgeExpectation | undefined)[]): EdgeExpectation | undefined {
  let merged: EdgeExpectation | undefined;
  for (const layer of layers) {
    if (layer === undefined) continue;
    const xmpp = merged?.xmpp === undefined ? layer.xmpp : layer.xmpp === undefined ? merged.xmpp : { ...merged.xmpp, ...layer.xmpp };
    merged = { ...merged, ...layer, ...(xmpp !== undefined ? { xmpp } : {}) };
  }
  return merged;
}

/** The `--expect-*` flags as given on the command line. */
export interface ExpectationFlags {
  readonly expectTarget: readonly string[];
  readonly expectAddress: readonly string[];
  readonly expectXmppTarget: readonly string[];
  readonly expectXmppAddress: readonly string[];
}

/** The expectation the `--expect-*` flags state, or undefined when none was given; errors name the flag. */
export function expectFromFlags(flags: ExpectationFlags): Result<EdgeExpectation | undefined> {
  const collect = (texts: readonly string[], flag: string, parse: (text: string) => Result<string>): Result<string[] | undefined> =>
    texts.length === 0 ? { ok: true, value: undefined } : parseEach(texts, parse, () => flag);
  const targets = collect(flags.expectTarget, '--expect-target', parseExpectedTarget);
  const addresses = collect(flags.expectAddress, '--expect-address', parseExpectedAddress);
  const xmppTargets = collect(flags.expectXmppTarget, '--expect-xmpp-target', parseExpectedTarget);
  const xmppAddresses = collect(flags.expectXmppAddress, '--expect-xmpp-address', parseExpectedAddress);
  for (const c of [targets, addresses, xmppTargets, xmppAddresses]) if (!c.ok) return c;
  const value = (c: Result<string[] | undefined>): string[] | undefined => (c.ok ? c.value : undefined);
  const xmpp: ServiceExpectation = {
    ...(value(xmppTargets) !== undefined ? { targets: value(xmppTargets) } : {}),
    ...(value(xmppAddresses) !== undefined ? { addresses: value(xmppAddresses) } : {}),
  };
  const edge: EdgeExpectation = {
    ...(value(targets) !== undefined ? { targets: value(targets) } : {}),
    ...(value(addresses) !== undefined ? { addresses: value(addresses) } : {}),
    ...(Object.keys(xmpp).length > 0 ? { xmpp } : {}),
  };
  return { ok: true, value: Object.keys(edge).length > 0 ? edge : undefined };
}
