/**
 * SIP URIs and name-addr values (RFC 3261 §19.1, §20.10, §25.1), parsed only
 * as far as the B2BUA needs: scheme, user, host, port and parameters.
 * Parsers return null on malformed input and never throw.
 */

export interface SipUri {
  scheme: 'sip' | 'sips' | 'tel';
  user: string | null;
  host: string;
  port: number | null;
  /** URI parameters (`;transport=tcp`), names in lower case; flag params map to ''. */
  params: Map<string, string>;
  /** `?headers` part, kept verbatim. */
  headers: string;
}

/** `"Display" <sip:u@h>;tag=x` or `sip:u@h;tag=x` (RFC 3261 §20.10 for the second form's params). */
export interface NameAddr {
  display: string | null;
  uri: string;
  params: Map<string, string>;
}

const MAX_URI = 2048;

function parseParams(text: string, into: Map<string, string>): boolean {
  if (text === '') return true;
  for (const part of text.split(';')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const name = (eq < 0 ? part : part.slice(0, eq)).trim().toLowerCase();
    if (name === '' || !/^[a-z0-9\-.!%*_+`'~]+$/.test(name)) return false;
    into.set(name, eq < 0 ? '' : part.slice(eq + 1).trim());
  }
  return true;
}

export function parseUri(text: string): SipUri | null {
  if (text.length === 0 || text.length > MAX_URI) return null;
  const colon = text.indexOf(':');
  if (colon < 0) return null;
  const scheme = text.slice(0, colon).toLowerCase();
  if (scheme !== 'sip' && scheme !== 'sips' && scheme !== 'tel') return null;
  let rest = text.slice(colon + 1);
  let headers = '';
  const q = rest.indexOf('?');
  if (q >= 0) {
    headers = rest.slice(q + 1);
    rest = rest.slice(0, q);
  }
  const params = new Map<string, string>();
  if (scheme === 'tel') {
    const semi = rest.indexOf(';');
    const number = semi < 0 ? rest : rest.slice(0, semi);
    if (!/^\+?[0-9\-.()*#A-Fa-f]{1,64}$/.test(number)) return null;
    if (semi >= 0 && !parseParams(rest.slice(semi + 1), params)) return null;
    return { scheme, user: number, host: '', port: null, params, headers };
  }
  const at = rest.lastIndexOf('@');
  let user: string | null = null;
  if (at >= 0) {
    user = rest.slice(0, at);
    const pw = user.indexOf(':');
    if (pw >= 0) user = user.slice(0, pw);
    if (user === '' || /[\s<>"]/.test(user)) return null;
    try {
      user = decodeURIComponent(user);
    } catch {
      return null;
    }
    rest = rest.slice(at + 1);
  }
  const semi = rest.indexOf(';');
  const hostport = semi < 0 ? rest : rest.slice(0, semi);
  if (semi >= 0 && !parseParams(rest.slice(semi + 1), params)) return null;
  let host: string;
  let portText: string | null = null;
  if (hostport.startsWith('[')) {
    const close = hostport.indexOf(']');
    if (close < 0) return null;
    host = hostport.slice(0, close + 1);
    const after = hostport.slice(close + 1);
    if (after !== '') {
      if (!after.startsWith(':')) return null;
      portText = after.slice(1);
    }
  } else {
    const pc = hostport.indexOf(':');
    host = pc < 0 ? hostport : hostport.slice(0, pc);
    if (pc >= 0) portText = hostport.slice(pc + 1);
    if (!/^[A-Za-z0-9.\-_]+$/.test(host)) return null;
  }
  let port: number | null = null;
  if (portText !== null) {
    if (!/^[0-9]{1,5}$/.test(portText)) return null;
    port = Number(portText);
    if (port < 1 || port > 65535) return null;
  }
  return { scheme, user, host: host.toLowerCase(), port, params, headers };
}

export function formatUri(
  u: Pick<SipUri, 'scheme' | 'user' | 'host' | 'port'> & { params?: Map<string, string> },
): string {
  if (u.scheme === 'tel') return `tel:${u.user ?? ''}`;
  let s = `${u.scheme}:`;
  if (u.user !== null) s += `${encodeURIComponent(u.user).replace(/%2B/g, '+')}@`;
  s += u.host;
  if (u.port !== null) s += `:${u.port}`;
  if (u.params) for (const [k, v] of u.params) s += v === '' ? `;${k}` : `;${k}=${v}`;
  return s;
}

/** Splits on `sep` outside double quotes and angle brackets. */
export function splitOutside(text: string, sep: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '\\') i++;
      else if (c === '"') quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === '<') depth++;
    else if (c === '>') depth = Math.max(0, depth - 1);
    else if (c === sep && depth === 0) {
      out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  out.push(text.slice(start));
  return out;
}

export function parseNameAddr(text: string): NameAddr | null {
  const t = text.trim();
  if (t.length === 0 || t.length > MAX_URI) return null;
  let display: string | null = null;
  let uri: string;
  let paramText: string;
  const lt = findUnquoted(t, '<');
  if (lt >= 0) {
    const gt = t.indexOf('>', lt);
    if (gt < 0) return null;
    let d = t.slice(0, lt).trim();
    if (d.startsWith('"')) {
      if (!d.endsWith('"') || d.length < 2) return null;
      d = d.slice(1, -1).replace(/\\(.)/g, '$1');
    }
    display = d === '' ? null : d;
    uri = t.slice(lt + 1, gt).trim();
    paramText = t.slice(gt + 1).trim();
    if (paramText !== '' && !paramText.startsWith(';')) return null;
  } else {
    const semi = t.indexOf(';');
    uri = semi < 0 ? t : t.slice(0, semi);
    paramText = semi < 0 ? '' : t.slice(semi);
  }
  if (uri === '*') return { display, uri, params: new Map() };
  if (parseUri(uri) === null) return null;
  const params = new Map<string, string>();
  if (!parseParams(paramText.replace(/^;/, ''), params)) return null;
  return { display, uri, params };
}

function findUnquoted(t: string, ch: string): number {
  let quoted = false;
  for (let i = 0; i < t.length; i++) {
    const c = t[i];
    if (quoted) {
      if (c === '\\') i++;
      else if (c === '"') quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === ch) return i;
  }
  return -1;
}

export function formatNameAddr(n: {
  display?: string | null;
  uri: string;
  params?: Map<string, string>;
}): string {
  let s = n.display ? `"${n.display.replace(/["\\]/g, '\\$&')}" <${n.uri}>` : `<${n.uri}>`;
  if (n.params) for (const [k, v] of n.params) s += v === '' ? `;${k}` : `;${k}=${v}`;
  return s;
}
