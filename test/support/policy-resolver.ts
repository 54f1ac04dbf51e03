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

/** Start the policy Unbound on a free loopback port (installing the package when missing). */
export function startPolicyResolver(): Promise<RunningServer> {
  ensurePackages(['unbound']);
  return startUnbound({
    stubs: [],
    extra: [
      `local-zone: "${POLICY.answered}." redirect`,
      `local-data: "${POLICY.answered}. 300 IN A ${POLICY_ADDRESS}"`,
      `local-zone: "${POLICY.lost}." deny`,
      `local-zone: "${POLICY.refused}." refuse`,
    ],
  });
}
