/** What the engine's call flows share: the adapter's ports, the platform's directories, the node's registries. */
import type { CallLimiter } from '../../store/redis/call-limit.js';
import type { CreditStore } from '../../store/redis/credit.js';
import type { AccountRef, InboundLeg, Logger, MediaPort, PresencePort } from '../adapter.js';
import type { Call, CallParties } from '../call/call.js';
import type { CallreverseHost } from './callreverse.js';
import type { CdrWriter } from './cdr-writer.js';
import type { ConferenceHost } from './conference-types.js';
import type { CallDirectory, InboundPlan } from './directory.js';
import type { FaxReceiveDeps } from './fax-types.js';
import type { PickupRegistry } from './presence.js';
import type { VoiceDirectory } from './voice/voice-directory.js';

export interface EngineContext {
  media: MediaPort;
  /** BLF watchers of numbers. */
  presence: PresencePort | null;
  directory: CallDirectory;
  cdrs: CdrWriter;
  pickups: PickupRegistry;
  voice: VoiceDirectory;
  limiter: CallLimiter;
  credit: CreditStore;
  /** Call-through and call-reverse of the users' dialplans (spec 4.2); absent: not served. */
  dialplan?: DialplanHooks;
  /** Conference dial-in (spec 3.17); absent: conference numbers are served as before (voice box or refused). */
  conferences?: ConferenceHost;
  /** The call API (spec 3.24) for numbers with call_enable; absent: not served. */
  callApi?: CallApiHooks;
  /** Fax reception on fax_enable numbers (fax-line.ts); absent: such calls are not served. */
  fax?: FaxReceiveDeps;
  log: Logger;
  /** A new call of this node, registered (outgoing calls: callback; the call API later). */
  newCall(parties: CallParties, uuid?: string): Call;
}

/** The dialplan v1 call functions (dialplan-calls.ts) as the flows call them. */
export interface DialplanHooks extends CallreverseHost {
  /** A carrier call to a dialplan number that a call-reverse or call-through takes; true when taken. */
  interceptInbound(call: Call, leg: InboundLeg, plan: InboundPlan, d: EngineContext): Promise<boolean>;
  /** A call from a SIP account that starts the user's call-through (`*98`); true when taken. */
  interceptAccount(call: Call, leg: InboundLeg, account: AccountRef, d: EngineContext): Promise<boolean>;
}

/** What the engine's flows use of the call API (call-api.ts). */
export interface CallApiHooks {
  /** Serves an incoming call to a call-API number; resolves when the call ended. */
  serveInbound(call: Call, leg: InboundLeg, owner: string): Promise<void>;
}
