/**
 * `POST /api/conference/(uuid)/member` (spec 3.17): the `update` section
 * (member UUID -> the fields to change) and the `delete` section (members
 * to kick), checked as one request before anything is sent to the mixing
 * node.
 */
import { isMemberVolume, type MemberChanges } from './member.js';

export interface MemberRequest {
  update: Record<string, MemberChanges>;
  delete: string[];
}

export interface MemberRequestProblem {
  status: 'wrong-syntax';
  message: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CHANGE_FIELDS = new Set(['user', 'mute', 'deaf', 'volume_in', 'volume_out']);

const problem = (message: string): { problem: MemberRequestProblem } => ({
  problem: { status: 'wrong-syntax', message },
});

/** The request with member ids in lower case, or what is wrong with it. */
export function parseMemberRequest(
  body: unknown,
): { request: MemberRequest } | { problem: MemberRequestProblem } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return problem('the request must be an object');
  }
  const { update = {}, delete: del = [] } = body as { update?: unknown; delete?: unknown };
  if (typeof update !== 'object' || update === null || Array.isArray(update)) {
    return problem("'update' must be an object keyed by member UUID");
  }
  if (!Array.isArray(del)) return problem("'delete' must be a list of member UUIDs");
  const out: MemberRequest = { update: {}, delete: [] };
  for (const [id, raw] of Object.entries(update as Record<string, unknown>)) {
    if (!UUID.test(id)) return problem(`'update/${id}' is not a member UUID`);
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      return problem(`'update/${id}' must be an object`);
    }
    const c = raw as Record<string, unknown>;
    const unknown = Object.keys(c).find((k) => !CHANGE_FIELDS.has(k));
    if (unknown !== undefined) return problem(`'update/${id}/${unknown}' is not a member field`);
    for (const k of ['mute', 'deaf'] as const) {
      if (c[k] !== undefined && typeof c[k] !== 'boolean')
        return problem(`'update/${id}/${k}' must be boolean`);
    }
    for (const k of ['volume_in', 'volume_out'] as const) {
      if (c[k] !== undefined && !isMemberVolume(c[k])) {
        return problem(`'update/${id}/${k}' must be an integer from -4 to 4`);
      }
    }
    if (c['user'] !== undefined && (typeof c['user'] !== 'string' || !UUID.test(c['user']))) {
      return problem(`'update/${id}/user' must be a user UUID`);
    }
    const changes: MemberChanges = {};
    if (c['user'] !== undefined) changes.user = c['user'].toLowerCase();
    if (c['mute'] !== undefined) changes.mute = c['mute'] as boolean;
    if (c['deaf'] !== undefined) changes.deaf = c['deaf'] as boolean;
    if (c['volume_in'] !== undefined) changes.volume_in = c['volume_in'] as number;
    if (c['volume_out'] !== undefined) changes.volume_out = c['volume_out'] as number;
    out.update[id.toLowerCase()] = changes;
  }
  for (const id of del) {
    if (typeof id !== 'string' || !UUID.test(id))
      return problem(`'delete' holds ${JSON.stringify(id)}, not a member UUID`);
    const lower = id.toLowerCase();
    if (out.update[lower] !== undefined) return problem(`member ${id} is both updated and deleted`);
    if (!out.delete.includes(lower)) out.delete.push(lower);
  }
  return { request: out };
}
