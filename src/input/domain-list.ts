import { readFileSync } from 'node:fs';
import { parseDomainName } from './domain-name.js';
import { ExitError } from '../errors.js';
import { EXIT } from '../exit-codes.js';

/** A domain read from a list, with where it came from. */
export interface ListedDomain {
  readonly domain: string;
  readonly input: string;
}

/**
 * Parse a domain list: one name per line; `#` starts a comment; blank lines
 * are skipped. A bad name throws {@link ExitError} (64) naming the line.
 */
export function parseDomainList(text: string, fileName: string): ListedDomain[] {
  const out: ListedDomain[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.replace(/#.*$/, '').trim();
    if (line === '') return;
    const parsed = parseDomainName(line);
    if (!parsed.ok) throw new ExitError(`${fileName}:${index + 1}: ${parsed.error}`, EXIT.usage);
    out.push({ domain: parsed.value, input: line });
  });
  return out;
}

/** Read a domain list file (`-` for standard input); unreadable → 66. */
export function readDomainList(path: string): ListedDomain[] {
  let text: string;
  try {
    text = readFileSync(path === '-' ? 0 : path, 'utf8');
  } catch (err) {
    throw new ExitError(`cannot read domain list ${JSON.stringify(path)}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`, EXIT.noInput);
  }
  return parseDomainList(text, path === '-' ? '<stdin>' : path);
}
