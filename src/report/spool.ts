/**
 * A spool: text written now and read back once, later, in order. The HTML
 * report (src/report/html.ts) renders each domain as it finishes but prints
 * the summary first and the worst domains first, so domains wait in one spool
 * per status until the run ends. A file spool keeps memory bounded however
 * many domains there are; a memory spool serves the pure `render()`.
 */
import { closeSync, mkdtempSync, openSync, readSync, rmdirSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { ExitError } from '../errors.js';
import { EXIT } from '../exit-codes.js';

/** Text kept for later. */
export interface Spool {
  write(text: string): void;
  /** Hand everything written, in order and in pieces, to `into`; then the spool is empty and closed. */
  drain(into: (text: string) => void): void;
  /** Drop what is held; safe to call more than once. */
  dispose(): void;
}

/** Makes spools. */
export type SpoolFactory = () => Spool;

/** Spools in memory. */
export const memorySpools: SpoolFactory = () => {
  let parts: string[] = [];
  return {
    write: (text) => void parts.push(text),
    drain: (into) => {
      for (const part of parts) into(part);
      parts = [];
    },
    dispose: () => void (parts = []),
  };
};

/** Buffered text is written to the file in pieces of about this many characters. */
const FLUSH_AT = 1 << 16;
/** Bytes read back at a time. */
const READ_SIZE = 1 << 20;

const code = (err: unknown): string => (err as NodeJS.ErrnoException).code ?? String(err);

/**
 * Spools in files under the system temp directory. Each file is unlinked as
 * soon as it is opened (its descriptor stays usable), so nothing is left
 * behind however the process ends.
 */
export function fileSpools(): SpoolFactory {
  const factory: SpoolFactory = () => {
    let fd: number | undefined;
    try {
      const dir = mkdtempSync(join(tmpdir(), 'fedcheck-html-'));
      const path = join(dir, 'spool');
      fd = openSync(path, 'w+', 0o600);
      unlinkSync(path);
      rmdirSync(dir);
    } catch (err) {
      if (fd !== undefined) closeSync(fd);
      throw new ExitError(`cannot create a temporary file in ${JSON.stringify(tmpdir())} for the HTML report: ${code(err)}`, EXIT.cantCreate);
    }
    let buffered: string[] = [];
    let size = 0;
    let written = 0;
    const flush = (): void => {
      if (fd === undefined || buffered.length === 0) return;
      const bytes = Buffer.from(buffered.join(''), 'utf8');
      buffered = [];
      size = 0;
      try {
        for (let offset = 0; offset < bytes.length; ) offset += writeSync(fd, bytes, offset, bytes.length - offset, written + offset);
      } catch (err) {
        throw new ExitError(`cannot write a temporary file for the HTML report: ${code(err)}`, EXIT.ioError);
      }
      written += bytes.length;
    };
    const dispose = (): void => {
      buffered = [];
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
    };
    return {
      write: (text) => {
        buffered.push(text);
        size += text.length;
        if (size >= FLUSH_AT) flush();
      },
      drain: (into) => {
        flush();
        if (fd === undefined) return;
        const decoder = new StringDecoder('utf8');
        const chunk = Buffer.alloc(READ_SIZE);
        for (let position = 0; position < written; ) {
          const read = readSync(fd, chunk, 0, Math.min(READ_SIZE, written - position), position);
          if (read === 0) break;
          position += read;
          into(decoder.write(chunk.subarray(0, read)));
        }
        const rest = decoder.end();
        if (rest !== '') into(rest);
        dispose();
      },
      dispose,
    };
  };
  // Fail now, before any DNS work, when the temp directory is unusable.
  factory().dispose();
  return factory;
}
