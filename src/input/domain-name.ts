import { domainToASCII } from 'node:url';
import { quoteInput } from '../escape.js';
import { foldCase } from '../dns/name-text.js';
import type { Result } from '../result.js';

export type NameResult = Result<string>;

/** The usual input, already its own result: 2 or more lower-case LDH labels of 1–63, 253 in all, no dot at the end. */
const PLAIN_HOST = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/;

/**
 * Validate a SIP domain given by the user and return its A-label form, lower
 * case, without a trailing dot. IDNs are converted (UTS #46 via the URL
 * standard's domainToASCII); the result must then be a host name by RFC 1035
 * §2.3.1 / RFC 1123 §2.1: LDH labels of 1–63 octets, 253 octets in all.
 */
export function parseDomainName(input: string): NameResult {
  if (PLAIN_HOST.test(input)) return { ok: true, value: input };
  const trimmed = input.trim();
  if (trimmed === '') return { ok: false, error: 'empty domain name' };
  // The URL standard's domainToASCII silently drops tab, CR and LF ("con\ttoso" → "contoso"): refuse them first.
  if (/[\u0000-\u001f\u007f-\u009f]/.test(trimmed)) return { ok: false, error: `${quoteInput(input)} contains control characters` };
  const withoutDot = trimmed.endsWith('.') ? trimmed.slice(0, -1) : trimmed;
  if (withoutDot === '') return { ok: false, error: `${quoteInput(input)} is the root, not a SIP domain` };
  const rawLabels = withoutDot.split('.');
  if (rawLabels.some((label) => label === '')) return { ok: false, error: `${quoteInput(input)} has an empty label` };
  // Check lengths before IDN conversion too: domainToASCII rejects overlong labels with an empty string.
  const long = rawLabels.find((label) => label.length > 63);
  if (long !== undefined && /^[\x00-\x7f]*$/.test(long)) {
    return { ok: false, error: `${quoteInput(input)} has a label longer than 63 octets` };
  }
  const ascii = /^[A-Za-z0-9.-]*$/.test(withoutDot) ? foldCase(withoutDot) : domainToASCII(withoutDot);
  if (ascii === '') return { ok: false, error: `${quoteInput(input)} is not a valid domain name (IDN conversion failed)` };
  const labels = ascii.split('.');
  for (const label of labels) {
    if (label === '') return { ok: false, error: `${quoteInput(input)} has an empty label` };
    if (label.length > 63) return { ok: false, error: `${quoteInput(input)} has a label longer than 63 octets` };
    if (!/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/.test(label)) {
      return { ok: false, error: `${quoteInput(input)} has a label with characters other than letters, digits and inner hyphens ("${label}")` };
    }
  }
  if (ascii.length > 253) return { ok: false, error: `${quoteInput(input)} is longer than 253 octets` };
  if (labels.length < 2) return { ok: false, error: `${quoteInput(input)} is a single label, not a SIP domain` };
  return { ok: true, value: ascii };
}
