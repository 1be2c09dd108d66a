import { createHash, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  challenge,
  MAX_DIGEST_HEADER,
  NonceService,
  parseDigestCredentials,
  verifyDigest,
  type DigestCredentials,
} from '../../src/telephony/embedded/sip/digest.js';

const md5 = (s: string) => createHash('md5').update(s).digest('hex');
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** RFC 2617 §3.5, byte for byte (its response value is printed in the RFC). */
const RFC2617 =
  'Digest username="Mufasa", realm="testrealm@host.com", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", ' +
  'uri="/dir/index.html", qop=auth, nc=00000001, cnonce="0a4f113b", ' +
  'response="6629fae49393a05397450978507c4ef1", opaque="5ccc069c403ebaf9f0171e9517f40e41"';

/** RFC 7616 §3.9.1, the SHA-256 example (password "Circle of Life"). */
const RFC7616 =
  'Digest username="Mufasa", realm="http-auth@example.org", uri="/dir/index.html", algorithm=SHA-256, ' +
  'nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", nc=00000001, ' +
  'cnonce="f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ", qop=auth, ' +
  'response="753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1", ' +
  'opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"';

describe('parseDigestCredentials', () => {
  it('parses the RFC 2617 §3.5 example', () => {
    expect(parseDigestCredentials(RFC2617)).toEqual({
      username: 'Mufasa',
      realm: 'testrealm@host.com',
      nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093',
      uri: '/dir/index.html',
      response: '6629fae49393a05397450978507c4ef1',
      algorithm: 'MD5',
      qop: 'auth',
      nc: '00000001',
      cnonce: '0a4f113b',
      opaque: '5ccc069c403ebaf9f0171e9517f40e41',
    });
  });

  it('reads quoted commas and escapes, any name case, odd whitespace, quoted qop, unknown params', () => {
    const c = parseDigestCredentials(
      'dIgEsT\tUserName = "a,b\\"c" ,REALM="sip.example.com",nonce="n1",  uri="sip:sip.example.com;transport=tcp",' +
        ' Response="0123456789ABCDEF0123456789abcdef", qop="auth", NC=0000000A, cnonce="x y", userhash=false,,',
    );
    expect(c).toEqual({
      username: 'a,b"c',
      realm: 'sip.example.com',
      nonce: 'n1',
      uri: 'sip:sip.example.com;transport=tcp',
      response: '0123456789abcdef0123456789abcdef',
      algorithm: 'MD5',
      qop: 'auth',
      nc: '0000000a',
      cnonce: 'x y',
    });
  });

  it('refuses malformed and unusable values', () => {
    const base = 'username="u", realm="r", nonce="n", uri="sip:r", response="' + 'a'.repeat(32) + '"';
    expect(parseDigestCredentials(`Digest ${base}`)).not.toBeNull();
    const bad = [
      '',
      'Digest',
      `Basic ${base}`,
      `Digest${base}`,
      `Digest ${base}, realm="again"`,
      `Digest ${base.replace('username="u", ', '')}`,
      `Digest ${base.replace('uri="sip:r"', 'uri=""')}`,
      `Digest ${base}, algorithm=MD5-sess`,
      `Digest ${base}, algorithm=SHA-256`, // a 32-digit response is not SHA-256
      `Digest ${base}, qop=auth`, // qop without cnonce and nc
      `Digest ${base}, qop=auth, cnonce="c", nc=1`,
      `Digest ${base}, qop=auth-conf, cnonce="c", nc=00000001`,
      `Digest ${base}, nc=00000001`,
      `Digest ${base.replace('a'.repeat(32), 'g'.repeat(32))}`,
      `Digest ${base}, opaque="unterminated`,
      `Digest ${base}, opaque="x\\`,
      `Digest ${base} opaque="x"`,
      `Digest ${base}, ="x"`,
      `Digest ${base}, opaque=`,
      `Digest ${base}, opaque="a\nb"`,
      `Digest ${base}, opaque="${'x'.repeat(MAX_DIGEST_HEADER)}"`,
    ];
    for (const v of bad) expect(parseDigestCredentials(v), v).toBeNull();
    expect(parseDigestCredentials(undefined as unknown as string)).toBeNull();
  });

  const safe = fc
    .string({ unit: 'grapheme', minLength: 1, maxLength: 30 })
    .filter((s) => !/[\x00-\x1f\x7f]/.test(s));
  const hex = (n: number) => fc.stringMatching(new RegExp(`^[0-9a-f]{${n}}$`));
  const ws = fc.constantFrom('', ' ', '  ', '\t', ' \t ');

  it('round-trips any credentials however they are spaced, ordered and cased (fuzz)', () => {
    fc.assert(
      fc.property(
        fc.record({
          username: safe,
          realm: safe,
          nonce: safe,
          uri: safe,
          algorithm: fc.constantFrom<'MD5' | 'SHA-256'>('MD5', 'SHA-256'),
          cnonce: safe,
          nc: hex(8),
          opaque: fc.option(safe, { nil: undefined }),
          response: fc.integer(),
        }),
        fc.array(ws, { minLength: 40, maxLength: 40 }),
        fc.boolean(),
        fc.integer({ min: 0, max: 1000 }),
        (r, spaces, upper, shuffle) => {
          const response = (r.algorithm === 'MD5' ? md5 : sha256)(String(r.response));
          const q = (v: string) => `"${v.replace(/["\\]/g, (ch) => `\\${ch}`)}"`;
          const params: [string, string][] = [
            ['username', q(r.username)],
            ['realm', q(r.realm)],
            ['nonce', q(r.nonce)],
            ['uri', q(r.uri)],
            ['response', q(response)],
            ['algorithm', r.algorithm],
            ['cnonce', q(r.cnonce)],
            ['qop', 'auth'],
            ['nc', r.nc],
          ];
          if (r.opaque !== undefined) params.push(['opaque', q(r.opaque)]);
          const order = params.map((_, i) => params[(i + shuffle) % params.length]!);
          let k = 0;
          const sp = () => spaces[k++ % spaces.length]!;
          const text =
            'Digest ' +
            order
              .map(([n, v]) => `${sp()}${upper ? n.toUpperCase() : n}${sp()}=${sp()}${v}${sp()}`)
              .join(',');
          const expected: DigestCredentials = {
            username: r.username,
            realm: r.realm,
            nonce: r.nonce,
            uri: r.uri,
            response,
            algorithm: r.algorithm,
            qop: 'auth',
            cnonce: r.cnonce,
            nc: r.nc,
            ...(r.opaque !== undefined ? { opaque: r.opaque } : {}),
          };
          expect(parseDigestCredentials(text)).toEqual(expected);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('never throws on arbitrary or mutated input, and returns only string fields (fuzz)', () => {
    const check = (v: string) => {
      const c = parseDigestCredentials(v);
      if (c !== null) for (const value of Object.values(c)) expect(typeof value).toBe('string');
    };
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (s) => check(s)),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (s) => check(`Digest ${s}`)),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(RFC2617.length), fc.nat(3), fc.string({ maxLength: 3 })), { maxLength: 8 }),
        (edits) => {
          let s = RFC2617;
          for (const [at, del, ins] of edits) s = s.slice(0, at) + ins + s.slice(at + del);
          check(s);
        },
      ),
      { numRuns: 3000 },
    );
  });
});

describe('verifyDigest (RFC 2617, RFC 7616, RFC 8760)', () => {
  it('accepts the RFC 2617 §3.5 vector and refuses a wrong password', () => {
    const credentials = parseDigestCredentials(RFC2617)!;
    const ha1 = md5('Mufasa:testrealm@host.com:Circle Of Life');
    expect(verifyDigest({ method: 'GET', credentials, ha1 })).toBe(true);
    expect(verifyDigest({ method: 'GET', credentials, ha1: ha1.toUpperCase() })).toBe(true);
    expect(
      verifyDigest({ method: 'GET', credentials, ha1: md5('Mufasa:testrealm@host.com:Circle of Life') }),
    ).toBe(false);
    expect(verifyDigest({ method: 'POST', credentials, ha1 })).toBe(false);
  });

  it('accepts the RFC 7616 §3.9.1 SHA-256 vector', () => {
    const credentials = parseDigestCredentials(RFC7616)!;
    expect(credentials.algorithm).toBe('SHA-256');
    const ha1 = sha256('Mufasa:http-auth@example.org:Circle of Life');
    expect(verifyDigest({ method: 'GET', credentials, ha1 })).toBe(true);
    expect(verifyDigest({ method: 'GET', credentials, ha1: sha256('Mufasa:http-auth@example.org:x') })).toBe(
      false,
    );
  });

  /** Independent computation of what a SIP phone sends, per algorithm and qop. */
  const phone = (
    alg: 'MD5' | 'SHA-256',
    qop: 'auth' | 'auth-int' | undefined,
    password: string,
    body = '',
  ): DigestCredentials => {
    const H = alg === 'MD5' ? md5 : sha256;
    const [user, realm, nonce, uri, cnonce, nc] = [
      'alice_01',
      'sip.example.com',
      'abc',
      'sip:sip.example.com',
      'c0',
      '00000002',
    ];
    const ha1 = H(`${user}:${realm}:${password}`);
    const ha2 = H(qop === 'auth-int' ? `REGISTER:${uri}:${H(body)}` : `REGISTER:${uri}`);
    const response = qop ? H(`${ha1}:${nonce}:${nc}:${cnonce}:${qop}:${ha2}`) : H(`${ha1}:${nonce}:${ha2}`);
    return {
      username: user,
      realm,
      nonce,
      uri,
      response,
      algorithm: alg,
      ...(qop ? { qop, cnonce, nc } : {}),
    };
  };

  it.each([
    ['MD5', 'auth'],
    ['MD5', undefined],
    ['SHA-256', 'auth'],
    ['SHA-256', undefined],
    ['MD5', 'auth-int'],
  ] as const)('checks %s with qop=%s against HA1 from the stored credentials', (alg, qop) => {
    const H = alg === 'MD5' ? md5 : sha256;
    const credentials = phone(alg, qop, 'sEcReT53a', 'v=0');
    const ha1 = H('alice_01:sip.example.com:sEcReT53a');
    expect(verifyDigest({ method: 'REGISTER', credentials, ha1, body: 'v=0' })).toBe(true);
    expect(verifyDigest({ method: 'REGISTER', credentials, ha1: H('alice_01:sip.example.com:wrong') })).toBe(
      false,
    );
    expect(verifyDigest({ method: 'INVITE', credentials, ha1 })).toBe(false);
    expect(verifyDigest({ method: 'REGISTER', credentials: { ...credentials, nonce: 'abd' }, ha1 })).toBe(
      false,
    );
    if (qop === 'auth-int')
      expect(verifyDigest({ method: 'REGISTER', credentials, ha1, body: 'v=1' })).toBe(false);
  });

  it('round-trips through the header text a phone would send', () => {
    const c = phone('SHA-256', 'auth', 'pw12345');
    const text = `Digest username="${c.username}", realm="${c.realm}", nonce="${c.nonce}", uri="${c.uri}", response="${c.response}", algorithm=SHA-256, cnonce="${c.cnonce}", qop=auth, nc=${c.nc}`;
    const parsed = parseDigestCredentials(text)!;
    expect(
      verifyDigest({
        method: 'REGISTER',
        credentials: parsed,
        ha1: sha256('alice_01:sip.example.com:pw12345'),
      }),
    ).toBe(true);
  });
});

describe('NonceService', () => {
  const secret = randomBytes(32);

  it('verifies nonces on any node sharing the secret; stale after the TTL, not before', () => {
    let now = 1_700_000_000_000;
    const a = new NonceService(secret, 30_000, () => now);
    const b = new NonceService(Buffer.from(secret), 30_000, () => now);
    const n = a.issue();
    expect(n).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a.issue()).not.toBe(n);
    expect(b.check(n)).toBe('ok');
    now += 30_000;
    expect(b.check(n)).toBe('ok');
    now += 1;
    expect(b.check(n)).toBe('stale');
    expect(a.check(a.issue())).toBe('ok');
  });

  it('refuses forged, altered and foreign nonces', () => {
    const now = () => 1_700_000_000_000;
    const a = new NonceService(secret, 30_000, now);
    const other = new NonceService(randomBytes(32), 30_000, now);
    const n = a.issue();
    expect(other.check(n)).toBe('invalid');
    const raw = Buffer.from(n, 'base64url');
    raw[3] = raw[3]! ^ 1; // move the time stamp
    expect(a.check(raw.toString('base64url'))).toBe('invalid');
    for (const v of ['', 'dcd98b7102dd2f0e8b11d0f600bfb0c093', n.slice(0, -1), `${n}A`, n.replace(/.$/, '=')])
      expect(a.check(v), v).toBe('invalid');
    // Issued far in the future (a forged clock) is not accepted either.
    const future = new NonceService(secret, 30_000, () => now() + 10 * 60_000);
    expect(a.check(future.issue())).toBe('invalid');
  });
});

describe('challenge', () => {
  it('builds a WWW-Authenticate value the parser of a phone reads back', () => {
    expect(challenge({ realm: 'sip.example.com', nonce: 'n1', algorithm: 'MD5' })).toBe(
      'Digest realm="sip.example.com", nonce="n1", algorithm=MD5, qop="auth"',
    );
    expect(challenge({ realm: 'a"b\\c', nonce: 'n2', algorithm: 'SHA-256', stale: true, opaque: 'op' })).toBe(
      'Digest realm="a\\"b\\\\c", nonce="n2", opaque="op", stale=true, algorithm=SHA-256, qop="auth"',
    );
  });
});
