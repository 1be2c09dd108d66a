/**
 * Shared fixtures of the routing tests: the spec's own examples (joined across
 * their page breaks) and fast-check arbitraries of valid configurations.
 */
import fc from 'fast-check';
import type {
  DialplanProfile,
  DialplanV1,
  DialplanV2,
  IncomingCall,
  IvrConfig,
  PhoneConfig,
  TimeFilter,
  V1Action,
  Weekday,
} from '../../src/domain/routing/types.js';

/** Spec 4.1 POST /api/dialplan/v2 request example. */
export const SPEC_DIALPLAN_V2: DialplanV2 = JSON.parse(String.raw`{
  "description": "A description text",
  "ringtone": { "announcement": "91e85f5c-b9eb-11e1-8b7e-0024e8f90cc0", "mix": true },
  "profiles": [
    {
      "filter": {
        "caller": "\\+49221.*|\\+4830123456|anonymous",
        "time": {
          "weekdays": ["MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"],
          "time_start": "07:30",
          "time_end": "13:00"
        }
      },
      "linear": {
        "timeout": 7,
        "targets": [
          { "target": "joe_05", "timeout": 5 },
          { "target": "+491771234567", "timeout": 4 }
        ]
      }
    },
    {
      "filter": { "time": { "date": "11.06.2015", "time_start": "07:30", "time_end": "13:00" } },
      "parallel": { "timeout": 10, "targets": ["joe_04", "+491771234567"] }
    },
    {
      "cyclic": {
        "timeout": 7,
        "targets": [
          { "target": "joe_08", "timeout": 4 },
          { "target": "+491771234567", "timeout": 5 }
        ]
      }
    },
    { "record": { "announcement": "b6774686-2bc5-4af0-9dbf-33f4427adbd9" } }
  ]
}`) as DialplanV2;

/** Spec 4.1 GET /api/dialplan/v2/(uuid) response example. */
export const SPEC_DIALPLAN_V2_BUSY: DialplanV2 = {
  description: 'Busy season',
  profiles: [{ reject: {} }],
};

/** Spec 4.2 GET /api/dialplan response example. */
export const SPEC_DIALPLAN_V1: DialplanV1 = {
  announcement: '1de1227a-4f34-11e0-ab6e-0024e8f90cc1',
  mix_ringtone: false,
  clip_number: '+492216698980',
  dial_prefix: '+492216698',
  clir_enable: false,
  cti_via: '+492216698777',
  action: 'none',
  phone: '+492216698999',
  sip: 'joe_01',
  phone_pool: { '+492216698991': true, '+492216698992': false },
  sip_pool: ['joe_08', 'joe_13'],
  callreverse_enable: false,
  timeout: { timeout: 20, action: 'record' },
  unavailable: { action: 'redirect', phone: '+492216698998', sip: 'joe_01' },
  busy: { action: 'sip', sip: 'joe_07' },
};

/** Spec 5.1.1 POST /api/ivr request example. */
export const SPEC_IVR: IvrConfig = {
  description: 'Company Welcome',
  announcement: 'ce19884c-8fed-11e2-93fe-0024e8f90cc1',
  '1': 'ce19884c-8fed-11e2-93fe-0024e8f90cc2',
  '2': 'ce19884c-8fed-11e2-93fe-0024e8f90cc3',
  '4': '+4922116696000',
  '*': 'ce19884c-8fed-11e2-93fe-0024e8f90cc5',
  other: 'repeat',
  timeout: { seconds: 10, action: 'play', announcement: 'ce19884c-8fed-11e2-93fe-0024e8f90cc2' },
};

/** Milliseconds of an ISO instant (UTC). */
export const at = (iso: string): number => Date.parse(iso.endsWith('Z') ? iso : `${iso}Z`);

// ------------------------------------------------------------ arbitraries --

const pad = (n: number): string => String(n).padStart(2, '0');
export const e164 = fc.stringMatching(/^\+49[0-9]{3,12}$/);
export const sipAccount = fc.stringMatching(/^[a-z0-9]{2,6}_[0-9]{2}$/);
const uuid = fc.uuid();
const weekday = fc.constantFrom<Weekday>('MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN');
const dateStr = fc
  .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2040-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => `${pad(d.getUTCDate())}.${pad(d.getUTCMonth() + 1)}.${d.getUTCFullYear()}`);
const timeStr = fc
  .tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }))
  .map(([h, m]) => `${pad(h)}:${pad(m)}`);

export const timeFilterArb: fc.Arbitrary<TimeFilter> = fc.record(
  {
    weekdays: fc.uniqueArray(weekday, { minLength: 1, maxLength: 7 }),
    date: dateStr,
    date_start: dateStr,
    date_end: dateStr,
    time_start: timeStr,
    time_end: timeStr,
  },
  { requiredKeys: [] },
);

const callerRegex = fc.oneof(
  fc.constantFrom('anonymous', '\\+49.*', '+49.*', '\\+4922[0-9]*|anonymous', '.*', '\\+1.*'),
  e164.map((n) => n.replace('+', '\\+')),
);
const timeout = fc.oneof(fc.integer({ min: -5, max: 120 }), fc.constant(0.5));
const target = fc.oneof(e164, sipAccount);
const timed = fc.record({ target, timeout }, { requiredKeys: ['target'] });

const action: fc.Arbitrary<Omit<DialplanProfile, 'filter'>> = fc.oneof(
  fc.constant({ reject: {} }),
  fc.record({ announcement: uuid }, { requiredKeys: [] }).map((record) => ({ record })),
  fc
    .record(
      { timeout, targets: fc.array(target, { minLength: 1, maxLength: 5 }) },
      { requiredKeys: ['targets'] },
    )
    .map((parallel) => ({ parallel })),
  fc
    .record(
      { timeout, targets: fc.array(timed, { minLength: 1, maxLength: 5 }) },
      { requiredKeys: ['targets'] },
    )
    .map((linear) => ({ linear })),
  fc
    .record(
      { timeout, targets: fc.array(timed, { minLength: 1, maxLength: 5 }) },
      { requiredKeys: ['targets'] },
    )
    .map((cyclic) => ({ cyclic })),
);

export const profileArb: fc.Arbitrary<DialplanProfile> = fc
  .tuple(fc.option(fc.record({ caller: callerRegex, time: timeFilterArb }, { requiredKeys: [] })), action)
  .map(([filter, a]) => (filter === null ? { ...a } : { filter, ...a }));

export const dialplanV2Arb: fc.Arbitrary<DialplanV2> = fc.record(
  {
    description: fc.string({ maxLength: 20 }),
    ringtone: fc.record({ announcement: uuid, mix: fc.boolean() }, { requiredKeys: [] }),
    profiles: fc.array(profileArb, { maxLength: 8 }),
  },
  { requiredKeys: [] },
);

const v1Action = fc.constantFrom<V1Action>('none', 'redirect', 'reject', 'sip', 'record');
const subAction = fc.record({ action: v1Action, phone: e164, sip: sipAccount }, { requiredKeys: ['action'] });

export const dialplanV1Arb: fc.Arbitrary<DialplanV1> = fc.record(
  {
    announcement: uuid,
    mix_ringtone: fc.boolean(),
    action: v1Action,
    phone: e164,
    sip: sipAccount,
    phone_pool: fc.dictionary(e164, fc.boolean(), { maxKeys: 4 }),
    sip_pool: fc.array(sipAccount, { maxLength: 4 }),
    callreverse_enable: fc.boolean(),
    timeout: fc.record(
      { action: v1Action, timeout, phone: e164, sip: sipAccount },
      { requiredKeys: ['action'] },
    ),
    unavailable: subAction,
    busy: subAction,
  },
  { requiredKeys: [] },
);

export const phoneArb: fc.Arbitrary<PhoneConfig> = fc.record(
  {
    announcement: fc.oneof(
      uuid,
      fc.constant(null),
      uuid.map((u) => ({ uuid: u, description: 'x' })),
    ),
    dialplan_enable: fc.boolean(),
    call_enable: fc.boolean(),
    fax_enable: fc.boolean(),
    recording_enable: fc.boolean(),
    play_announcement_only: fc.boolean(),
    conference_enable: fc.boolean(),
    notification_email: fc.boolean(),
    unlock_code: fc.stringMatching(/^[0-9]{4}$/),
    ivr: fc.oneof(uuid, fc.constant(null)),
    dialplan: fc.oneof(uuid, fc.constant(null)),
    on_hold_music: fc.oneof(uuid, fc.constant(null)),
  },
  { requiredKeys: [] },
);

export const callArb: fc.Arbitrary<IncomingCall> = fc.record({
  caller: fc.oneof(e164, fc.constant(null)),
  clir: fc.boolean(),
});

/** Any instant from 1960 to 2100, in ms (negative before the epoch). */
export const nowArb = fc.integer({ min: -315_619_200_000, max: 4_102_444_800_000 });

export const counterArb = fc.oneof(
  fc.integer({ min: -1000, max: 1000 }),
  fc.constant(Number.MAX_SAFE_INTEGER),
  fc.constant(Number.NaN),
);
