/** The policy packs the app loaded, by pack id (validated at start-up; nothing changes them afterwards). */
import type { PolicyPack } from '../domain/policy/schema';

export type Policies = Map<string, PolicyPack>;
