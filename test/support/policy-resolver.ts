/**
 * One real Unbound whose local-zone policies give the three behaviours the
 * client's retry policy meets, each under a zone of its own:
 *
 * - `answered.test` (`redirect`): every name below it has `A 192.0.2.1`;
 * - `lost.test` (`deny`): every query is dropped, no answer at all (what an
 *   overloaded path or a resolver's ACL does to a datagram);
 * - `refused.test` (`refuse`): every query is answered REFUSED (what a
 *   resolver answers a client it will not serve).
 *
 * Unbound answers local zones itself: no upstream, nothing leaves loopback.
 */
import { ensurePackages, startUnbound, type RunningServer } from './real-servers.js';

/** The zones of {@link startPolicyResolver}. */
export const POLICY = { answered: 'answered.test', lost: 'lost.test', refused: 'refused.test' } as const;

/** The address every name under {@link POLICY}.answered has. */
export const POLICY_ADDRESS = '192.0.2.1';

/**
 * Start the policy Unbound on a free loopback port (installing the package
 * when missing). With `logQueries`, its log has a line `info: 127.0.0.1
 * NAME. TYPE IN` for every query it received, dropped ones included (see
 * {@link queriesReceived}).
 */
export function startPolicyResolver(options: { readonly logQueries?: boolean } = {}): Promise<RunningServer> {
  ensurePackages(['unbound']);
  return startUnbound({
    stubs: [],
    extra: [
      ...(options.logQueries === true ? ['log-queries: yes'] : []),
      `local-zone: "${POLICY.answered}." redirect`,
      `local-data: "${POLICY.answered}. 300 IN A ${POLICY_ADDRESS}"`,
      `local-zone: "${POLICY.lost}." deny`,
      `local-zone: "${POLICY.refused}." refuse`,
    ],
  });
}

/** From a log of {@link startPolicyResolver} with `logQueries`: how many queries came for each name (lower case, no final dot). */
export function queriesReceived(log: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const match of log.matchAll(/\binfo: \S+ (\S+?)\.? [A-Z0-9]+ IN$/gm)) {
    const name = match[1]!.toLowerCase();
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return counts;
}
