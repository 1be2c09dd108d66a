/**
 * Routing benchmark (issue 5): routing plans/s for a number with a 20-profile
 * dialplan v2, pure CPU (no I/O).
 *
 *   npm run bench:routing
 *   BENCH_SECONDS=5 BENCH_ROUNDS=5 npm run bench:routing
 *
 * The 20-profile dialplan is the worst case for the calls used: 19 profiles
 * with a caller regex (RE2 via re2js, as in production) and a time filter
 * (weekdays, date range, a window crossing midnight) that the calls fall
 * through, and a 20th cyclic profile without a filter that decides. Figures
 * run in alternating rounds against baselines in the same process; each ratio
 * is the median of the per-round ratios:
 * - vs. `routingPlan` for the same number with a 1-profile dialplan (the
 *   fixed cost of the plan: precedence, plan object, one cyclic rotation);
 * - vs. a bare loop of the same 19 compiled RE2 matchers (the regexes alone).
 * Compiling the 20-profile dialplan (once per dialplan version) is printed
 * for scale.
 */
import os from 'node:os';
import { compileDialplanV2 } from '../../src/domain/routing/dialplan-v2.js';
import { routingPlan, type RoutingInput } from '../../src/domain/routing/routing-plan.js';
import type { DialplanProfile, DialplanV2, IncomingCall } from '../../src/domain/routing/types.js';
import { re2Compiler } from '../../src/events/filters.js';
import { cpuRate, fmt, median, ROUNDS, SECONDS } from './lib.js';

const filtered = (i: number): DialplanProfile => ({
  filter: {
    // Callers are +4930…; these patterns never match them.
    caller:
      i % 2 === 0
        ? `\\+49221${String(i).padStart(2, '0')}[0-9]*|anonymous`
        : `\\+4${i % 9 === 3 ? 1 : 4}${i}.*`,
    time: {
      weekdays: ['MON', 'TUE', 'WED', 'THU', 'FRI'],
      date_start: '01.01.2020',
      date_end: '31.12.2040',
      time_start: '22:00',
      time_end: '06:00',
    },
  },
  linear: { timeout: 20, targets: [{ target: `joe_${String(i).padStart(2, '0')}`, timeout: 10 }] },
});
const last: DialplanProfile = {
  cyclic: {
    timeout: 30,
    targets: [
      { target: 'joe_01', timeout: 10 },
      { target: '+491771234567', timeout: 10 },
      { target: 'joe_02', timeout: 10 },
    ],
  },
};
const DP20: DialplanV2 = {
  ringtone: { announcement: '91e85f5c-b9eb-11e1-8b7e-0024e8f90cc0', mix: true },
  profiles: [...Array.from({ length: 19 }, (_, i) => filtered(i)), last],
};
const DP1: DialplanV2 = { ringtone: DP20.ringtone, profiles: [last] };

const compiled20 = compileDialplanV2(DP20, re2Compiler);
const compiled1 = compileDialplanV2(DP1, re2Compiler);
const calls: IncomingCall[] = Array.from({ length: 64 }, (_, i) => ({
  caller: `+4930${String(1_000_000 + i * 7919)}`,
  clir: false,
}));
const base = Date.parse('2026-11-24T10:00:00Z'); // Tuesday, outside 22:00-06:00
const input = (dp: typeof compiled20, call: IncomingCall, i: number): RoutingInput => ({
  number: '+492216698712',
  phone: { dialplan: '215a5977-7835-47ed-8795-e9da0540074c', on_hold_music: null },
  call,
  nowMs: base + i * 60_000,
  dialplanV2: dp,
  cyclicCounter: i,
});

// Check the scenario before measuring it: every call falls through to profile 19.
for (const [i, c] of calls.entries()) {
  const p = routingPlan(input(compiled20, c, i));
  if (p.profile !== 19 || p.route.kind !== 'ring') throw new Error(`unexpected plan for ${c.caller}`);
}
const matchers = DP20.profiles!.slice(0, 19).map((p) => re2Compiler(`^(?:${p.filter!.caller!})$`));

let sink = 0;
const plans = (dp: typeof compiled20) => (): number =>
  cpuRate(() => {
    for (let i = 0; i < calls.length; i++) sink += routingPlan(input(dp, calls[i]!, i)).profile ?? 0;
  }, calls.length);
const bareRegex = (): number =>
  cpuRate(() => {
    for (const c of calls) for (const m of matchers) sink += m(c.caller!) ? 1 : 0;
  }, calls.length);

type Row = { name: string; s: number[]; b: number[] };
function compare(name: string, subject: () => number, baseline: () => number): Row {
  const row: Row = { name, s: [], b: [] };
  for (let r = 0; r < ROUNDS; r++) {
    const order: [string, () => number][] =
      r % 2 === 0
        ? [
            ['subject', subject],
            ['baseline', baseline],
          ]
        : [
            ['baseline', baseline],
            ['subject', subject],
          ];
    for (const [label, fn] of order) {
      const v = fn();
      (label === 'subject' ? row.s : row.b).push(v);
      console.log(`  ${name} round ${r + 1}: ${label} ${fmt(v)}/s`);
    }
  }
  return row;
}

console.log(
  `routing bench: ${SECONDS}s x ${ROUNDS} rounds, Node ${process.version}, load ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
plans(compiled20)(); // warm-up
const rows = [
  compare('20-profile plan vs 1-profile plan', plans(compiled20), plans(compiled1)),
  compare('20-profile plan vs 19 bare RE2 tests', plans(compiled20), bareRegex),
];
const compiles = cpuRate(() => {
  sink += compileDialplanV2(DP20, re2Compiler).profiles.length;
}, 1);
for (const r of rows) {
  const ratios = r.s.map((s, i) => s / (r.b[i] ?? s));
  console.log(
    `${r.name}: ${fmt(median(r.s))} plans/s vs ${fmt(median(r.b))}/s, ratio ${median(ratios).toFixed(2)}`,
  );
}
console.log(`compileDialplanV2 (20 profiles), for scale: ${fmt(compiles)}/s`);
console.log(
  `load after: ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
if (sink < 0) console.log(sink);
