import { readFileSync } from 'node:fs';
import { parseServerAddress, type ServerAddress } from './server-address.js';

/** What fedcheck takes from resolv.conf(5). */
export interface SystemResolverSettings {
  readonly servers: readonly ServerAddress[];
  /** `options timeout:N` in milliseconds, when present. */
  readonly timeoutMs?: number;
  /** `options attempts:N`, when present: rounds through the server list. */
  readonly attempts?: number;
}

/**
 * Parse resolv.conf text: `nameserver` lines (IPv4 or IPv6, an IPv6 zone
 * index kept) and the `timeout:`/`attempts:` options. Unknown lines are ignored
 * as the C library does.
 */
export function parseResolvConf(text: string): SystemResolverSettings {
  const servers: ServerAddress[] = [];
  let timeoutMs: number | undefined;
  let attempts: number | undefined;
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.replace(/[#;].*$/, '').trim();
    if (line === '') continue;
    const [keyword, ...rest] = line.split(/\s+/);
    if (keyword === 'nameserver' && rest[0] !== undefined) {
      const parsed = parseServerAddress(rest[0].includes(':') && !rest[0].startsWith('[') ? `[${rest[0]}]` : rest[0]);
      if (parsed.ok) servers.push(parsed.value);
    } else if (keyword === 'options') {
      for (const option of rest) {
        const m = /^(timeout|attempts):(\d+)$/.exec(option);
        if (!m) continue;
        const value = Number(m[2]);
        // glibc caps timeout at 30 s and attempts at 5 (resolv.conf(5)).
        if (m[1] === 'timeout') timeoutMs = Math.min(Math.max(value, 1), 30) * 1000;
        else attempts = Math.min(Math.max(value, 1), 5);
      }
    }
  }
  return { servers, ...(timeoutMs !== undefined ? { timeoutMs } : {}), ...(attempts !== undefined ? { attempts } : {}) };
}

/** Read and parse a resolv.conf file; undefined when it cannot be read. */
export function readResolvConf(path = '/etc/resolv.conf'): SystemResolverSettings | undefined {
  try {
    return parseResolvConf(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}
