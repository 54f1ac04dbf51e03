/**
 * Escape control characters (C0, DEL, C1) so that text from DNS or from input
 * can never drive the terminal: a name carrying ESC [ … is shown as `\x1b[…`.
 * Backslashes are escaped too so the escaping is unambiguous.
 */
export function escapeControl(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\\\x00-\x1f\x7f-\x9f]/g, (c) => (c === '\\' ? '\\\\' : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`));
}
