import { nameKey, type QueryType } from '../dns/codec.js';
import { lookup, type LookupOptions, type QuerySource } from './resolve.js';
import type { LookupOutcome } from './types.js';

/** Anything that resolves (name, type) to an outcome. */
export interface Lookup {
  (name: string, type: QueryType): Promise<LookupOutcome>;
}

/** Asks for a lookup ahead of its use, answering nothing (see {@link LookupCache.prefetch}). */
export interface Prefetch {
  (name: string, type: QueryType): void;
}

/** Lookups a {@link LookupCache} keeps after one use, by default: the newest ones. */
export const DEFAULT_RECENT_ENTRIES = 1024;
/** Lookups asked for more than once that it keeps, by default: the most recently used. */
export const DEFAULT_SHARED_ENTRIES = 8192;

/**
 * One cache per run: identical (name, type) lookups are asked once, and a
 * lookup still in flight is shared by everyone who asks for it meanwhile.
 * Names compare case-insensitively (RFC 4343).
 *
 * Bounded in two parts, so that a run of 100,000 domains does not hold
 * 400,000 outcomes: a lookup first sits among the `recent` ones (in flight,
 * or just answered); asked again while there, it moves to the `shared` ones,
 * where it stays while it keeps being used (least recently used out). What
 * repeats across domains (a hoster's SRV targets, shared by thousands of
 * tenants) is asked once; each domain's own names, asked once, leave soon and
 * young, which keeps the garbage collector from copying them around. A name
 * asked again after it left is asked again (a miss): that costs one query.
 */
export class LookupCache {
  private readonly recent = new Map<string, Promise<LookupOutcome>>();
  /** The recent entries in the order they came: the oldest leaves first (see {@link EntryQueue}). */
  private readonly recentOrder = new EntryQueue<Promise<LookupOutcome>>();
  private readonly shared = new Map<string, Promise<LookupOutcome>>();
  /** Recent entries asked by {@link prefetch} and not used since: their first use is not a repeat. */
  private readonly prefetched = new Set<string>();
  private readonly maxRecent: number;
  private readonly maxShared: number;
  /** How responses are read: the RD flag of the source's questions, and what to do with referrals. */
  private readonly lookupOptions: LookupOptions;
  /** Lookups answered from the cache (including shared in-flight ones). */
  hits = 0;
  misses = 0;

  constructor(
    private readonly source: QuerySource,
    options: { readonly recentEntries?: number; readonly sharedEntries?: number; readonly lookup?: LookupOptions } = {},
  ) {
    this.lookupOptions = options.lookup ?? {};
    this.maxRecent = Math.max(1, options.recentEntries ?? DEFAULT_RECENT_ENTRIES);
    this.maxShared = Math.max(1, options.sharedEntries ?? DEFAULT_SHARED_ENTRIES);
  }

  readonly lookup: Lookup = (name, type) => {
    const key = `${type} ${nameKey(name)}`;
    const shared = this.shared.get(key);
    if (shared !== undefined) {
      this.hits += 1;
      // Map keeps insertion order: move the entry to the young end.
      this.shared.delete(key);
      this.shared.set(key, shared);
      return shared;
    }
    const recent = this.recent.get(key);
    if (recent !== undefined) {
      this.hits += 1;
      // A prefetched name's first real use is its first use: it stays among the recent ones.
      if (this.prefetched.delete(key)) return recent;
      this.recent.delete(key);
      this.shared.set(key, recent);
      evictOldest(this.shared, this.maxShared);
      return recent;
    }
    return this.ask(key, name, type);
  };

  /**
   * Ask early for a lookup that is likely to be needed soon (a domain's
   * conventional SRV targets), without waiting for it. Unlike a second
   * {@link lookup}, the use that follows does not make it "shared": a
   * domain's own names still leave the cache soon after.
   */
  readonly prefetch: Prefetch = (name, type) => {
    const key = `${type} ${nameKey(name)}`;
    if (this.shared.has(key) || this.recent.has(key)) return;
    const ignore = (): undefined => undefined;
    this.ask(key, name, type).then(ignore, ignore);
    this.prefetched.add(key);
  };

  /** A miss: ask, and keep the lookup among the recent ones. */
  private ask(key: string, name: string, type: QueryType): Promise<LookupOutcome> {
    this.misses += 1;
    const pending = lookup(this.source, name, type, this.lookupOptions);
    this.recent.set(key, pending);
    this.recentOrder.push(key, pending);
    while (this.recent.size > this.maxRecent) {
      const oldest = this.recentOrder.shift();
      if (oldest === undefined) break;
      // An entry that moved to the shared ones, or was asked again since, is not this one.
      if (this.recent.get(oldest.key) !== oldest.value) continue;
      this.recent.delete(oldest.key);
      this.prefetched.delete(oldest.key);
    }
    // Entries that moved to the shared ones leave no live entry behind: forget them now and then.
    if (this.recentOrder.length > 2 * this.maxRecent + 64) this.recentOrder.retain((k, v) => this.recent.get(k) === v);
    return pending;
  }

  /** Entries held now. */
  get size(): number {
    return this.recent.size + this.shared.size;
  }
}

/**
 * Keys and values in the order they were pushed, the oldest taken first.
 * A Map's own order would do, but finding its oldest key walks over every
 * entry deleted since the Map last rehashed, which for a window of recent
 * lookups that is always losing its oldest is most of the table.
 */
export class EntryQueue<V> {
  private keys: string[] = [];
  private values: V[] = [];
  private head = 0;

  get length(): number {
    return this.keys.length - this.head;
  }

  /** Keep only the entries `keep` says yes to, in their order. */
  retain(keep: (key: string, value: V) => boolean): void {
    const keys: string[] = [];
    const values: V[] = [];
    for (let i = this.head; i < this.keys.length; i += 1) {
      if (keep(this.keys[i]!, this.values[i]!)) {
        keys.push(this.keys[i]!);
        values.push(this.values[i]!);
      }
    }
    this.keys = keys;
    this.values = values;
    this.head = 0;
  }

  push(key: string, value: V): void {
    this.keys.push(key);
    this.values.push(value);
  }

  shift(): { readonly key: string; readonly value: V } | undefined {
    if (this.head >= this.keys.length) return undefined;
    const entry = { key: this.keys[this.head]!, value: this.values[this.head]! };
    this.head += 1;
    // Drop what was taken once it is half the arrays.
    if (this.head * 2 >= this.keys.length && this.head > 64) {
      this.keys = this.keys.slice(this.head);
      this.values = this.values.slice(this.head);
      this.head = 0;
    }
    return entry;
  }
}

/** Drop the oldest entry of an insertion-ordered map once it holds more than `max`. */
function evictOldest(map: Map<string, unknown>, max: number): string | undefined {
  if (map.size <= max) return undefined;
  const oldest = map.keys().next();
  if (oldest.done === true) return undefined;
  map.delete(oldest.value);
  return oldest.value;
}
