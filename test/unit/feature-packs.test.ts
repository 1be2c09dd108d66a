import { describe, expect, it } from 'vitest';
import {
  BASE_FEATURES,
  BASE_QUOTA,
  bytesToMb,
  featureSection,
  isKnownFeaturePack,
} from '../../src/domain/feature-packs.js';

const none = { volumeBytes: 0, faxPagesThisMonth: 0 };

describe('featureSection (spec 3.5 GET /api/user `feature`)', () => {
  it('gives the base quota and features without packs', () => {
    expect(featureSection([], none)).toEqual({
      pack: [],
      quota: { volume: 1000, fax: 50 },
      used: { volume: 0, fax: 0 },
      feature: {
        fax_noad: false,
        call_unrestricted: false,
        box_enable: false,
        dialplan_enable: true,
        control_phone: true,
      },
    });
  });

  it('adds the quota and features of the spec example packs', () => {
    const s = featureSection(['20GB+', 'COSPACE-BOX'], none);
    expect(s.pack).toEqual(['20GB+', 'COSPACE-BOX']);
    expect(s.quota).toEqual({ volume: 21000, fax: 50 });
    expect(s.feature.box_enable).toBe(true);
    expect(s.feature.fax_noad).toBe(false);
  });

  it('sums volume and fax packs', () => {
    expect(featureSection(['10GB+', '20GB+', 'FAX100+'], none).quota).toEqual({ volume: 31000, fax: 150 });
  });

  it('lists unknown packs but adds nothing for them', () => {
    const s = featureSection(['MYSTERY', '10GB+'], none);
    expect(s.pack).toEqual(['MYSTERY', '10GB+']);
    expect(s.quota).toEqual({ volume: 11000, fax: 50 });
    expect(s.feature).toEqual(BASE_FEATURES);
    expect(isKnownFeaturePack('MYSTERY')).toBe(false);
    expect(isKnownFeaturePack('toString')).toBe(false);
    expect(isKnownFeaturePack('FAX100+')).toBe(true);
  });

  it('counts a pack listed twice once', () => {
    expect(featureSection(['10GB+', '10GB+'], none).quota.volume).toBe(11000);
  });

  it('reports usage: volume in started MB, fax pages as given', () => {
    const s = featureSection([], { volumeBytes: 5 * 1024 * 1024 + 1, faxPagesThisMonth: 13 });
    expect(s.used).toEqual({ volume: 6, fax: 13 });
  });

  it('never mutates the base catalogue', () => {
    featureSection(['COSPACE-BOX', '20GB+'], none);
    expect(BASE_QUOTA).toEqual({ volume: 1000, fax: 50 });
    expect(BASE_FEATURES.box_enable).toBe(false);
  });
});

describe('bytesToMb', () => {
  it('rounds up to whole MB', () => {
    expect(bytesToMb(0)).toBe(0);
    expect(bytesToMb(1)).toBe(1);
    expect(bytesToMb(1024 * 1024)).toBe(1);
    expect(bytesToMb(1024 * 1024 + 1)).toBe(2);
  });
});
