/**
 * The call engine: takes every inbound leg from the signalling port and
 * runs it as a carrier call to a number or a call placed by a SIP account.
 * Holds nothing but the set of live calls; all configuration comes through
 * the directory, all signalling and media through the ports.
 */
import { CAUSE, type InboundLeg, type MediaPort, type SignalingPort } from '../ports.js';
import type { CallLimiter } from '../../store/redis/call-limit.js';
import type { CreditStore } from '../../store/redis/credit.js';
import { CdrWriter, type CdrSink } from './cdr-writer.js';
import type { DialplanCalls } from './dialplan-calls.js';
import type { CallDirectory } from './directory.js';
import { handleInboundCall } from './inbound-call.js';
import type { Logger } from './logger.js';
import { handleAccountCall } from './outbound-call.js';
import { PickupRegistry, type CallPresence } from './presence.js';
import type { VoiceDirectory } from './voice/voice-directory.js';

export interface CallEngineDeps {
  signaling: SignalingPort;
  media: MediaPort;
  directory: CallDirectory;
  cdrSink: CdrSink;
  credit: CreditStore;
  limiter: CallLimiter;
  domain: string;
  /** BLF watchers of numbers (null: no dialog event server). */
  presence: CallPresence | null;
  /** Announcements, prompts, IVRs, recordings and unlock codes of the voice features. */
  voice: VoiceDirectory;
  /** Call-through and call-reverse of the users' dialplans (spec 4.2); absent: not served. */
  dialplan?: DialplanCalls;
  log: Logger;
}

export class CallEngine {
  private readonly live = new Set<InboundLeg>();
  private readonly cdrs: CdrWriter;
  private readonly pickups = new PickupRegistry();

  constructor(private readonly d: CallEngineDeps) {
    this.cdrs = new CdrWriter(d.cdrSink, d.log);
  }

  get activeCalls(): number {
    return this.live.size;
  }

  start(): void {
    this.d.signaling.onInbound((leg) => this.accept(leg));
  }

  private accept(leg: InboundLeg): void {
    this.live.add(leg);
    leg.once('ended', () => this.live.delete(leg));
    const deps = { ...this.d, cdrs: this.cdrs, pickups: this.pickups };
    const run = leg.info.origin === 'trunk' ? handleInboundCall(leg, deps) : handleAccountCall(leg, deps);
    run.catch((err: unknown) => {
      this.d.log.error({ err, leg: leg.id }, 'call failed');
      leg.hangup(CAUSE.failure);
    });
  }

  /** Ends every live call (shutdown). */
  hangupAll(): void {
    for (const leg of [...this.live]) leg.hangup(CAUSE.normal);
  }
}
