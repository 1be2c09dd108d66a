import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { CdrServiceName } from '../domain/cdr/cdr.js';
import { RateWindow } from './rate-window.js';

/**
 * Who a call is between: `inbound` from a carrier trunk to one of the
 * platform's numbers, `outbound` from a user (softphone, dialplan forward,
 * call-through, callback, fax) toward a carrier trunk, `internal` between
 * two parties on the platform (account to account, extension, own number).
 */
export type CallDirection = 'inbound' | 'outbound' | 'internal';

/** A call as the metrics see it: labels only, in the spec's CDR words (spec 9.1.4 `service`). */
export interface CallLabels {
  direction: CallDirection;
  service: CdrServiceName;
}

/** How a call ended: the Q.850 cause (RFC 3398 maps SIP statuses to it) and whether it was answered. */
export interface CallEnd {
  /** Q.850 cause value 0...127. */
  q850: number;
  /** Seconds from answer to end; absent for a call never answered (a failure). */
  answeredSeconds?: number;
}

/** Outcome of one REGISTER transaction as the registrar answered it (RFC 3261 §10.3). */
export type RegisterResult = 'ok' | 'challenged' | 'forbidden' | 'not-found' | 'error';

/**
 * What the SIP password guard counts by (the guard itself is in
 * store/redis/auth-guard.ts): the source address, the account, or the pair.
 */
export type AuthScope = 'source' | 'account' | 'source_account';

/** RTP counters of media channels, as deltas since the channel's last report. */
export interface RtpReport {
  received: number;
  sent: number;
  /** Sequence numbers never received (RFC 3550 §6.4.1 cumulative lost). */
  lost: number;
  /** Packets that came after their playout point and were dropped. */
  late: number;
}

/**
 * The small interface the call engine updates. Each method is cheap (in
 * memory, no I/O): call it on the event itself, not in a loop. The engine
 * gets it as `services.metrics.telephony`.
 */
export interface TelephonyMetrics {
  /** A call attempt began: counted, and active until callEnded. */
  callStarted(call: CallLabels): void;
  callAnswered(call: CallLabels): void;
  /** Every callStarted is matched by exactly one callEnded. */
  callEnded(call: CallLabels, end: CallEnd): void;
  registerAnswered(result: RegisterResult): void;
  /** Report a channel's RTP counters (deltas) periodically and when it closes. */
  rtp(report: RtpReport): void;
  /** A failed digest authentication, counted by what the guard charged it to. */
  authFailure(scope: AuthScope): void;
  /** The guard started refusing a source, an account or a pair. */
  authBlocked(scope: AuthScope): void;
}

/** The telephony metrics' definitions; gauges sampled from Redis are set by probes. */
export class TelephonyMetricSet implements TelephonyMetrics {
  readonly active: Gauge<'direction' | 'service'>;
  readonly attempts: Counter<'direction' | 'service'>;
  readonly answered: Counter<'direction' | 'service'>;
  readonly failures: Counter<'direction' | 'service' | 'cause'>;
  readonly duration: Histogram<'direction' | 'service'>;
  readonly callsPerSecond: Gauge;
  /** Live SIP bindings of every node (sampled from the location service in Redis). */
  readonly registrations: Gauge;
  readonly registerRequests: Counter<'result'>;
  readonly rtpPackets: Counter<'direction'>;
  readonly rtpLost: Counter;
  readonly rtpLate: Counter;
  readonly authFailures: Counter<'scope'>;
  readonly authBlocks: Counter<'scope'>;
  /** Sources, accounts and pairs refused right now (sampled from the guard). */
  readonly authBlockedNow: Gauge;
  private readonly cps: RateWindow;

  constructor(registry: Registry, now: () => number = Date.now) {
    const registers = [registry];
    const cps = new RateWindow(10, now);
    this.cps = cps;
    this.active = new Gauge({
      name: 'callplane_calls_active',
      help: 'Calls in progress on this node (ringing or answered), by direction and service',
      labelNames: ['direction', 'service'],
      registers,
    });
    this.attempts = new Counter({
      name: 'callplane_call_attempts_total',
      help: 'Call attempts, by direction and service',
      labelNames: ['direction', 'service'],
      registers,
    });
    this.answered = new Counter({
      name: 'callplane_calls_answered_total',
      help: 'Calls answered, by direction and service',
      labelNames: ['direction', 'service'],
      registers,
    });
    this.failures = new Counter({
      name: 'callplane_call_failures_total',
      help: 'Calls that ended without being answered, by direction, service and Q.850 cause value',
      labelNames: ['direction', 'service', 'cause'],
      registers,
    });
    this.duration = new Histogram({
      name: 'callplane_call_duration_seconds',
      help: 'Answered time of calls, by direction and service',
      labelNames: ['direction', 'service'],
      buckets: [5, 15, 30, 60, 120, 300, 600, 1800, 3600],
      registers,
    });
    this.callsPerSecond = new Gauge({
      name: 'callplane_calls_per_second',
      help: 'Call attempts per second on this node over the last 10 s',
      registers,
      collect() {
        this.set(cps.perSecond());
      },
    });
    this.registrations = new Gauge({
      name: 'callplane_sip_registrations',
      help: 'Live SIP registrations (bindings) of all nodes, from the location service',
      registers,
    });
    this.registerRequests = new Counter({
      name: 'callplane_sip_register_requests_total',
      help: 'REGISTER requests answered by this node, by result',
      labelNames: ['result'],
      registers,
    });
    this.rtpPackets = new Counter({
      name: 'callplane_rtp_packets_total',
      help: 'RTP packets of all media channels of this node, by direction (received, sent)',
      labelNames: ['direction'],
      registers,
    });
    this.rtpLost = new Counter({
      name: 'callplane_rtp_packets_lost_total',
      help: 'RTP packets lost on the way in (sequence gaps), all media channels',
      registers,
    });
    this.rtpLate = new Counter({
      name: 'callplane_rtp_packets_late_total',
      help: 'RTP packets that arrived too late to be played, all media channels',
      registers,
    });
    this.authFailures = new Counter({
      name: 'callplane_sip_auth_failures_total',
      help: 'Failed SIP digest authentications, by what the guard counted them against',
      labelNames: ['scope'],
      registers,
    });
    this.authBlocks = new Counter({
      name: 'callplane_sip_auth_blocks_total',
      help: 'Blocks and back-offs started by the SIP password guard, by scope',
      labelNames: ['scope'],
      registers,
    });
    this.authBlockedNow = new Gauge({
      name: 'callplane_sip_auth_blocked',
      help: 'Sources, accounts and source/account pairs the SIP password guard refuses now',
      registers,
    });
  }

  callStarted(call: CallLabels): void {
    this.cps.add();
    this.attempts.inc({ direction: call.direction, service: call.service });
    this.active.inc({ direction: call.direction, service: call.service });
  }

  callAnswered(call: CallLabels): void {
    this.answered.inc({ direction: call.direction, service: call.service });
  }

  callEnded(call: CallLabels, end: CallEnd): void {
    const labels = { direction: call.direction, service: call.service };
    this.active.dec(labels);
    if (end.answeredSeconds === undefined) {
      const cause = Number.isInteger(end.q850) && end.q850 >= 0 && end.q850 <= 127 ? end.q850 : 127;
      this.failures.inc({ ...labels, cause: String(cause) });
    } else {
      this.duration.observe(labels, Math.max(0, end.answeredSeconds));
    }
  }

  registerAnswered(result: RegisterResult): void {
    this.registerRequests.inc({ result });
  }

  rtp(report: RtpReport): void {
    if (report.received > 0) this.rtpPackets.inc({ direction: 'received' }, report.received);
    if (report.sent > 0) this.rtpPackets.inc({ direction: 'sent' }, report.sent);
    if (report.lost > 0) this.rtpLost.inc(report.lost);
    if (report.late > 0) this.rtpLate.inc(report.late);
  }

  authFailure(scope: AuthScope): void {
    this.authFailures.inc({ scope });
  }

  authBlocked(scope: AuthScope): void {
    this.authBlocks.inc({ scope });
  }
}
