/**
 * The profile family's names: profiles, Microsoft clouds and edge host
 * roles, as the command line, the config and the report spell them. Apart
 * from the profile definitions (profiles.ts) so that what is expected of a
 * domain (src/rules/types.ts) can name them without importing the family.
 */

/** Every profile name, as accepted by `--profile` and the config's `"profile"`. */
export const PROFILE_NAMES = ['federation', 'edge', 'sfb2019-edge', 'online', 'auto'] as const;
/** A profile name. */
export type ProfileName = (typeof PROFILE_NAMES)[number];
/** A profile that has a rule set of its own (`auto` resolves to one of these per domain). */
export type ConcreteProfileName = Exclude<ProfileName, 'auto'>;
/** The profile of a domain nobody chose one for: exactly the core checks. */
export const DEFAULT_PROFILE: ConcreteProfileName = 'federation';

/** Microsoft clouds whose Online values fedcheck knows, each from a cited document. */
export const CLOUD_NAMES = ['worldwide', 'gcc-high', 'dod', '21vianet'] as const;
/** A cloud name, as accepted by `--cloud` and the config's `"cloud"`. */
export type CloudName = (typeof CLOUD_NAMES)[number];
/** The cloud of an `online` domain nobody chose one for. */
export const DEFAULT_CLOUD: CloudName = 'worldwide';

/** Hosts of an edge deployment an operator may name in the config, beyond the Access Edge. */
export const EDGE_HOST_ROLES = ['webcon', 'av', 'meet', 'dialin'] as const;
/** One of {@link EDGE_HOST_ROLES}. */
export type EdgeHostRole = (typeof EDGE_HOST_ROLES)[number];
