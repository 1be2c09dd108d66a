/**
 * The call engine on the fake adapter, for behaviour tests that run in
 * milliseconds on a fake clock: the configuration is an in-memory
 * directory that routes with the real domain code (dialplans, IVRs,
 * policy), CDRs land in a list, and credit and call limits are the real
 * Redis stores under a random prefix.
 */
import { RE2JS } from 're2js';
import { compileDialplanV2 } from '../../src/domain/routing/dialplan-v2.js';
import { routingPlan } from '../../src/domain/routing/routing-plan.js';
import type { DialplanV1, DialplanV2, IvrConfig, PhoneConfig } from '../../src/domain/routing/types.js';
import type { CallApiView } from '../../src/domain/call/call-api.js';
import { connectRedis } from '../../src/lib/redis.js';
import { randomToken } from '../../src/lib/ids.js';
import { CallLimiter } from '../../src/store/redis/call-limit.js';
import { CreditStore } from '../../src/store/redis/credit.js';
import type { AccountRef, MediaRef, RecordedMedia, SystemPrompt } from '../../src/telephony/adapter.js';
import { CallRegistry } from '../../src/telephony/call/registry.js';
import { CallEngine } from '../../src/telephony/engine/call-engine.js';
import type { CdrSink } from '../../src/telephony/engine/cdr-writer.js';
import type { ConferenceHost } from '../../src/telephony/engine/conference-dial-in.js';
import type { CallDirectory, InboundPlan, OutboundPolicy } from '../../src/telephony/engine/directory.js';
import { silentLogger } from '../../src/telephony/engine/logger.js';
import type { VoiceDirectory } from '../../src/telephony/engine/voice/voice-directory.js';
import { deleteKeys } from '../helpers/redis-keys.js';
import { FakeAdapter } from './fake-adapter.js';

const re2 = (pattern: string) => {
  const re = RE2JS.compile(pattern);
  return (text: string) => re.test(text);
};

export interface NumberSetup {
  owner: string;
  phone?: Partial<PhoneConfig>;
  dialplanV2?: DialplanV2;
  dialplanV1?: DialplanV1;
}

export class MemoryDirectory implements CallDirectory {
  readonly numbers = new Map<string, NumberSetup>();
  /** SIP accounts -> owner. */
  readonly accounts = new Map<string, string>();
  readonly policies = new Map<string, Partial<OutboundPolicy>>();
  readonly watchers = new Map<string, string[]>();
  readonly names = new Map<string, string>();
  private cyclic = 0;

  async inboundPlan(
    number: string,
    call: { caller: string | null; clir: boolean },
    nowMs: number,
  ): Promise<InboundPlan | null> {
    const n = this.numbers.get(number);
    if (!n) return null;
    const phone: PhoneConfig = { dialplan: n.dialplanV2 ? 'dp' : null, ...n.phone };
    const dp = n.dialplanV2 ? compileDialplanV2(n.dialplanV2, re2) : null;
    return {
      number,
      owner: n.owner,
      partnerId: null,
      plan: routingPlan({
        number,
        phone,
        call,
        nowMs,
        dialplanV2: dp,
        dialplanV1: n.dialplanV1 ?? null,
        cyclicCounter: this.cyclic++,
      }),
    };
  }

  async accountsOf(userId: string): Promise<string[]> {
    return [...this.accounts].filter(([, o]) => o === userId).map(([a]) => a);
  }

  async accountOwner(account: string): Promise<string | null> {
    return this.accounts.get(account) ?? null;
  }

  async outboundPolicy(userId: string): Promise<OutboundPolicy> {
    return {
      owner: userId,
      partnerId: null,
      numbers: [...this.numbers].filter(([, n]) => n.owner === userId).map(([k]) => k),
      dialPrefix: null,
      clipNumber: null,
      clir: false,
      assertedIdentity: null,
      callFilter: null,
      usergroup: null,
      callLimit: null,
      zoneFilter: null,
      extensions: null,
      emergency: null,
      ...this.policies.get(userId),
    };
  }

  async watches(account: string, number: string): Promise<boolean> {
    return (this.watchers.get(number) ?? []).includes(account);
  }

  async callingName(_userId: string, caller: string): Promise<string | null> {
    return this.names.get(caller) ?? null;
  }
}

export class MemoryVoice implements VoiceDirectory {
  readonly announcements = new Set<string>();
  readonly ivrs = new Map<string, IvrConfig>();
  readonly saved: Array<{ owner: string; from: string; to: string; media: RecordedMedia }> = [];
  readonly unlockCodes = new Map<string, string>();
  readonly unlocked: string[] = [];

  async announcement(_owner: string, uuid: string): Promise<MediaRef | null> {
    return this.announcements.has(uuid) ? { kind: 'announcement', uuid } : null;
  }

  async prompts(): Promise<(name: SystemPrompt) => MediaRef> {
    return (name) => ({ kind: 'prompt', name, language: 'en' });
  }

  async ivr(_owner: string, uuid: string): Promise<IvrConfig | null> {
    return this.ivrs.get(uuid) ?? null;
  }

  async saveRecording(input: {
    owner: string;
    from: string;
    to: string;
    media: RecordedMedia;
  }): Promise<string> {
    this.saved.push(input);
    return `rec-${this.saved.length}`;
  }

  async unlock(number: string, code: string): Promise<boolean> {
    if (this.unlockCodes.get(number) !== code) return false;
    this.unlocked.push(number);
    return true;
  }
}

export interface EngineHarness {
  adapter: FakeAdapter;
  engine: CallEngine;
  registry: CallRegistry;
  directory: MemoryDirectory;
  voice: MemoryVoice;
  cdrs: Array<Parameters<CdrSink['record']>[0]>;
  credit: CreditStore;
  limiter: CallLimiter;
  /** Call API events as published (owner, event, payload), and finished calls' last views. */
  apiEvents: Array<{ owner: string; event: string; payload: Record<string, unknown> }>;
  apiFinished: Array<{ uuid: string; owner: string; view: CallApiView }>;
  /** The call API's store of finished calls: `store` makes it throw, `slow` makes it wait. */
  apiFaults: { store: Error | null; slow: Promise<void> | null };
  /** An account registered on the fake network (its device legs carry this contact). */
  account(name: string, owner: string, contacts?: number): AccountRef;
  close(): Promise<void>;
}

export interface EngineHarnessOptions {
  /** Conference dial-in on the fake adapter's rooms (absent: not served). */
  conferences?: (adapter: FakeAdapter) => ConferenceHost;
}

export async function engineHarness(opts: EngineHarnessOptions = {}): Promise<EngineHarness> {
  const redis = await connectRedis(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379');
  const prefix = `cpt:${randomToken(8)}:`;
  const bindings = new Map<string, string[]>();
  const adapter = new FakeAdapter({
    location: {
      bind: async () => [],
      bindings: async (account) =>
        (bindings.get(account) ?? []).map((contact) => ({
          contact,
          source: '192.0.2.9:5060',
          transport: 'udp' as const,
          expiresAt: Date.now() + 60_000,
          callId: 'reg',
          cseq: 1,
        })),
    },
  });
  const directory = new MemoryDirectory();
  const voice = new MemoryVoice();
  const registry = new CallRegistry('test-node', null, silentLogger);
  const cdrs: EngineHarness['cdrs'] = [];
  let cdrSeq = 0;
  const credit = new CreditStore(redis, prefix);
  const limiter = new CallLimiter(redis, prefix);
  const apiEvents: EngineHarness['apiEvents'] = [];
  const apiFinished: EngineHarness['apiFinished'] = [];
  const apiFaults: EngineHarness['apiFaults'] = { store: null, slow: null };
  const engine = new CallEngine({
    adapter,
    registry,
    directory,
    cdrSink: {
      newId: () => `cdr-${++cdrSeq}`,
      record: async (input) => void cdrs.push(input),
    },
    credit,
    limiter,
    voice,
    ...(opts.conferences ? { conferences: opts.conferences(adapter) } : {}),
    callApi: {
      idleMs: 30_000,
      sink: {
        live: null,
        publish: async (owner, event, payload) => void apiEvents.push({ owner, event, payload }),
        store: async (uuid, owner, view) => {
          if (apiFaults.store) throw apiFaults.store;
          if (apiFaults.slow) await apiFaults.slow;
          apiFinished.push({ uuid, owner, view });
        },
      },
    },
    log: silentLogger,
  });
  engine.start();
  await adapter.start();
  return {
    adapter,
    engine,
    registry,
    directory,
    voice,
    cdrs,
    credit,
    limiter,
    apiEvents,
    apiFinished,
    apiFaults,
    account: (name, owner, contacts = 1) => {
      directory.accounts.set(name, owner);
      bindings.set(
        name,
        Array.from({ length: contacts }, (_, i) => `sip:${name}@192.0.2.${10 + i}:5060`),
      );
      return { name, owner, domain: 'sip.test' };
    },
    close: async () => {
      registry.hangupAll();
      await deleteKeys(redis, prefix);
      redis.disconnect();
    },
  };
}
