/**
 * A typed EventEmitter whose emit never throws: a listener's exception is
 * reported as a process warning instead of unwinding into the SIP stack or
 * the media pacer that emitted (mediasoup's EnhancedEventEmitter.safeEmit).
 */
import { EventEmitter } from 'node:events';

export class SafeEmitter<E extends Record<keyof E, unknown[]>> extends EventEmitter<E> {
  protected safeEmit<K extends keyof E & string>(event: K, ...args: E[K]): void {
    try {
      (this.emit as unknown as (e: K, ...a: E[K]) => boolean)(event, ...args);
    } catch (err) {
      process.emitWarning(`${this.constructor.name} '${event}' listener failed: ${(err as Error).message}`);
    }
  }
}
