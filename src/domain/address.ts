/**
 * Postal address checks of POST /api/user (spec 3.5: "These parameters will
 * be verified and the corresponding area_code will be set"). Pure: the
 * syntax a country's addresses have, and the town names compared the way
 * people write them. Which zip codes exist and their area codes are data
 * (services/address-service.ts).
 */

export interface PostalAddress {
  zip_code: string;
  town: string;
  street: string;
  house_number: string;
  country: string;
}

interface CountryRules {
  zip: RegExp;
  /** The area code's digits, without the national trunk prefix (0). */
  areaCode: RegExp;
}

/** Per-country syntax; countries without rules of their own get GENERIC. */
const RULES: Record<string, CountryRules> = {
  de: { zip: /^[0-9]{5}$/, areaCode: /^[1-9][0-9]{1,4}$/ },
  at: { zip: /^[0-9]{4}$/, areaCode: /^[1-9][0-9]{0,4}$/ },
  ch: { zip: /^[0-9]{4}$/, areaCode: /^[1-9][0-9]$/ },
};
const GENERIC: CountryRules = { zip: /^[A-Za-z0-9][A-Za-z0-9 -]{1,9}$/, areaCode: /^[0-9]{1,6}$/ };

const TOWN = /^\p{L}[\p{L}\p{M} .'()/-]*$/u;
const STREET = /^[\p{L}0-9][\p{L}\p{M}0-9 .,'()/-]*$/u;
/** 15, 15a, 15 a, 15-17, 15/2, 3b-3c */
const HOUSE_NUMBER = /^[0-9]{1,5} ?[a-zA-Z]?( ?[-/] ?[0-9]{1,5} ?[a-zA-Z]?)?$/;

export function rulesOf(country: string): CountryRules {
  return Object.hasOwn(RULES, country) ? RULES[country]! : GENERIC;
}

/** Why an address cannot be right, or null. Only shape: existence is the directory's question. */
export function addressProblem(a: PostalAddress): string | null {
  const rules = rulesOf(a.country);
  if (!rules.zip.test(a.zip_code.trim()))
    return `'${a.zip_code}' is not a zip code of country '${a.country}'`;
  if (!TOWN.test(a.town.trim())) return `'${a.town}' is not a town name`;
  if (!STREET.test(a.street.trim()) || !/\p{L}/u.test(a.street)) return `'${a.street}' is not a street name`;
  if (!HOUSE_NUMBER.test(a.house_number.trim())) return `'${a.house_number}' is not a house number`;
  return null;
}

/**
 * A town name for comparison: case, diacritics, ß/ss, punctuation and
 * "St." / "Sankt" do not matter ("Köln" = "KOELN", "Frankfurt a.M." =
 * "Frankfurt a. M.").
 */
export function townKey(town: string): string {
  return town
    .toLowerCase()
    .replace(/ä/g, 'ae')
    .replace(/ö/g, 'oe')
    .replace(/ü/g, 'ue')
    .replace(/ß/g, 'ss')
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/\bsankt\b/g, 'st')
    .replace(/[^a-z0-9]/g, '');
}

/** A directory row's area code: digits only, the national trunk prefix dropped ("030" -> "30"). */
export function normaliseAreaCode(country: string, v: string): string | null {
  const digits = v.replace(/[^0-9]/g, '').replace(/^0+/, '');
  return rulesOf(country).areaCode.test(digits) ? digits : null;
}
