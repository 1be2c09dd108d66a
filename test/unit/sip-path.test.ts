import { describe, expect, it } from 'vitest';
import { SipRequest } from '../../src/telephony/embedded/sip/message.js';
import { firstHop, originOf, parsePath, supports } from '../../src/telephony/embedded/sip/path.js';
import { routeTo } from '../../src/telephony/embedded/signaling.js';

const proxy = { transport: 'udp' as const, address: '10.0.0.1', port: 5060 };

function request(vias: string[], extra: Record<string, string> = {}): SipRequest {
  const r = new SipRequest('INVITE', 'sip:100@example.test');
  for (const v of vias) r.add('via', v);
  for (const [k, v] of Object.entries(extra)) r.add(k, v);
  return r;
}

describe('Path (RFC 3327) parsing', () => {
  it('lists entries in order across headers and commas, as <uri>', () => {
    expect(
      parsePath(['<sip:a.example;lr>, "x" <sip:b.example:5070;lr;transport=tcp>', '<sip:c;lr>']),
    ).toEqual(['<sip:a.example;lr>', '<sip:b.example:5070;lr;transport=tcp>', '<sip:c;lr>']);
    expect(parsePath([])).toEqual([]);
  });

  it('refuses strict routers, tel URIs, bare URIs and lists too long', () => {
    expect(parsePath(['<sip:a.example>'])).toBeNull();
    expect(parsePath(['<tel:+49301;lr>'])).toBeNull();
    expect(parsePath(['sip:a.example;lr'])).toBeNull();
    expect(parsePath([Array(9).fill('<sip:a;lr>').join(',')])).toBeNull();
  });

  it('reads Supported as a case-insensitive option-tag list over several headers', () => {
    expect(supports(request([], { supported: 'timer, PATH' }), 'path')).toBe(true);
    expect(supports(request([], { supported: 'timer' }), 'path')).toBe(false);
    expect(supports(request([]), 'path')).toBe(false);
  });

  it('first hop: host, port (5060 by default), transport parameter', () => {
    expect(firstHop(['<sip:10.0.0.1;lr>'])).toEqual(proxy);
    expect(firstHop(['<sip:10.0.0.1:5070;lr;transport=TCP>', '<sip:x;lr>'])).toEqual({
      transport: 'tcp',
      address: '10.0.0.1',
      port: 5070,
    });
    expect(firstHop([])).toBeNull();
  });

  it('routes to a binding through its Path, else back to its source', () => {
    expect(
      routeTo({
        contact: 'sip:u@192.0.2.9',
        source: '192.0.2.9:5062',
        transport: 'udp',
        path: ['<sip:10.0.0.1;lr>'],
      }),
    ).toEqual({ uri: 'sip:u@192.0.2.9', peer: proxy, routes: ['<sip:10.0.0.1;lr>'] });
    expect(routeTo({ contact: 'sip:u@192.0.2.9', source: '192.0.2.9:5062', transport: 'udp' })).toEqual({
      uri: 'sip:u@192.0.2.9',
      peer: { transport: 'udp', address: '192.0.2.9', port: 5062 },
    });
  });
});

describe('the sender of a request an edge proxy relayed', () => {
  const proxies = [{ host: '10.0.0.1', port: 5060 }];
  const phoneVia = 'SIP/2.0/UDP 192.168.1.5:5060;branch=z9hG4bK2;received=203.0.113.4;rport=40123';

  it('is the Via below the proxy, with received and rport', () => {
    const r = request(['SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1', phoneVia]);
    expect(originOf(r, proxy, proxies)).toEqual({ transport: 'udp', address: '203.0.113.4', port: 40123 });
    // Both Vias in one comma-joined header field.
    const joined = request([`SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1, ${phoneVia}`]);
    expect(originOf(joined, proxy, proxies).address).toBe('203.0.113.4');
    const plain = request(['SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1', 'SIP/2.0/TCP 192.0.2.7;branch=z9hG4bK2']);
    expect(originOf(plain, proxy, proxies)).toEqual({ transport: 'tcp', address: '192.0.2.7', port: 5060 });
  });

  it('is the transport peer itself when that is no proxy, or the proxy leaves no Via below', () => {
    const r = request(['SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1', phoneVia]);
    const other = { ...proxy, address: '10.0.0.2' };
    expect(originOf(r, other, proxies)).toBe(other);
    expect(originOf(r, { ...proxy, port: 5061 }, proxies).port).toBe(5061);
    expect(originOf(request(['SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1']), proxy, proxies)).toBe(proxy);
    expect(originOf(request(['SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1', 'garbage']), proxy, proxies)).toBe(
      proxy,
    );
  });
});
