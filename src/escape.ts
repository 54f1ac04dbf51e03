/**
 * The one escaper for text that leaves fedcheck: names from DNS, server
 * messages and user input can carry control characters (ESC [ … drives a
 * terminal; U+009B is a one-character CSI), and every output has characters
 * of its own that must not appear raw. {@link escapeCharacters} is the single
 * definition of "show a character as a visible escape"; each output context
 * below is a small wrapper that says which characters and which form.
 *
 * Backslashes are left alone except where a format defines them as its
 * escape (Prometheus). Names from DNS already come in RFC 1035 §5.1
 * presentation form (src/dns/name-text.ts): a control octet is `\DDD` and a
 * backslash inside a label `\\`, so a name shows exactly as dig shows it and
 * can be copied back into a query. Doubling backslashes would turn
 * `sip\255x` into `sip\\255x`, which is another name.
 */

/** How an escaped character is written: `x` as `\xNN` (`\uNNNN` above U+00FF), `u` always as `\uNNNN`. */
export type EscapeForm = 'x' | 'u';

/**
 * Every match of `characters` (a global regular expression matching one
 * character each) as a visible escape of its code unit, in `form`.
 */
function escapeCharacters(text: string, characters: RegExp, form: EscapeForm): string {
  return text.replace(characters, (c) => {
    const code = c.charCodeAt(0);
    return form === 'x' && code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x1f\x7f-\x9f]/g;
/** DEL and C1: what JSON.stringify leaves raw. */
const DEL_C1 = /[\x7f-\x9f]/;
const DEL_C1_ALL = /[\x7f-\x9f]/g;
// eslint-disable-next-line no-control-regex
const CONTROL_BUT_LF = /[\x00-\x09\x0b-\x1f\x7f-\x9f]/g;
/**
 * Control characters, and what XML 1.0 cannot carry even as a reference:
 * lone surrogates and U+FFFE/U+FFFF (XML 1.0 §2.2).
 */
// eslint-disable-next-line no-control-regex
const XML_UNSAFE = /[\x00-\x1f\x7f-\x9f]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]|[\uFFFE\uFFFF]/g;
// eslint-disable-next-line no-control-regex
const NAGIOS_UNSAFE = /[\x00-\x1f\x7f-\x9f|]/g;

/**
 * Text for a terminal or a plain-text line: control characters (C0, DEL, C1)
 * as `\xNN`, so text carrying ESC [ … is shown as `\x1b[…`.
 */
export function escapeControl(text: string): string {
  return escapeCharacters(text, CONTROL, 'x');
}

/** One line for stderr from any message: control characters (newlines too) as `\u00NN`. */
export function errorLine(message: string): string {
  return escapeCharacters(message, CONTROL, 'u');
}

/**
 * JSON text with DEL and C1 as `\u00NN` too (JSON.stringify escapes C0 only).
 * They can only occur inside strings, where `\u` escapes are valid JSON.
 */
export function escapeJsonText(json: string): string {
  return mayHoldDelC1(json) && DEL_C1.test(json) ? escapeCharacters(json, DEL_C1_ALL, 'u') : json;
}

/**
 * False when `text` surely holds no DEL or C1: every character is below U+0080
 * (its UTF-8 length is its length) and none is DEL. Both are native scans,
 * several times faster than the regular expression on the usual all-ASCII report.
 */
function mayHoldDelC1(text: string): boolean {
  return Buffer.byteLength(text, 'utf8') !== text.length || text.includes('\x7f');
}

/** Show a user-supplied string safely inside an error message: quoted as JSON, every control character escaped. */
export function quoteInput(text: string): string {
  return escapeJsonText(JSON.stringify(text));
}

/**
 * Text safe for any line of Nagios plugin output: control characters and `|`
 * (everything after the first `|` of any line is perfdata) as `\xNN`.
 */
export function nagiosText(text: string): string {
  return escapeCharacters(text, NAGIOS_UNSAFE, 'x');
}

/** Replace what XML 1.0 cannot carry (and terminal controls) with visible escapes; markup characters are left to {@link xmlEscape}. */
export function xmlSafe(text: string): string {
  return escapeCharacters(text, XML_UNSAFE, 'x');
}

const XML_ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
// HTML 4 has no &apos;: the numeric reference works in every HTML parser.
const HTML_ENTITIES: Readonly<Record<string, string>> = { ...XML_ENTITIES, "'": '&#39;' };
const MARKUP = /[&<>"']/g;

/** `& < > " '` as XML entities, for an attribute value or element content; nothing else changed. */
export function xmlEscape(text: string): string {
  return text.replace(MARKUP, (c) => XML_ENTITIES[c]!);
}

/** `& < > " '` as numeric character references (`&#39;`): an attribute value in either kind of quotes. */
export function xmlReferences(text: string): string {
  return text.replace(MARKUP, (c) => `&#${c.charCodeAt(0)};`);
}

/** Any text as an XML attribute value or element content: {@link xmlSafe}, then {@link xmlEscape}. */
export function xmlText(text: string): string {
  return xmlEscape(xmlSafe(text));
}

/**
 * Any string as HTML text or as a quoted attribute value: control characters
 * as `\xNN` (as every other format shows them), then `& < > " '` as entities.
 */
export function htmlText(text: string): string {
  return escapeControl(text).replace(MARKUP, (c) => HTML_ENTITIES[c]!);
}

/**
 * A Prometheus text-format label value: control characters other than line
 * feed shown as `\xNN` (and backslash doubled first to keep that unambiguous),
 * then the format's escapes `\\`, `\"`, `\n`.
 */
export function prometheusLabel(text: string): string {
  const visible = escapeCharacters(text.replace(/\\/g, '\\\\'), CONTROL_BUT_LF, 'x');
  return visible.replace(/[\\"\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`));
}

/** A Prometheus `# HELP` text: the format's escapes `\\` and `\n`. */
export function prometheusHelp(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}
