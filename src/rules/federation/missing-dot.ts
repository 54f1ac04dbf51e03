/**
 * The commonest zone-file slip: a target written without its trailing dot
 * is relative (RFC 1035 §5.1), so the origin is appended to it. The SRV
 * target `sipfed.online.lync.com` in the zone `example.com` becomes
 * `sipfed.online.lync.com.example.com`, which exists nowhere. Spotted here
 * from the name alone, so that the finding can say what to fix.
 */
import { createRequire } from 'node:module';
import { domainToASCII } from 'node:url';
import { presentationLabels } from '../../dns/name-text.js';

/**
 * Top-level labels in A-label form: IANA's root zone as the `tlds` package
 * lists it, and the special-use names of RFC 6761 §6 (`test`, `example`,
 * `invalid`, `localhost`), which test and documentation zones use.
 */
const TOP_LEVEL: ReadonlySet<string> = new Set([
  ...(createRequire(import.meta.url)('tlds') as readonly string[]).map((tld) => domainToASCII(tld).toLowerCase()).filter((tld) => tld !== ''),
  'test',
  'example',
  'invalid',
  'localhost',
]);

/** Whether `label` (any case) is a top-level label in use. */
export function isTopLevelLabel(label: string): boolean {
  return TOP_LEVEL.has(label.toLowerCase());
}

/**
 * The name the zone file probably meant, when `target` looks like a full
 * name with a zone's origin appended again; `zones` are the names the origin
 * can have been (a domain and the names above it). Two shapes:
 * - the target ends with `.Z` for a zone Z of two labels or more, and what
 *   comes before is itself a full name (three labels or more, the last a
 *   top-level label; or two with a generic one, longer than a country code):
 *   `sipfed.online.lync.com.example.com` → `sipfed.online.lync.com`;
 * - the target repeats its own tail: `sip.example.com.example.com` → `sip.example.com`.
 * Undefined when neither holds. Pure.
 */
export function withoutRepeatedOrigin(target: string, zones: readonly string[] = []): string | undefined {
  const labels = presentationLabels(target.toLowerCase());
  for (const zone of zones) {
    const tail = presentationLabels(zone.toLowerCase());
    if (tail.length < 2 || labels.length < tail.length + 2) continue;
    const before = labels.slice(0, labels.length - tail.length);
    if (labels.slice(-tail.length).join('.') !== tail.join('.')) continue;
    // `sip.eu.example.com` is an ordinary host under a "eu" label: two labels before the
    // origin count only with a generic top-level label (`contoso.com.example.com`).
    const top = before[before.length - 1]!;
    if (isTopLevelLabel(top) && (before.length >= 3 || top.length > 2)) return before.join('.');
  }
  for (let n = 2; n * 2 <= labels.length; n += 1) {
    const tail = labels.slice(-n).join('.');
    const before = labels.slice(-2 * n, -n).join('.');
    if (tail === before) return labels.slice(0, -n).join('.');
  }
  return undefined;
}

/**
 * The names above `name` (itself included) of two labels or more: the
 * origins a zone holding `name` can have had.
 */
export function candidateOrigins(name: string): string[] {
  const labels = presentationLabels(name.toLowerCase());
  const out: string[] = [];
  for (let i = 0; i + 2 <= labels.length; i += 1) out.push(labels.slice(i).join('.'));
  return out;
}

/** A target written without its trailing dot, as data: the name meant and the origin appended to it. */
export interface MissingDot {
  readonly [fact: string]: string;
  readonly meant: string;
  readonly origin: string;
}

/**
 * Whether `target` looks like a name written without its trailing dot in a
 * zone near `near` (a name of the same zone: the SRV owner, the domain).
 */
export function missingDot(target: string, near?: string): MissingDot | undefined {
  const meant = withoutRepeatedOrigin(target, near === undefined ? [] : candidateOrigins(near));
  if (meant === undefined) return undefined;
  const labels = presentationLabels(target.toLowerCase());
  return { meant, origin: labels.slice(presentationLabels(meant).length).join('.') };
}
