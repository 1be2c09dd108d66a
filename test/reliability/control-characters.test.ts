/**
 * Issue 14, item 6: NUL and other control characters in text fields answer
 * wrong-syntax before they reach the database (they answered `fail` from
 * PostgreSQL), and Fastify's and Node's own refusals come in the envelope.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness, type TestUser } from '../helpers/harness.js';

let h: Harness;
let partner: { sid: string; name: string };
let user: TestUser;
beforeAll(async () => {
  h = await createHarness();
  partner = await h.partner();
  user = await h.user({ partner: partner.name });
});
afterAll(async () => {
  await h?.close();
});

describe('control characters', () => {
  it('answers wrong-syntax for NUL and C0/C1 controls in user, SIP, usergroup, enterprise and emergency fields', async () => {
    const cases: Array<[string, string, string, unknown]> = [];
    for (const bad of ['a\u0000b', 'a\u0001b', 'a\u001bb', 'a\u007fb', 'a\u0085b']) {
      cases.push(
        ['POST', '/api/user', user.sid, { firstname: bad }],
        ['POST', '/api/sip', user.sid, { password: 'sEcReT53a', description: bad }],
        ['POST', '/api/partner/usergroup', partner.sid, { description: bad }],
        ['POST', '/api/partner/enterprise', partner.sid, { description: bad }],
        ['POST', `/api/partner/emergency/${user.uuid}`, partner.sid, { uui_header: bad }],
        ['POST', `/api/partner/user/${user.uuid}`, partner.sid, { lastname: bad }],
      );
    }
    for (const [method, url, sid, body] of cases) {
      const r = await h.call(method, url, { sid, body });
      expect([url, r['status']], JSON.stringify(body)).toEqual([url, 'wrong-syntax']);
      expect(r['message']).toMatch(/control character/);
    }
    // Tab and line breaks are text; the field's own rules decide.
    const ok = await h.call('POST', '/api/partner/usergroup', {
      sid: partner.sid,
      body: { description: 'two\tcolumns' },
    });
    expect(ok['status']).toBe('ok');
  });

  it('answers wrong-syntax for %00 and controls in path parameters and the query', async () => {
    for (const url of ['/api/partner/cdr/%00', '/api/partner/cdr/%2B49%00', '/api/partner/usergroup/%01']) {
      expect((await h.call('GET', url, { sid: partner.sid }))['status'], url).toBe('wrong-syntax');
    }
    const q = await h.call('GET', '/api/event', { sid: user.sid, query: { next: '0\u0000', timeout: '0' } });
    expect(q['status']).toBe('wrong-syntax');
  });

  it("answers Fastify's own refusals in the envelope: bad URL, long path element, unknown call", async () => {
    for (const url of ['/api/tag/%zz', `/api/tag/${'a'.repeat(300)}`, '/api/no/such/call', '/nothing']) {
      const res = await h.app.inject({
        method: 'GET',
        url,
        headers: { authorization: `Bearer ${user.sid}` },
      });
      expect([url, res.statusCode, res.json().status]).toEqual([url, 200, 'wrong-syntax']);
    }
  });

  it("answers Node's parser refusals (431, malformed HTTP) in the envelope and closes", async () => {
    const url = await h.app.listen({ port: 0, host: '127.0.0.1' });
    const port = Number(new URL(url).port);
    const raw = (text: string): Promise<string> =>
      new Promise((resolve) => {
        const s = net.connect(port, '127.0.0.1', () => s.write(text));
        let got = '';
        s.on('data', (d) => (got += d.toString()));
        s.on('close', () => resolve(got));
        s.on('error', () => resolve(got));
      });
    for (const text of [
      `GET /api/session HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
      `GET /api/${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`,
      'NOT HTTP AT ALL\r\n\r\n',
    ]) {
      const answer = await raw(text);
      expect(answer).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
      expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))).toMatchObject({
        status: 'wrong-syntax',
      });
    }
  });
});
