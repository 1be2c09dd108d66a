import { sql } from 'kysely';
import { ServiceError } from '../errors/index.js';
import { addressProblem, normaliseAreaCode, townKey, type PostalAddress } from '../domain/address.js';
import type { Db } from '../store/db.js';

/** One entry of the address directory: a town of a zip code and its telephone area code. */
export interface AddressArea {
  country: string;
  zip_code: string;
  town: string;
  area_code: string;
}

/**
 * Address verification of POST /api/user (spec 3.5) and the area code that
 * follows from it. The countries served are configuration (ADDRESS_COUNTRIES;
 * others answer `unsupported-country`). For a country whose zip codes are
 * loaded into the directory (`callplane admin address import`), the zip code
 * must be listed and the town be one of its towns (`address-wrong`
 * otherwise), and the entry's area code becomes the user's; for a country
 * without directory data only the shape is checked and no area code follows.
 */
export class AddressService {
  private readonly countries: Set<string>;

  constructor(
    private readonly db: Db,
    countries: readonly string[],
  ) {
    this.countries = new Set(countries);
  }

  /** The area code the address lies in (null: not known), or unsupported-country / address-wrong. */
  async verify(a: PostalAddress): Promise<{ areaCode: string | null }> {
    if (!this.countries.has(a.country)) {
      throw new ServiceError('unsupported-country', `country '${a.country}' is not supported`);
    }
    const problem = addressProblem(a);
    if (problem) throw new ServiceError('address-wrong', problem);
    const known = await this.db
      .selectFrom('address_areas')
      .select(['town_key', 'area_code'])
      .where('country', '=', a.country)
      .where('zip_code', '=', a.zip_code.trim().toUpperCase())
      .execute();
    if (known.length === 0) {
      const any = await this.db
        .selectFrom('address_areas')
        .select('zip_code')
        .where('country', '=', a.country)
        .limit(1)
        .executeTakeFirst();
      if (any) throw new ServiceError('address-wrong', `zip code ${a.zip_code} is unknown in '${a.country}'`);
      return { areaCode: null };
    }
    const key = townKey(a.town);
    const match = known.find((k) => k.town_key === key);
    if (!match) throw new ServiceError('address-wrong', `'${a.town}' does not lie in zip code ${a.zip_code}`);
    return { areaCode: match.area_code };
  }

  /** Adds or replaces directory entries (admin); returns how many were stored. */
  async add(rows: readonly AddressArea[]): Promise<number> {
    const values = rows.map((r, i) => {
      const country = r.country.trim().toLowerCase();
      const areaCode = normaliseAreaCode(country, r.area_code);
      const zip = r.zip_code.trim().toUpperCase();
      if (!/^[a-z]{2}$/.test(country) || areaCode === null || zip === '' || townKey(r.town) === '') {
        throw new ServiceError(
          'wrong-syntax',
          `row ${i + 1}: ${JSON.stringify(r)} is not country;zip;town;area`,
        );
      }
      return { country, zip_code: zip, town_key: townKey(r.town), town: r.town.trim(), area_code: areaCode };
    });
    for (let i = 0; i < values.length; i += 1000) {
      await this.db
        .insertInto('address_areas')
        .values(values.slice(i, i + 1000))
        .onConflict((oc) =>
          oc.columns(['country', 'zip_code', 'town_key']).doUpdateSet({
            town: sql`excluded.town`,
            area_code: sql`excluded.area_code`,
          }),
        )
        .execute();
    }
    return values.length;
  }
}

/** `country;zip;town;area_code` lines (also `,` or tab separated); `#` comments and blank lines skipped. */
export function parseAddressAreas(text: string): AddressArea[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l, i) => {
      const parts = l.split(/[;\t,]/).map((p) => p.trim());
      if (parts.length !== 4)
        throw new ServiceError('wrong-syntax', `line ${i + 1}: expected country;zip;town;area`);
      const [country, zip_code, town, area_code] = parts as [string, string, string, string];
      return { country, zip_code, town, area_code };
    });
}
