/**
 * Readiness of this process for load balancers and compose health checks
 * (GET /ready): every registered check must pass within the timeout. The
 * services register Redis and the database; each role registers what it
 * runs (the media worker its BullMQ worker, the telephony role its SIP
 * sockets: `services.health.register('sip', check)`), so a process is
 * judged only on the roles it has.
 */

/** Resolves when healthy; throws (or rejects) with the reason when not. */
export type HealthCheck = () => Promise<void> | void;

export interface CheckResult {
  ok: boolean;
  /** How long the check took, ms (the timeout when it timed out). */
  ms: number;
  /** Why it failed. */
  error?: string;
}

export interface Readiness {
  ready: boolean;
  checks: Record<string, CheckResult>;
}

export class HealthService {
  private readonly checks = new Map<string, HealthCheck>();

  constructor(
    private readonly timeoutMs = 1000,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Adds (or replaces) a named check; returns a function that removes it. */
  register(name: string, check: HealthCheck): () => void {
    this.checks.set(name, check);
    return () => {
      if (this.checks.get(name) === check) this.checks.delete(name);
    };
  }

  /** Names of the registered checks. */
  get names(): string[] {
    return [...this.checks.keys()];
  }

  /** Runs every check at once; ready when all pass. */
  async ready(): Promise<Readiness> {
    const entries = await Promise.all(
      [...this.checks].map(async ([name, check]) => [name, await this.run(check)] as const),
    );
    const checks = Object.fromEntries(entries);
    return { ready: entries.every(([, r]) => r.ok), checks };
  }

  private async run(check: HealthCheck): Promise<CheckResult> {
    const started = this.now();
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        Promise.resolve().then(check),
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`no answer within ${this.timeoutMs} ms`)),
            this.timeoutMs,
          );
        }),
      ]);
      return { ok: true, ms: round(this.now() - started) };
    } catch (err) {
      return { ok: false, ms: round(this.now() - started), error: (err as Error).message ?? String(err) };
    } finally {
      clearTimeout(timer);
    }
  }
}

const round = (ms: number): number => Math.round(ms * 100) / 100;
