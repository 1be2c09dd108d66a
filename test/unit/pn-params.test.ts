import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { apnsTopicOfParam, featureCaps, pnParams, pridOfContact } from '../../src/domain/push/pn-params.js';
import { parseUri } from '../../src/telephony/embedded/sip/uri.js';

const TOKEN = '00fc13adff785122b4ad28809a3420982341241421348097878e577c991de8f0';
const paramsOf = (uri: string) => parseUri(uri)!.params;

describe('RFC 8599 push parameters of a Contact URI', () => {
  it('reads an APNs VoIP contact (RFC 8599 §9.1 App ID: team id and topic)', () => {
    const r = pnParams(
      paramsOf(
        `sip:alice@198.51.100.7:5060;pn-provider=apns;pn-param=ABCD123456.com.example.phone.voip;pn-prid=${TOKEN}`,
      ),
    );
    expect(r).toEqual({
      kind: 'push',
      push: { provider: 'apns', prid: TOKEN, param: 'ABCD123456.com.example.phone.voip' },
    });
    expect(apnsTopicOfParam('ABCD123456.com.example.phone.voip')).toBe('com.example.phone.voip');
  });

  it("reads APNs's sandbox as Linphone names it, and FCM with a percent-encoded token", () => {
    expect(
      pnParams(paramsOf(`sip:a@h;pn-provider=apns.dev;pn-param=ABCD123456.x.voip;pn-prid=${TOKEN}`)),
    ).toMatchObject({
      kind: 'push',
      push: { provider: 'apns.dev' },
    });
    const fcm = pnParams(paramsOf('sip:a@h;pn-provider=fcm;pn-param=my-project;pn-prid=dXN%3AAPA91b'));
    expect(fcm).toEqual({ kind: 'push', push: { provider: 'fcm', prid: 'dXN:APA91b', param: 'my-project' } });
  });

  it('says why a contact cannot be woken, and nothing for a plain contact', () => {
    expect(pnParams(paramsOf('sip:a@h;transport=tcp'))).toEqual({ kind: 'none' });
    expect(pnParams(paramsOf(`sip:a@h;pn-provider=webpush;pn-prid=${TOKEN}`))).toMatchObject({
      kind: 'unsupported',
      reason: 'unknown pn-provider',
    });
    expect(pnParams(paramsOf('sip:a@h;pn-provider=apns;pn-param=ABCD123456.x'))).toMatchObject({
      kind: 'unsupported',
      reason: 'pn-prid missing or malformed',
    });
    expect(
      pnParams(paramsOf('sip:a@h;pn-provider=apns;pn-param=ABCD123456.x;pn-prid=not-hex')),
    ).toMatchObject({
      kind: 'unsupported',
    });
    expect(
      pnParams(paramsOf(`sip:a@h;pn-provider=apns;pn-param=com.example;pn-prid=${TOKEN}`)),
    ).toMatchObject({
      kind: 'unsupported',
      reason: 'pn-param is not <team id>.<topic>',
    });
    expect(pnParams(paramsOf('sip:a@h;pn-provider=fcm;pn-param=p;pn-prid=%E0%A4%A'))).toMatchObject({
      kind: 'unsupported',
    });
  });

  it('finds the token of a live binding and builds the Feature-Caps value', () => {
    expect(pridOfContact(`sip:a@h:5060;pn-provider=apns;pn-prid=${TOKEN};transport=udp`)).toBe(TOKEN);
    expect(pridOfContact('sip:a@h:5060')).toBeNull();
    expect(featureCaps(['apns', 'apns'])).toBe('*;+sip.pns="apns"');
    expect(featureCaps([])).toBeNull();
  });

  it('never throws on any parameter values', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.string(), (provider, prid, param) => {
        const m = new Map([
          ['pn-provider', provider],
          ['pn-prid', prid],
          ['pn-param', param],
        ]);
        const r = pnParams(m);
        expect(['none', 'push', 'unsupported']).toContain(r.kind);
        pridOfContact(`sip:a@h;pn-prid=${prid}`);
      }),
      { numRuns: 2000 },
    );
  });
});
