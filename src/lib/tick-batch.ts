/**
 * Gathers the calls made during one turn of the event loop and answers them
 * with one batched operation (one Redis command for many reads). A long-poll
 * fan-out wakes 1,000 requests at once, and under load many requests arrive
 * in the same turn; one command each would cost 1,000 writes to the socket
 * and as many parsed replies.
 *
 * The batch runs in the loop's check phase (setImmediate), after every I/O
 * callback of the turn has had its chance to add to it; a call made on an
 * idle loop waits for nothing else.
 */
export class TickBatch<In, Out> {
  private inputs: In[] = [];
  private waiters: Array<{ resolve: (o: Out) => void; reject: (e: unknown) => void }> = [];

  /** `run` answers every input of a batch, in order. */
  constructor(
    private readonly run: (inputs: In[]) => Promise<Out[]>,
    private readonly maxBatch = 1000,
  ) {}

  call(input: In): Promise<Out> {
    return new Promise<Out>((resolve, reject) => {
      if (this.inputs.length === 0) setImmediate(() => this.flush());
      this.inputs.push(input);
      this.waiters.push({ resolve, reject });
      if (this.inputs.length >= this.maxBatch) this.flush();
    });
  }

  private flush(): void {
    if (this.inputs.length === 0) return;
    const inputs = this.inputs;
    const waiters = this.waiters;
    this.inputs = [];
    this.waiters = [];
    let running: Promise<Out[]>;
    try {
      running = this.run(inputs);
    } catch (err) {
      running = Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
    running.then(
      (outs) => {
        for (let i = 0; i < waiters.length; i++) waiters[i]!.resolve(outs[i] as Out);
      },
      (err: unknown) => {
        for (const w of waiters) w.reject(err);
      },
    );
  }
}
