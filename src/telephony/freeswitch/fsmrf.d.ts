/**
 * The part of drachtio-fsmrf 4.1 (no types of its own) the FreeSWITCH
 * adapter uses: a MediaServer reached over the event socket, whose
 * Endpoints are FreeSWITCH channels driven by an outbound socket each.
 */
declare module 'drachtio-fsmrf' {
  import type { EventEmitter } from 'node:events';
  import type Srf from 'drachtio-srf';

  namespace Mrf {
    interface EslEvent {
      getHeader(name: string): string | undefined;
      getBody(): string;
    }

    interface Endpoint extends EventEmitter {
      readonly uuid: string;
      readonly local: { sdp: string };
      readonly remote: { sdp: string };
      readonly dialog: Srf.Dialog;
      readonly sip: { callId?: string };
      play(file: string | string[]): Promise<{ playbackMilliseconds?: string }>;
      execute(app: string, arg?: string): Promise<EslEvent>;
      api(command: string, args?: string | string[]): Promise<EslEvent>;
      set(param: string | Record<string, string>, value?: string): Promise<unknown>;
      bridge(other: Endpoint | string): Promise<void>;
      unbridge(): Promise<void>;
      modify(sdp: string): Promise<string>;
      destroy(): Promise<void>;
      addCustomEventListener(event: string, handler: (body: unknown, evt: EslEvent) => void): void;
    }

    interface MediaServer extends EventEmitter {
      readonly address: string;
      createEndpoint(opts?: {
        remoteSdp?: string;
        codecs?: string[];
        headers?: Record<string, string>;
      }): Promise<Endpoint>;
      api(command: string): Promise<string>;
      connected(): boolean;
      disconnect(): void;
    }

    interface ConnectOptions {
      address: string;
      port?: number;
      secret?: string;
      listenAddress?: string;
      listenPort?: number;
      advertisedAddress?: string;
      advertisedPort?: number;
      profile?: string;
    }
  }

  class Mrf extends EventEmitter {
    constructor(srf: Srf, opts?: { customEvents?: string[] });
    connect(opts: Mrf.ConnectOptions): Promise<Mrf.MediaServer>;
  }

  export = Mrf;
}
