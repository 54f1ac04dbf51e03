import type { Lookup } from '../lookup/cache.js';
import type { ServiceResolution } from '../lookup/service.js';
import type { ServiceExpectation } from '../rules/types.js';

/**
 * The normal observation asks AAAA only when a target has no A record (only
 * then does it change the address verdict). When the operator expects IPv6
 * addresses, the expectation rules need every target's AAAA too: ask for
 * those not asked yet. Without an IPv6 expectation the service is returned
 * as it is, so no extra query is sent.
 */
export async function completeForExpectation(lookup: Lookup, service: ServiceResolution, expected: ServiceExpectation | undefined): Promise<ServiceResolution> {
  if (expected?.addresses?.some((address) => address.includes(':')) !== true) return service;
  const targets = await Promise.all(service.targets.map(async (t) => (t.aaaa !== undefined ? t : { ...t, aaaa: await lookup(t.target, 'AAAA') })));
  return { ...service, targets };
}
