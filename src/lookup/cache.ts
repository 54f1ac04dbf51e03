import type { QueryType } from '../dns/codec.js';
import { lookup, type QuerySource } from './resolve.js';
import type { LookupOutcome } from './types.js';

/** Anything that resolves (name, type) to an outcome. */
export interface Lookup {
  (name: string, type: QueryType): Promise<LookupOutcome>;
}

/**
 * One cache per run: identical (name, type) lookups are asked once, and a
 * lookup still in flight is shared by everyone who asks for it meanwhile.
 * Names compare case-insensitively (RFC 4343).
 */
export class LookupCache {
  private readonly entries = new Map<string, Promise<LookupOutcome>>();
  /** Lookups answered from the cache (including shared in-flight ones). */
  hits = 0;
  misses = 0;

  constructor(private readonly source: QuerySource) {}

  readonly lookup: Lookup = (name, type) => {
    const key = `${type} ${name.toLowerCase().replace(/\.$/, '')}`;
    const existing = this.entries.get(key);
    if (existing !== undefined) {
      this.hits += 1;
      return existing;
    }
    this.misses += 1;
    const pending = lookup(this.source, name, type);
    this.entries.set(key, pending);
    return pending;
  };

  /** Forget everything (for long-running callers that reuse one client). */
  clear(): void {
    this.entries.clear();
  }
}
