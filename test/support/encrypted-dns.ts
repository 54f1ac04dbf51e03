/**
 * Unbound with its own DNS over TLS and DNS over HTTPS listeners (Debian's
 * build links libnghttp2: `unbound -V` shows --with-libnghttp2), with a test
 * certificate, beside its plain DNS port. Same resolver, same cache, three
 * transports: what fedcheck concludes must not depend on the transport.
 */
import { freePort, LOOPBACK4, startUnbound, type RunningServer, type UnboundOptions } from './real-servers.js';
import type { KeyPair } from './test-pki.js';

/** An Unbound answering plain DNS on `address`, DoT on `tlsPort`, DoH on `httpsPort` (path /dns-query). */
export interface EncryptedUnbound extends RunningServer {
  readonly tlsPort: number;
  readonly httpsPort: number;
}

/** Start Unbound (see startUnbound) with `tls-port` and `https-port` listeners on 127.0.0.1 using `certificate`. */
export async function startEncryptedUnbound(options: UnboundOptions & { readonly certificate: KeyPair }): Promise<EncryptedUnbound> {
  const tlsPort = await freePort(LOOPBACK4);
  const httpsPort = await freePort(LOOPBACK4);
  const unbound = await startUnbound({
    ...options,
    extra: [
      ...(options.extra ?? []),
      `interface: ${LOOPBACK4}@${tlsPort}`,
      `interface: ${LOOPBACK4}@${httpsPort}`,
      `tls-port: ${tlsPort}`,
      `https-port: ${httpsPort}`,
      `tls-service-key: "${options.certificate.key}"`,
      `tls-service-pem: "${options.certificate.cert}"`,
      'http-endpoint: "/dns-query"',
      // Many streams on one HTTP/2 connection, as fedcheck sends them.
      'http-max-streams: 100',
    ],
  });
  return { ...unbound, tlsPort, httpsPort };
}
