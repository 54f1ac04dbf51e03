/**
 * Where a report goes: standard output, or `-o FILE` written atomically — the
 * text goes to `FILE.tmp.<pid>` in the same directory, which is renamed over
 * FILE only when the report is complete, so a reader (a cron job, the
 * node_exporter textfile collector, which reads only `*.prom`) sees the old
 * file or the new one, never half of one. A run that fails or is stopped by
 * SIGINT / SIGTERM / SIGHUP removes its temp file and leaves FILE untouched.
 */
import { closeSync, fchmodSync, fsyncSync, lstatSync, openSync, realpathSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { ExitError } from '../errors.js';
import { EXIT } from '../exit-codes.js';

/** A destination for report text: strings, or text already encoded as UTF-8. */
export interface Output {
  write(chunk: string | Uint8Array): void;
  /** Make what was written visible (rename the temp file into place). */
  commit(): void;
  /** Drop what was written, if not committed; safe to call more than once. */
  discard(): void;
}

/** A stream-like standard output (as `process.stdout`, it takes UTF-8 bytes too). */
export interface TextSink {
  write(chunk: string | Uint8Array): unknown;
}

const code = (err: unknown): string => (err as NodeJS.ErrnoException).code ?? (err instanceof Error ? err.message : String(err));

const SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** A file written to a temp name beside it and renamed into place on {@link AtomicFile.commit}. */
export class AtomicFile implements Output {
  /** The temp file's path while it exists. */
  readonly tempPath: string;
  private fd: number | undefined;
  private done = false;
  private readonly target: string;
  private readonly onSignal = (signal: NodeJS.Signals): void => {
    this.discard();
    // Nobody else handles it: die of the signal as we would have without us.
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  };
  private readonly onExit = (): void => this.discard();

  /** Create the temp file now, so that a bad path fails before any DNS work. */
  constructor(readonly path: string) {
    this.target = resolveLink(path);
    let attempt = 0;
    for (;;) {
      const temp = `${this.target}.tmp.${process.pid}${attempt === 0 ? '' : `.${attempt}`}`;
      try {
        this.fd = openSync(temp, 'wx', 0o666);
        this.tempPath = temp;
        break;
      } catch (err) {
        if (code(err) === 'EEXIST' && attempt < 100) {
          attempt += 1;
          continue;
        }
        throw new ExitError(`cannot create output ${JSON.stringify(path)} (temp file in ${JSON.stringify(dirname(this.target))}): ${code(err)}`, EXIT.cantCreate);
      }
    }
    try {
      // Replacing a file keeps its permissions (the temp file got the umask's).
      fchmodSync(this.fd, statSync(this.target).mode & 0o7777);
    } catch {
      // No file yet: the umask decides, as for any new file.
    }
    for (const signal of SIGNALS) process.on(signal, this.onSignal);
    process.on('exit', this.onExit);
  }

  write(chunk: string | Uint8Array): void {
    if (this.fd === undefined) throw new Error(`output ${this.path} is closed`);
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    try {
      for (let offset = 0; offset < bytes.length; ) offset += writeSync(this.fd, bytes, offset);
    } catch (err) {
      this.discard();
      throw new ExitError(`cannot write output ${JSON.stringify(this.path)}: ${code(err)}`, EXIT.ioError);
    }
  }

  commit(): void {
    if (this.fd === undefined) throw new Error(`output ${this.path} is closed`);
    try {
      fsyncSync(this.fd);
      closeSync(this.fd);
      this.fd = undefined;
      renameSync(this.tempPath, this.target);
      this.done = true;
    } catch (err) {
      this.discard();
      throw new ExitError(`cannot write output ${JSON.stringify(this.path)}: ${code(err)}`, EXIT.ioError);
    } finally {
      this.unhook();
    }
    syncDirectory(dirname(this.target));
  }

  discard(): void {
    this.unhook();
    if (this.fd !== undefined) {
      try {
        closeSync(this.fd);
      } catch {
        // Already unusable; the unlink below is what matters.
      }
      this.fd = undefined;
    }
    if (!this.done) {
      this.done = true;
      try {
        unlinkSync(this.tempPath);
      } catch {
        // Gone already.
      }
    }
  }

  private unhook(): void {
    for (const signal of SIGNALS) process.removeListener(signal, this.onSignal);
    process.removeListener('exit', this.onExit);
  }
}

/** Write through a symlink (as `>` would) rather than replace the link itself. */
function resolveLink(path: string): string {
  try {
    return lstatSync(path).isSymbolicLink() ? realpathSync(path) : path;
  } catch {
    return path;
  }
}

/** Make the rename durable; best effort (not every file system lets a directory be fsynced). */
function syncDirectory(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // The rename itself is atomic either way.
  }
}

/** Standard output (`path` undefined or `-`), or an {@link AtomicFile}. */
export function openOutput(path: string | undefined, stdout: TextSink): Output {
  if (path === undefined || path === '-') {
    return { write: (chunk) => void stdout.write(chunk), commit: () => undefined, discard: () => undefined };
  }
  return new AtomicFile(path);
}
