import { ServiceError } from '../../errors/index.js';
import { PolicyError } from '../../domain/policy/errors.js';

/** A domain PolicyError becomes the API status of the same name (spec 9.1.3, 9.1.6, 10). */
export function policyStatus(err: unknown): unknown {
  return err instanceof PolicyError ? new ServiceError(err.code, err.message) : err;
}

/** Runs a domain parser, mapping its PolicyError to the status. */
export function parsePolicy<T>(parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    throw policyStatus(err);
  }
}
