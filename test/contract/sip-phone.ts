/**
 * A programmable SIP phone for the contract suite's embedded run: a user
 * agent on real UDP sockets (the project's SIP transaction layer, a real
 * RTP socket) that calls, answers, rings, refuses, holds, registers with
 * digest credentials, subscribes to a number's dialog state, sends tones
 * and RFC 4733 digits and tells which tone it hears. Where sipp plays a
 * fixed script, this one is driven step by step by the test.
 */
import dgram from 'node:dgram';
import { EventEmitter } from 'node:events';
import { DtmfReceiver, sendDtmf } from '../../src/telephony/embedded/media/dtmf.js';
import { Player } from '../../src/telephony/embedded/media/player.js';
import { alawToLinear, ulawToLinear } from '../../src/telephony/embedded/rtp/g711.js';
import { RtpSession } from '../../src/telephony/embedded/rtp/session.js';
import { contactUri, Dialog, tagOf, withoutTag } from '../../src/telephony/embedded/sip/dialog.js';
import { SipRequest, type SipResponse } from '../../src/telephony/embedded/sip/message.js';
import { buildSdp, parseSdp, type SdpCodec } from '../../src/telephony/embedded/sip/sdp.js';
import { randomToken, SipStack, type TransactionUser } from '../../src/telephony/embedded/sip/stack.js';
import type { ClientTransaction, ServerTransaction } from '../../src/telephony/embedded/sip/transaction.js';
import type { Peer } from '../../src/telephony/embedded/sip/transport.js';
import { goertzelPower } from '../../src/telephony/embedded/media/dtmf.js';
import { digestAnswer } from '../helpers/sip-client.js';

const CODECS: SdpCodec[] = [
  { payloadType: 0, name: 'PCMU', clockRate: 8000 },
  { payloadType: 8, name: 'PCMA', clockRate: 8000 },
  { payloadType: 101, name: 'TELEPHONE-EVENT', clockRate: 8000, fmtp: '0-16' },
];

export interface Credentials {
  name: string;
  domain: string;
  password: string;
}

export type CallEventKind = 'ringing' | 'early' | 'answered' | 'ended' | 'hold' | 'unhold';

/** One call of the phone, either direction. */
export class PhoneCall extends EventEmitter<{ event: [CallEventKind] }> {
  readonly seen: CallEventKind[] = [];
  /** The final status that ended it before an answer, or 'bye' / 'cancel'. */
  endedWith: number | 'bye' | 'cancel' | null = null;
  dialog: Dialog | null = null;
  /** The codec the call settled on. */
  codec: 'PCMU' | 'PCMA' = 'PCMU';
  readonly audio: Int16Array[] = [];
  readonly digits: string[] = [];
  private readonly dtmf = new DtmfReceiver({ telephoneEventPayloadType: 101 });
  inviteTx: ClientTransaction | null = null;
  uasTx: ServerTransaction | null = null;
  private sdpVersion = 1;

  constructor(
    private readonly phone: SipPhone,
    readonly rtp: RtpSession,
    /** The INVITE we received (UAS calls). */
    readonly request: SipRequest | null,
  ) {
    super();
    rtp.onPacket((packet, header) => {
      for (const d of this.dtmf.push(packet, header)) this.digits.push(d.digit);
      if (header.payloadType !== 0 && header.payloadType !== 8) return;
      const dec = header.payloadType === 0 ? ulawToLinear : alawToLinear;
      const pcm = new Int16Array(header.payloadLength);
      for (let i = 0; i < pcm.length; i++) pcm[i] = dec(packet[header.payloadOffset + i]!);
      this.audio.push(pcm);
      if (this.audio.length > 500) this.audio.shift();
    });
  }

  mark(kind: CallEventKind): void {
    this.seen.push(kind);
    this.emit('event', kind);
  }

  waitFor(kind: CallEventKind, timeoutMs = 5000): Promise<void> {
    if (this.seen.includes(kind)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const t = setTimeout(
        () => reject(new Error(`phone call: no ${kind} (saw ${this.seen.join(',')})`)),
        timeoutMs,
      );
      const on = (k: CallEventKind) => {
        if (k !== kind) return;
        clearTimeout(t);
        this.off('event', on);
        resolve();
      };
      this.on('event', on);
    });
  }

  /** Points our RTP at the SDP's address and takes its codec. */
  media(sdpText: string): void {
    const sdp = parseSdp(sdpText);
    if (!sdp?.audio) return;
    this.rtp.setRemote({ address: sdp.audio.address, port: sdp.audio.port });
    const voice = sdp.audio.codecs.find((c) => c.name === 'PCMU' || c.name === 'PCMA');
    if (voice) this.codec = voice.name as 'PCMU' | 'PCMA';
  }

  localSdp(direction: 'sendrecv' | 'sendonly' = 'sendrecv', codecs: readonly SdpCodec[] = CODECS): string {
    return buildSdp({
      address: '127.0.0.1',
      port: this.rtp.localPort,
      codecs,
      sessionId: '1',
      version: this.sdpVersion++,
      direction,
    });
  }

  // --------------------------------------------------------- as the callee --

  ring(): void {
    this.uasTx?.respond(180, 'Ringing', { toTag: this.dialogTag, headers: { contact: this.phone.contact } });
  }

  early(): void {
    this.uasTx?.respond(183, 'Session Progress', {
      toTag: this.dialogTag,
      headers: { contact: this.phone.contact },
      body: this.localSdp(),
    });
  }

  readonly dialogTag = randomToken(6);

  answer(): void {
    const tx = this.uasTx;
    const req = this.request;
    if (!tx || !req) return;
    tx.respond(200, 'OK', {
      toTag: this.dialogTag,
      headers: { contact: this.phone.contact },
      body: this.localSdp(),
    });
    this.dialog = new Dialog(
      req.callId,
      this.dialogTag,
      tagOf(req.get('from')) ?? '',
      withoutTag(req.get('to') ?? ''),
      withoutTag(req.get('from') ?? ''),
      contactUri(req.get('contact')) ?? req.uri,
      [],
      tx.peer,
      1,
    );
    this.phone.dialogs.set(this.dialogTag, this);
    this.mark('answered');
  }

  fail(status: number): void {
    this.uasTx?.respond(status, 'Failed', { toTag: this.dialogTag });
    this.endedWith = status;
    this.mark('ended');
  }

  // --------------------------------------------------------------- either --

  hangup(): void {
    if (this.seen.includes('ended')) return;
    if (this.dialog) {
      this.phone.stack.request(this.dialog.request('BYE'), this.dialog.peer, {
        onResponse: () => undefined,
        onTimeout: () => undefined,
      });
      this.endedWith = 'bye';
    } else if (this.inviteTx) {
      this.phone.stack.cancel(this.inviteTx);
      this.endedWith = 'cancel';
    }
    this.mark('ended');
  }

  /** A hold re-INVITE (sendonly), or the one that takes it back (sendrecv). */
  hold(held: boolean): Promise<void> {
    const d = this.dialog;
    if (!d) return Promise.resolve();
    const inv = d.request('INVITE');
    inv.set('contact', this.phone.contact);
    inv.setBody('application/sdp', this.localSdp(held ? 'sendonly' : 'sendrecv'));
    return new Promise((resolve) => {
      this.phone.stack.request(inv, d.peer, {
        onResponse: (res) => {
          if (res.status < 200) return;
          const ack = d.request('ACK', inv.cseq.seq);
          ack.set('via', this.phone.stack.via(d.peer));
          this.phone.stack.sendRaw(ack, d.peer);
          resolve();
        },
        onTimeout: () => resolve(),
      });
    });
  }

  /** Sends a tone of `hz` for `ms` (the negotiated codec). */
  async speak(hz: number, ms: number): Promise<void> {
    await this.phone.player.play(
      this.rtp,
      [{ kind: 'tone', frequencies: [hz], durationMs: ms, levelDbm0: -10 }],
      {
        codec: this.codec,
      },
    ).done;
  }

  async sendDigits(digits: string): Promise<void> {
    for (const d of digits) await sendDtmf(this.rtp, d, { durationMs: 120, payloadType: 101 });
  }

  /** Whether the last `ms` of received audio hold a tone of `hz` (most of the power in it). */
  hearsNow(hz: number, ms = 400): boolean {
    const frames = Math.ceil(ms / 20);
    const recent = this.audio.slice(-frames);
    if (recent.length < frames / 2) return false;
    const samples = new Int16Array(recent.reduce((n, a) => n + a.length, 0));
    let i = 0;
    for (const a of recent) {
      samples.set(a, i);
      i += a.length;
    }
    let energy = 0;
    for (const s of samples) energy += s * s;
    if (energy / samples.length < 100) return false;
    return goertzelPower(samples, hz) / ((energy * samples.length) / 2) > 0.5;
  }

  /** Waits until the phone hears `hz` (or gives up: false). */
  async hears(hz: number, timeoutMs = 3000): Promise<boolean> {
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      if (this.hearsNow(hz)) return true;
      await new Promise((r) => setTimeout(r, 50));
    }
    return false;
  }

  close(): void {
    void this.rtp.close();
  }
}

export class SipPhone extends EventEmitter<{ call: [PhoneCall] }> implements TransactionUser {
  readonly stack: SipStack;
  readonly player = new Player();
  readonly dialogs = new Map<string, PhoneCall>();
  readonly incoming: PhoneCall[] = [];
  /** NOTIFY requests received (BLF, check-sync ...). */
  readonly notifies: SipRequest[] = [];
  private readonly pending = new Map<ServerTransaction, PhoneCall>();
  private readonly calls: PhoneCall[] = [];
  /** How each call we place answers a digest challenge. */
  private readonly reauth = new WeakMap<PhoneCall, (challenge: SipResponse) => SipRequest>();

  private constructor(
    private server: Peer,
    port: number,
  ) {
    super();
    this.stack = new SipStack({ host: '127.0.0.1', port, timers: { T1: 100, T2: 400, T4: 500 } });
    this.stack.setUser(this);
  }

  /** A phone on `port` (0: any) that talks to the adapter's SIP port. */
  static async open(adapterPort: number, port = 0): Promise<SipPhone> {
    const p = new SipPhone({ transport: 'udp', address: '127.0.0.1', port: adapterPort }, port);
    await p.stack.start();
    return p;
  }

  get port(): number {
    return this.stack.port;
  }

  /** Talks to the adapter on `port` from now on (a carrier phone opened before the adapter). */
  aim(port: number): void {
    this.server = { ...this.server, port };
  }

  get contact(): string {
    return `<sip:phone@127.0.0.1:${this.port}>`;
  }

  private async rtp(): Promise<RtpSession> {
    const socket = dgram.createSocket('udp4');
    await new Promise<void>((r) => socket.bind(0, '127.0.0.1', () => r()));
    return new RtpSession(socket);
  }

  /** Calls `user` at the adapter (as the carrier, or with an account's credentials). */
  async call(
    user: string,
    opts: {
      from?: string;
      display?: string;
      clir?: boolean;
      credentials?: Credentials;
      replaces?: string;
    } = {},
  ): Promise<PhoneCall> {
    const call = new PhoneCall(this, await this.rtp(), null);
    this.calls.push(call);
    const domain = opts.credentials?.domain ?? 'carrier.test';
    const fromUser = opts.credentials?.name ?? opts.from ?? 'anonymous';
    const uri = `sip:${user}@${domain}`;
    const callId = `${randomToken(10)}@test`;
    const fromTag = randomToken(6);
    let cseq = 1;
    const invite = (auth?: { header: string; value: string }) => {
      const req = new SipRequest('INVITE', uri);
      const from = opts.clir ? 'sip:anonymous@anonymous.invalid' : `sip:${fromUser}@${domain}`;
      req.set('from', `${opts.display ? `"${opts.display}" ` : ''}<${from}>;tag=${fromTag}`);
      req.set('to', `<${uri}>`);
      req.set('call-id', callId);
      req.set('cseq', `${cseq} INVITE`);
      req.set('contact', this.contact);
      if (opts.clir) req.set('privacy', 'id');
      if (opts.replaces) req.set('replaces', opts.replaces);
      if (auth) req.set(auth.header, auth.value);
      req.setBody('application/sdp', call.localSdp());
      return req;
    };
    const send = (req: SipRequest) => {
      call.inviteTx = this.stack.request(req, this.server, {
        onResponse: (res) => this.response(call, req, res, send, () => ++cseq),
        onTimeout: () => {
          call.endedWith = 408;
          call.mark('ended');
        },
      });
    };
    const authed = (challenge: SipResponse): SipRequest => {
      const header = challenge.status === 407 ? 'proxy-authenticate' : 'www-authenticate';
      const value = digestAnswer(challenge.get(header) ?? '', opts.credentials!, 'INVITE', uri);
      return invite({ header: challenge.status === 407 ? 'proxy-authorization' : 'authorization', value });
    };
    this.reauth.set(call, authed);
    send(invite());
    return call;
  }

  private response(
    call: PhoneCall,
    req: SipRequest,
    res: SipResponse,
    send: (r: SipRequest) => void,
    nextSeq: () => number,
  ): void {
    if (res.status === 180) call.mark('ringing');
    else if (res.status === 183) {
      if (res.body.length > 0) call.media(res.body.toString());
      call.mark('early');
    } else if ((res.status === 401 || res.status === 407) && !call.seen.includes('ended')) {
      nextSeq();
      // One answer to the challenge; a second challenge ends the call.
      const again = this.reauth.get(call);
      this.reauth.delete(call);
      if (again) send(again(res));
      else {
        call.endedWith = res.status;
        call.mark('ended');
      }
    } else if (res.status >= 200 && res.status < 300) {
      if (call.dialog) return;
      call.dialog = new Dialog(
        req.callId,
        tagOf(req.get('from')) ?? '',
        tagOf(res.get('to')) ?? '',
        withoutTag(req.get('from') ?? ''),
        withoutTag(res.get('to') ?? ''),
        contactUri(res.get('contact')) ?? req.uri,
        [],
        this.server,
        req.cseq.seq,
      );
      this.dialogs.set(call.dialog.localTag, call);
      const ack = call.dialog.request('ACK', req.cseq.seq);
      ack.set('via', this.stack.via(this.server));
      this.stack.sendRaw(ack, this.server);
      if (res.body.length > 0) call.media(res.body.toString());
      if (call.seen.includes('ended')) {
        // A CANCEL lost the race with the answer: end it with BYE.
        this.stack.request(call.dialog.request('BYE'), this.server, {
          onResponse: () => undefined,
          onTimeout: () => undefined,
        });
        return;
      }
      call.mark('answered');
    } else if (res.status >= 300 && !call.seen.includes('ended')) {
      call.endedWith = res.status;
      call.mark('ended');
    }
  }

  /** The next call the adapter places to this phone. */
  nextCall(timeoutMs = 5000): Promise<PhoneCall> {
    const have = this.incoming.shift();
    if (have) return Promise.resolve(have);
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('phone: no call came')), timeoutMs);
      this.once('call', () => {
        clearTimeout(t);
        resolve(this.incoming.shift()!);
      });
    });
  }

  /** REGISTER with digest credentials; answers the final status. */
  register(account: Credentials, expires = 300): Promise<number> {
    const uri = `sip:${account.domain}`;
    const aor = `<sip:${account.name}@${account.domain}>`;
    const callId = `${randomToken(10)}@test`;
    let cseq = 1;
    const make = (auth?: string) => {
      const req = new SipRequest('REGISTER', uri);
      req.set('from', `${aor};tag=${randomToken(6)}`);
      req.set('to', aor);
      req.set('call-id', callId);
      req.set('cseq', `${cseq++} REGISTER`);
      req.set('contact', `<sip:${account.name}@127.0.0.1:${this.port}>`);
      req.set('expires', String(expires));
      if (auth) req.set('authorization', auth);
      return req;
    };
    return new Promise((resolve) => {
      const send = (req: SipRequest, retried: boolean) =>
        this.stack.request(req, this.server, {
          onResponse: (res) => {
            if (res.status < 200) return;
            if (res.status === 401 && !retried) {
              send(make(digestAnswer(res.get('www-authenticate') ?? '', account, 'REGISTER', uri)), true);
              return;
            }
            resolve(res.status);
          },
          onTimeout: () => resolve(408),
        });
      send(make(), false);
    });
  }

  /** SUBSCRIBE to a number's dialog state (BLF), or a mailbox's message summary (MWI); answers the final status. */
  subscribe(
    number: string,
    account: Credentials,
    event: 'dialog' | 'message-summary' = 'dialog',
  ): Promise<number> {
    const uri = `sip:${number}@${account.domain}`;
    const from = `<sip:${account.name}@${account.domain}>`;
    const callId = `${randomToken(10)}@test`;
    const tag = randomToken(6);
    let cseq = 1;
    const make = (auth?: string) => {
      const req = new SipRequest('SUBSCRIBE', uri);
      req.set('from', `${from};tag=${tag}`);
      req.set('to', `<${uri}>`);
      req.set('call-id', callId);
      req.set('cseq', `${cseq++} SUBSCRIBE`);
      req.set('contact', this.contact);
      req.set('event', event);
      req.set('expires', '300');
      if (auth) req.set('authorization', auth);
      return req;
    };
    return new Promise((resolve) => {
      const send = (req: SipRequest, retried: boolean) =>
        this.stack.request(req, this.server, {
          onResponse: (res) => {
            if (res.status < 200) return;
            if (res.status === 401 && !retried) {
              send(make(digestAnswer(res.get('www-authenticate') ?? '', account, 'SUBSCRIBE', uri)), true);
              return;
            }
            resolve(res.status);
          },
          onTimeout: () => resolve(408),
        });
      send(make(), false);
    });
  }

  // ------------------------------------------------------ TransactionUser --

  onRequest(tx: ServerTransaction): void {
    const req = tx.request;
    const toTag = tagOf(req.get('to'));
    if (req.method === 'INVITE' && !toTag) {
      void this.rtp().then((rtp) => {
        const call = new PhoneCall(this, rtp, req);
        call.uasTx = tx;
        if (req.body.length > 0) call.media(req.body.toString());
        this.calls.push(call);
        this.pending.set(tx, call);
        this.incoming.push(call);
        this.emit('call', call);
      });
      return;
    }
    const call = toTag ? this.dialogs.get(toTag) : undefined;
    switch (req.method) {
      case 'BYE':
        tx.respond(200, 'OK');
        if (call) {
          call.endedWith = 'bye';
          call.mark('ended');
        }
        return;
      case 'INVITE':
        if (!call) {
          tx.respond(481, 'Call/Transaction Does Not Exist');
          return;
        }
        if (req.body.length > 0) {
          const sdp = req.body.toString();
          const held = /a=(sendonly|inactive)/.test(sdp);
          call.mark(held ? 'hold' : 'unhold');
          call.media(sdp);
        }
        tx.respond(200, 'OK', { headers: { contact: this.contact }, body: call.localSdp() });
        return;
      case 'NOTIFY':
        this.notifies.push(req);
        tx.respond(200, 'OK');
        return;
      default:
        tx.respond(200, 'OK');
    }
  }

  onAck(): void {}

  onCancel(invite: ServerTransaction): void {
    invite.respond(487, 'Request Terminated');
    const call = this.pending.get(invite);
    if (call) {
      call.endedWith = 'cancel';
      call.mark('ended');
    }
  }

  /** Waits for a NOTIFY matching `pred`. */
  async notified(pred: (n: SipRequest) => boolean, timeoutMs = 3000): Promise<SipRequest> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const n = this.notifies.find(pred);
      if (n) return n;
      if (Date.now() > until) throw new Error('phone: no such NOTIFY');
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  async close(): Promise<void> {
    for (const c of this.calls) c.close();
    await this.stack.stop();
  }
}
