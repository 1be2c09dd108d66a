/**
 * A carrier for the drachtio + FreeSWITCH adapter's looped trunk: an
 * application on a second drachtio-server (CONTRACT_NODE_DRACHTIO, its SIP
 * address CONTRACT_NODE_SIP; drachtio-server sends no request to its own
 * host) that calls each number back on the first drachtio-server (DRACHTIO_SIP)
 * as a back-to-back user agent: a Call-ID of its own (one drachtio-server
 * holding both ends of one Call-ID cannot tell their in-dialog requests
 * apart), the re-INVITEs (to T.38 and back), their refusals and the BYEs
 * passed on. Like a carrier's network it anchors the media: each call's RTP
 * and UDPTL go through two sockets of this process, which can lose a share
 * of the UDPTL datagrams each way (the caller's to the callee, and back).
 */
import dgram from 'node:dgram';
import Srf from 'drachtio-srf';

/** A share of the UDPTL datagrams one side sends that the carrier loses, and the counts. */
export interface CarrierLoss {
  rate: number;
  random: () => number;
  sent: number;
  dropped: number;
  /** Called with the count after each datagram this side sends. */
  onSent?: (sent: number) => void;
}

interface Address {
  address: string;
  port: number;
}

/** The connection address and the first media port of an SDP. */
function mediaOf(sdp: string): Address | null {
  const c = /^c=IN IP4 (\S+)/m.exec(sdp)?.[1];
  const port = Number(/^m=\S+ (\d+)/m.exec(sdp)?.[1]);
  return c && port > 0 ? { address: c, port } : null;
}

/** The SDP with every connection address and every media port (not rejected ones) set to `to`. */
function rewrite(sdp: string, to: Address): string {
  return sdp
    .replace(/^c=IN IP4 \S+/gm, `c=IN IP4 ${to.address}`)
    .replace(/^(m=\S+ )([1-9]\d*)/gm, `$1${to.port}`);
}

const isT38 = (sdp: string) => /^m=image [1-9]/m.test(sdp);

/** The media of one call: `a` faces the caller (it is the callee to it), `b` the callee. */
class Relay {
  private readonly a = dgram.createSocket('udp4');
  private readonly b = dgram.createSocket('udp4');
  /** Where the caller and the callee receive, from their latest SDP. */
  caller: Address | null = null;
  callee: Address | null = null;
  /** The call moved to T.38 (an answer with image media). */
  t38 = false;

  constructor(
    private readonly lossOut: CarrierLoss | undefined,
    private readonly lossBack: CarrierLoss | undefined,
  ) {
    this.a.on('message', (msg) => this.pass(msg, this.b, this.callee, this.lossOut));
    this.b.on('message', (msg) => this.pass(msg, this.a, this.caller, this.lossBack));
  }

  async open(): Promise<this> {
    const bind = (s: dgram.Socket) => new Promise<void>((resolve) => s.bind(0, '127.0.0.1', resolve));
    await Promise.all([bind(this.a), bind(this.b)]);
    return this;
  }

  /** What the caller is told the callee's media is, and the callee the caller's. */
  get towardCaller(): Address {
    return { address: '127.0.0.1', port: this.a.address().port };
  }

  get towardCallee(): Address {
    return { address: '127.0.0.1', port: this.b.address().port };
  }

  private pass(msg: Buffer, via: dgram.Socket, to: Address | null, loss: CarrierLoss | undefined): void {
    if (!to) return;
    if (this.t38 && loss) {
      loss.sent++;
      loss.onSent?.(loss.sent);
      if (loss.random() < loss.rate) {
        loss.dropped++;
        return;
      }
    }
    via.send(msg, to.port, to.address);
  }

  close(): void {
    for (const s of [this.a, this.b]) {
      try {
        s.close();
      } catch {
        // closed already
      }
    }
  }
}

/** The user part of a SIP URI or name-addr. */
const userOf = (v: string | undefined) => /sips?:([^@;>]+)@/.exec(v ?? '')?.[1] ?? '';

/**
 * Starts the carrier; `lossOf(number)` is the loss of the datagrams the
 * party with that number sends (the caller's number in From, the callee's
 * in the request URI), or none.
 */
export async function drachtioCarrier(
  lossOf: (number: string) => CarrierLoss | undefined = () => undefined,
): Promise<{ sip: string; close: () => void }> {
  const env = process.env;
  const admin = env['CONTRACT_NODE_DRACHTIO'] ?? '127.0.0.1:9023';
  const sip = env['CONTRACT_NODE_SIP'] ?? '127.0.0.2:5072';
  const back = env['DRACHTIO_SIP'] ?? '127.0.0.1:5070';
  const [host, port] = admin.split(':') as [string, string];
  const srf = new Srf();
  await new Promise<void>((resolve, reject) => {
    srf.once('connect', (err: Error | null) => (err ? reject(err) : resolve()));
    srf.once('error', (err: Error) => reject(err));
    void srf.connect({ host, port: Number(port), secret: env['DRACHTIO_SECRET'] ?? 'cymru' });
  });
  const relays = new Set<Relay>();
  srf.invite((req, res) => {
    const callee = userOf(req.uri);
    void (async () => {
      const relay = await new Relay(lossOf(userOf(req.get('From'))), lossOf(callee)).open();
      relays.add(relay);
      const done = () => {
        relay.close();
        relays.delete(relay);
      };
      relay.caller = mediaOf(req.body);
      try {
        const { uas, uac } = await srf.createB2BUA(req, res, `sip:${callee}@${back}`, {
          localSdpB: rewrite(req.body, relay.towardCallee),
          localSdpA: (sdp: string) => {
            relay.callee = mediaOf(sdp);
            return rewrite(sdp, relay.towardCaller);
          },
        });
        // A re-INVITE from one side: its media as the other side sees it, the answer likewise back.
        const pass = (from: Srf.Dialog, to: Srf.Dialog, fromCaller: boolean) => {
          from.on('destroy', () => {
            to.destroy();
            done();
          });
          from.on('modify', (r: Srf.SrfRequest, rs: Srf.SrfResponse) => {
            if (fromCaller) relay.caller = mediaOf(r.body);
            else relay.callee = mediaOf(r.body);
            to.modify(rewrite(r.body, fromCaller ? relay.towardCallee : relay.towardCaller)).then(
              (answer) => {
                if (fromCaller) relay.callee = mediaOf(answer);
                else relay.caller = mediaOf(answer);
                relay.t38 = isT38(answer);
                rs.send(200, {
                  body: rewrite(answer, fromCaller ? relay.towardCaller : relay.towardCallee),
                  headers: { 'Content-Type': 'application/sdp' },
                });
              },
              (err: { status?: number }) => rs.send(err.status ?? 500),
            );
          });
        };
        pass(uas, uac, true);
        pass(uac, uas, false);
      } catch {
        done();
      }
    })();
  });
  return {
    sip,
    close: () => {
      for (const r of relays) r.close();
      srf.disconnect();
    },
  };
}
