/**
 * Live charging of a rated call (spec 9.1.6 credit and zone filter): the
 * first tick is debited at answer, then one per interval; a refused debit
 * ends the call. Ticks come from domain/policy/zone-filter.ts tickPlan.
 */
import type { TickPlan } from '../../domain/policy/zone-filter.js';
import type { CreditStore } from '../../store/redis/credit.js';
import type { Logger } from '../adapter.js';

export interface Billing {
  stop(): void;
}

export function startBilling(
  credit: CreditStore,
  group: string,
  plan: TickPlan,
  onExhausted: () => void,
  log: Logger,
): Billing {
  let n = 0;
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  const tick = async (): Promise<void> => {
    if (stopped) return;
    const amount = plan.amount(n);
    n++;
    try {
      const r = await credit.debit(group, amount);
      if (!r.ok && !stopped) {
        stopped = true;
        onExhausted();
        return;
      }
    } catch (err) {
      // Redis unreachable: keep the call up rather than cut paying customers; log for the operator.
      log.error({ err, group }, 'credit debit failed');
    }
    if (!stopped) timer = setTimeout(() => void tick(), plan.intervalSeconds * 1000);
  };
  void tick();
  return {
    stop: () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
