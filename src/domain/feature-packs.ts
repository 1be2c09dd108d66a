/**
 * Feature packs (spec 3.5 `GET /api/user`, `feature` section; assigned by
 * partners with `POST /api/partner/user/(user-uuid)`, spec 9.1.1). A pack adds
 * quota (volume in MB, fax pages per month) and/or switches boolean features on.
 * Pure: the caller passes in the usage it measured.
 */

export interface FeatureFlags {
  fax_noad: boolean;
  call_unrestricted: boolean;
  box_enable: boolean;
  dialplan_enable: boolean;
  control_phone: boolean;
}

export interface Quota {
  /** MB */
  volume: number;
  /** fax pages per month */
  fax: number;
}

/** What one pack contributes; unknown packs contribute nothing. */
export interface FeaturePackDefinition {
  quota?: Partial<Quota>;
  feature?: Partial<FeatureFlags>;
}

export const BASE_QUOTA: Readonly<Quota> = Object.freeze({ volume: 1000, fax: 50 });

export const BASE_FEATURES: Readonly<FeatureFlags> = Object.freeze({
  fax_noad: false,
  call_unrestricted: false,
  box_enable: false,
  dialplan_enable: true,
  control_phone: true,
});

/** The packs the platform knows (names as in the spec examples). */
export const FEATURE_PACKS: Readonly<Record<string, FeaturePackDefinition>> = Object.freeze({
  '10GB+': { quota: { volume: 10000 } },
  '20GB+': { quota: { volume: 20000 } },
  'FAX100+': { quota: { fax: 100 } },
  'COSPACE-BOX': { feature: { box_enable: true } },
});

export function isKnownFeaturePack(name: string): boolean {
  return Object.hasOwn(FEATURE_PACKS, name);
}

/** Measured usage: storage in bytes, fax pages sent in the current month. */
export interface FeatureUsage {
  volumeBytes: number;
  faxPagesThisMonth: number;
}

/** The `feature` section of `GET /api/user` (spec 3.5). */
export interface FeatureSection {
  pack: string[];
  quota: Quota;
  used: Quota;
  feature: FeatureFlags;
}

const BYTES_PER_MB = 1024 * 1024;

/** Storage in MB as shown in `used.volume`: any started MB counts. */
export function bytesToMb(bytes: number): number {
  return bytes <= 0 ? 0 : Math.ceil(bytes / BYTES_PER_MB);
}

/**
 * Quota and flags from the user's packs. Every pack is listed as assigned
 * (even unknown ones) but only catalogued packs add quota or features; a pack
 * listed twice counts once.
 */
export function featureSection(packs: readonly string[], usage: FeatureUsage): FeatureSection {
  const quota: Quota = { ...BASE_QUOTA };
  const feature: FeatureFlags = { ...BASE_FEATURES };
  for (const name of new Set(packs)) {
    const def = isKnownFeaturePack(name) ? FEATURE_PACKS[name] : undefined;
    if (!def) continue;
    quota.volume += def.quota?.volume ?? 0;
    quota.fax += def.quota?.fax ?? 0;
    Object.assign(feature, def.feature ?? {});
  }
  return {
    pack: [...packs],
    quota,
    used: { volume: bytesToMb(usage.volumeBytes), fax: usage.faxPagesThisMonth },
    feature,
  };
}
