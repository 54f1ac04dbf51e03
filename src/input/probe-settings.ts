/** `--probe` and its flags → the probe's settings; bad input is an {@link ExitError}. */
import { ExitError } from '../errors.js';
import { EXIT } from '../exit-codes.js';
import { certificatesOfPem, TrustStore } from '../probe/certificate.js';
import type { ProberOptions } from '../probe/prober.js';
import { readTrustAnchors } from './trust-anchors.js';

/** The probe flags as commander parses them. */
export interface ProbeFlags {
  probe?: boolean;
  probeTimeout?: string;
  probeConcurrency?: string;
  ca?: string[];
  expiryWarn?: string;
}

function whole(name: string, text: string, min: number, max: number): number {
  if (!/^\d+$/.test(text.trim())) throw new ExitError(`${name} must be a whole number, not ${JSON.stringify(text)}`, EXIT.usage);
  const value = Number(text);
  if (value < min || value > max) throw new ExitError(`${name} must be between ${min} and ${max}, not ${value}`, EXIT.usage);
  return value;
}

/** The probe's settings, or undefined without `--probe` (its other flags then are a usage error). */
export function probeSettings(flags: ProbeFlags): ProberOptions | undefined {
  if (flags.probe !== true) {
    const stray = [flags.probeTimeout !== undefined && '--probe-timeout', flags.probeConcurrency !== undefined && '--probe-concurrency', flags.expiryWarn !== undefined && '--expiry-warn'].filter(Boolean);
    if (stray.length > 0) throw new ExitError(`${stray.join(', ')} only ${stray.length === 1 ? 'applies' : 'apply'} with --probe`, EXIT.usage);
    return undefined;
  }
  return {
    timeoutMs: flags.probeTimeout !== undefined ? whole('--probe-timeout', flags.probeTimeout, 1, 120_000) : 5000,
    concurrency: flags.probeConcurrency !== undefined ? whole('--probe-concurrency', flags.probeConcurrency, 1, 1024) : 16,
    expiryWarnDays: flags.expiryWarn !== undefined ? whole('--expiry-warn', flags.expiryWarn, 0, 3650) : 30,
    store: new TrustStore(readTrustAnchors(flags.ca ?? []).flatMap(certificatesOfPem)),
  };
}
