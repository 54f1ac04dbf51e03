/**
 * Escape control characters (C0, DEL, C1) so that text from DNS or from input
 * can never drive the terminal: text carrying ESC [ … is shown as `\x1b[…`.
 *
 * Backslashes are left as they are. Names from DNS already come in RFC 1035
 * §5.1 presentation form (src/dns/name-text.ts): a control octet is `\DDD`
 * and a backslash inside a label `\\`, so a name shows exactly as dig shows
 * it and can be copied back into a query. Doubling backslashes here would
 * turn `sip\255x` into `sip\\255x`, which is another name.
 */
export function escapeControl(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\x00-\x1f\x7f-\x9f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
