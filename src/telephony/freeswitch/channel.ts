/**
 * Applications on a leg's FreeSWITCH channel, for the media port and the
 * fax (media.ts, fax.ts).
 */
import type Mrf from 'drachtio-fsmrf';
import type { Leg } from '../adapter.js';

/**
 * Runs an application on the leg's channel; null when the leg or the
 * channel goes first (its socket closes, and FreeSWITCH's completion event
 * never comes).
 */
export function execute(leg: Leg, ep: Mrf.Endpoint, app: string, arg: string): Promise<Mrf.EslEvent | null> {
  return new Promise((resolve, reject) => {
    const gone = () => {
      ep.removeListener('destroy', gone);
      leg.removeListener('ended', gone);
      resolve(null);
    };
    ep.once('destroy', gone);
    leg.once('ended', gone);
    ep.execute(app, arg).then(
      (evt) => {
        ep.removeListener('destroy', gone);
        leg.removeListener('ended', gone);
        resolve(evt);
      },
      (err: unknown) => {
        ep.removeListener('destroy', gone);
        leg.removeListener('ended', gone);
        reject(err instanceof Error ? err : new Error(String(err)));
      },
    );
  });
}

/** Ends the application the channel runs now (playback, record, rxfax/txfax). */
export function breakChannel(ep: Mrf.Endpoint): void {
  void ep.api('uuid_break', `${ep.uuid} all`).catch(() => undefined);
}
