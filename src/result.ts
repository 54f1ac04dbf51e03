/**
 * The one shape of "a value, or why not": outcomes are values, not
 * exceptions, and every parser and reader in fedcheck returns this. Check
 * `ok` and TypeScript narrows to `value` or `error`.
 *
 * ```ts
 * const parsed = parseServerAddress('192.0.2.53:5353');
 * if (!parsed.ok) return fail(parsed.error);
 * use(parsed.value.port);
 * ```
 *
 * `E` is a one-line message by default; a richer error (say, with the exit
 * status it deserves) is an object type in its place, with the line in
 * `message`: `parseZone` gives `{ message, cause }`, `loadZoneFiles`
 * `{ message, exitCode }`. The DNS decoder (`decodeMessage`) returns it too,
 * on the path of every answer: build the object literal, never a wrapper.
 */
export type Result<T, E = string> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: E };
