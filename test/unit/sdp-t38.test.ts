import { describe, expect, it } from 'vitest';
import { t30Error, t30Errors, t30Retryable, T30_ERR } from '../../src/domain/fax/t30.js';
import {
  answerT38,
  buildT38Sdp,
  LOCAL_T38,
  parseT38Sdp,
  t38Session,
} from '../../src/telephony/embedded/sip/sdp-t38.js';
import { buildSdp, DEFAULT_OFFER } from '../../src/telephony/embedded/sip/sdp.js';

/** The re-INVITE offer and the 200 OK answer of the captured call in test/fixtures/t38/vega-udptl.json. */
const CAPTURED_OFFER = [
  'v=0',
  'o=BroadWorks 98424361 3 IN IP4 162.244.97.41',
  's=-',
  'c=IN IP4 162.244.97.41',
  't=0 0',
  'm=image 16834 udptl t38',
  'a=T38FaxVersion:0',
  'a=T38MaxBitRate:14400',
  'a=T38FaxRateManagement:transferredTCF',
  'a=T38FaxMaxBuffer:262',
  'a=T38FaxMaxDatagram:176',
  'a=T38FaxUdpEC:t38UDPRedundancy',
  '',
].join('\r\n');

const CAPTURED_ANSWER = [
  'v=0',
  'o=Vega 26655 26657 IN IP4 192.168.3.15',
  's=Sip Call',
  'c=IN IP4 192.168.3.15',
  't=0 0',
  'm=image 10340 udptl t38',
  'a=T38FaxVersion:0',
  'a=T38MaxBitRate:14400',
  'a=T38FaxFillBitRemoval:0',
  'a=T38FaxTranscodingMMR:0',
  'a=T38FaxTranscodingJBIG:0',
  'a=T38FaxRateManagement:localTCF',
  'a=T38FaxMaxBuffer:200',
  'a=T38FaxMaxDatagram:200',
  'a=T38FaxUdpEC:t38UDPRedundancy',
  '',
].join('\r\n');

describe('T.38 SDP', () => {
  it('parses the captured offer and answer', () => {
    expect(parseT38Sdp(CAPTURED_OFFER)).toEqual({
      address: '162.244.97.41',
      port: 16834,
      params: {
        version: 0,
        maxBitRate: 14400,
        rateManagement: 'transferredTCF',
        maxBuffer: 262,
        maxDatagram: 176,
        udpEc: 't38UDPRedundancy',
        fillBitRemoval: false,
        transcodingMmr: false,
        transcodingJbig: false,
      },
    });
    expect(parseT38Sdp(CAPTURED_ANSWER)).toMatchObject({
      address: '192.168.3.15',
      port: 10340,
      params: { rateManagement: 'localTCF', maxDatagram: 200, fillBitRemoval: false, transcodingMmr: false },
    });
  });

  it('reads attribute names in any case, bare flags, and the image stream after an audio one', () => {
    const sdp = [
      'v=0',
      'o=- 1 1 IN IP4 10.0.0.1',
      's=-',
      'c=IN IP4 10.0.0.1',
      't=0 0',
      'm=audio 4000 RTP/AVP 0',
      'm=image 4002 udptl t38',
      'c=IN IP4 10.0.0.2',
      'a=T38FaxVersion:3',
      'a=T38maxBitRate:9600',
      'a=T38FaxFillBitRemoval',
      'a=t38faxudpec:T38UDPFEC',
      '',
    ].join('\n');
    expect(parseT38Sdp(sdp)).toMatchObject({
      address: '10.0.0.2',
      port: 4002,
      params: { version: 3, maxBitRate: 9600, fillBitRemoval: true, udpEc: 't38UDPFEC', maxDatagram: null },
    });
  });

  it('gives null without an image stream or an address, and for a port out of range', () => {
    expect(parseT38Sdp('v=0\r\nm=audio 4000 RTP/AVP 0\r\nc=IN IP4 1.2.3.4\r\n')).toBeNull();
    expect(parseT38Sdp('v=0\r\nm=image 4000 udptl t38\r\n')).toBeNull();
    expect(parseT38Sdp('v=0\r\nc=IN IP4 1.2.3.4\r\nm=image 99999 udptl t38\r\n')).toBeNull();
    expect(parseT38Sdp('')).toBeNull();
  });

  it('answers an offer within our limits (T.38 Annex D): min rate and version, offered rate management, FEC -> redundancy', () => {
    const offer = parseT38Sdp(CAPTURED_OFFER)!.params;
    const answer = answerT38({
      ...offer,
      version: 2,
      maxBitRate: 33600,
      udpEc: 't38UDPFEC',
      fillBitRemoval: true,
    });
    expect(answer).toEqual({
      version: 0,
      maxBitRate: 14400,
      rateManagement: 'transferredTCF',
      maxBuffer: LOCAL_T38.maxBuffer,
      maxDatagram: LOCAL_T38.maxDatagram,
      udpEc: 't38UDPRedundancy',
      fillBitRemoval: false,
      transcodingMmr: false,
      transcodingJbig: false,
    });
    expect(answerT38({ ...offer, maxBitRate: 9600, rateManagement: 'localTCF', udpEc: null })).toMatchObject({
      maxBitRate: 9600,
      rateManagement: 'localTCF',
      udpEc: null,
    });
  });

  it("the session keeps our datagrams within the far end's T38FaxMaxDatagram", () => {
    const remote = parseT38Sdp(CAPTURED_OFFER)!.params;
    const answer = answerT38(remote);
    expect(t38Session(LOCAL_T38, remote, answer)).toEqual({
      version: 0,
      maxBitRate: 14400,
      rateManagement: 'transferredTCF',
      remoteMaxDatagram: 176,
      localMaxDatagram: 400,
      redundancy: true,
    });
  });

  it('an audio answer refusing an offered image stream keeps its udptl transport', () => {
    const sdp = buildSdp({
      address: '127.0.0.1',
      port: 4000,
      codecs: DEFAULT_OFFER,
      sessionId: '1',
      version: 1,
      rejected: ['image'],
    });
    expect(sdp).toContain('m=image 0 udptl t38\r\n');
    expect(parseT38Sdp(sdp)?.port).toBe(0);
  });

  it('builds an SDP that parses back to the same parameters', () => {
    const answer = answerT38(parseT38Sdp(CAPTURED_OFFER)!.params);
    const sdp = buildT38Sdp({
      address: '127.0.0.1',
      port: 30000,
      sessionId: '42',
      version: 2,
      params: answer,
    });
    expect(sdp).toContain('m=image 30000 udptl t38\r\n');
    expect(sdp).toContain('a=T38FaxUdpEC:t38UDPRedundancy\r\n');
    expect(parseT38Sdp(sdp)).toEqual({ address: '127.0.0.1', port: 30000, params: answer });
  });
});

describe('T.30 completion codes (fax_error_code)', () => {
  it("lists spandsp's 62 codes by their enum position", () => {
    const all = t30Errors();
    expect(all).toHaveLength(62);
    expect(all[0]).toEqual({ code: 0, name: 'T30_ERR_OK', text: 'OK' });
    expect(t30Error(T30_ERR.CALLDROPPED).name).toBe('T30_ERR_CALLDROPPED');
    expect(t30Error(T30_ERR.FILEERROR).name).toBe('T30_ERR_FILEERROR');
    expect(t30Error(T30_ERR.BADTIFF).name).toBe('T30_ERR_BADTIFF');
    expect(t30Error(61).name).toBe('T30_ERR_CSA_UNACCEPTABLE');
    expect(t30Error(99).name).toBe('T30_ERR_UNKNOWN');
  });

  it('line failures are worth another attempt, unreadable documents are not', () => {
    expect(t30Retryable(T30_ERR.OK)).toBe(false);
    expect(t30Retryable(T30_ERR.CALLDROPPED)).toBe(true);
    expect(t30Retryable(T30_ERR.TX_PHDDEAD)).toBe(true);
    expect(t30Retryable(T30_ERR.FILEERROR)).toBe(false);
    expect(t30Retryable(T30_ERR.BADTIFF)).toBe(false);
  });
});
