/** What a Teardown run rejects with: one error per step that failed. */
export class TeardownError extends AggregateError {
  override name = 'TeardownError';
}

/**
 * The steps that undo a start, run last-added first, like nested `finally`
 * blocks: what started last stops first, and the connections everything
 * else uses close last. Every step runs even when one before it failed, so
 * one part that cannot stop cleanly (a socket already gone, a database that
 * refuses) does not leave the later ones open; the failures are reported
 * together afterwards. Running it again returns the first run's outcome.
 */
export class Teardown {
  private readonly steps: Array<{ name: string; run: () => unknown }> = [];
  private done: Promise<void> | null = null;

  /** Adds a step; `name` says which part failed in the error. */
  add(name: string, run: () => unknown): void {
    if (this.done) throw new Error(`teardown already ran; cannot add '${name}'`);
    this.steps.push({ name, run });
  }

  /** Runs every step once, last added first; rejects with a TeardownError naming the ones that failed. */
  run(): Promise<void> {
    this.done ??= this.runAll();
    return this.done;
  }

  private async runAll(): Promise<void> {
    const errors: Error[] = [];
    for (let i = this.steps.length - 1; i >= 0; i--) {
      const step = this.steps[i]!;
      try {
        await step.run();
      } catch (err) {
        const e = err instanceof Error ? err : new Error(String(err));
        errors.push(new Error(`${step.name}: ${e.message}`, { cause: e }));
      }
    }
    if (errors.length > 0) {
      throw new TeardownError(errors, `stop: ${errors.map((e) => e.message).join('; ')}`);
    }
  }
}
