/** `--ca FILE`: PEM certificates trusted besides the system roots, by the TLS probe and by tls:// and https:// resolvers. */
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ExitError } from '../errors.js';
import { EXIT } from '../exit-codes.js';

/**
 * Read every `--ca` file and return its certificates as PEM, in order.
 * Unreadable → exit 66; no certificate, or one that does not parse → 65.
 */
export function readTrustAnchors(files: readonly string[]): string[] {
  return files.flatMap((file) => {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw new ExitError(`cannot read --ca ${JSON.stringify(file)}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`, EXIT.noInput);
    }
    const blocks = text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
    if (blocks.length === 0) throw new ExitError(`--ca ${JSON.stringify(file)} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`, EXIT.dataError);
    return blocks.map((block) => {
      try {
        return new X509Certificate(block).toString();
      } catch (err) {
        throw new ExitError(`--ca ${JSON.stringify(file)}: not a PEM certificate: ${(err as Error).message}`, EXIT.dataError);
      }
    });
  });
}
