/**
 * A JSON object from an untrusted text (a Redis channel's message): the
 * object, or null when the text is not JSON or not an object. The callers
 * check its fields.
 */
export function jsonObject(text: string): Record<string, unknown> | null {
  let m: unknown;
  try {
    m = JSON.parse(text);
  } catch {
    return null;
  }
  return typeof m === 'object' && m !== null && !Array.isArray(m) ? (m as Record<string, unknown>) : null;
}
