/**
 * What the call engine asks of the configuration (implemented over the
 * services by telephony/platform/call-directory.ts): who owns a number, the
 * routing plan of a call to it, and the outgoing-call policy of a user.
 */
import type { CallFilter } from '../../domain/policy/call-filter.js';
import type { EmergencyInfo } from '../../domain/policy/emergency.js';
import type { ExtensionScope } from '../../domain/policy/extension.js';
import type { ZoneFilter } from '../../domain/policy/zone-filter.js';
import type { IncomingCall, RoutingPlan } from '../../domain/routing/types.js';

export interface NumberOwner {
  number: string;
  owner: string;
  partnerId: string | null;
}

export interface InboundPlan extends NumberOwner {
  plan: RoutingPlan;
}

export interface OutboundPolicy {
  owner: string;
  partnerId: string | null;
  /** The user's numbers (E.164), first = default caller id. */
  numbers: string[];
  /** Dialplan v1 (spec 4.2): short dialling prefix, shown number, CLIR. */
  dialPrefix: string | null;
  clipNumber: string | null;
  clir: boolean;
  /** P-Asserted-Identity of the shown number (spec 3.9 p_asserted_identity). */
  assertedIdentity: string | null;
  callFilter: CallFilter | null;
  usergroup: string | null;
  /** Concurrent-call limit of the usergroup; null = none. */
  callLimit: number | null;
  zoneFilter: ZoneFilter | null;
  extensions: ExtensionScope | null;
  emergency: EmergencyInfo | null;
}

export interface CallDirectory {
  /** The routing plan of a call to one of the platform's numbers, or null for an unknown number. */
  inboundPlan(number: string, call: IncomingCall, nowMs: number): Promise<InboundPlan | null>;
  /** SIP accounts of a user (to ring a user reached by extension). */
  accountsOf(userId: string): Promise<string[]>;
  /** The owner of a SIP account, or null. */
  accountOwner(account: string): Promise<string | null>;
  outboundPolicy(userId: string, account: string): Promise<OutboundPolicy>;
  /** Whether a SIP account watches a number (BLF, spec 3.21) and so may pick its calls up. */
  watches(account: string, number: string): Promise<boolean>;
  /** The calling name (CNAM, spec 10) the callee's user sees for a caller number. */
  callingName(userId: string, caller: string): Promise<string | null>;
}
