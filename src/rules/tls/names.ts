/**
 * Certificate name matching as RFC 9525 §6.3 has it: DNS-IDs only (the
 * subject CN is never consulted), a wildcard only as the whole left-most
 * label, matching exactly one label. Names compare case-insensitively as
 * A-labels.
 */

const norm = (name: string): string => name.toLowerCase().replace(/\.$/, '');

/** The presented name that covers `host`, if any. */
export function coveringName(presented: readonly string[], host: string): string | undefined {
  const wanted = norm(host);
  for (const name of presented) {
    const n = norm(name);
    if (n === wanted) return name;
    if (n.startsWith('*.') && !n.slice(2).includes('*')) {
      const dot = wanted.indexOf('.');
      // "*.example.com" covers "a.example.com", never "example.com" or "a.b.example.com".
      if (dot > 0 && wanted.slice(dot + 1) === n.slice(2) && n.slice(2).includes('.')) return name;
    }
  }
  return undefined;
}
