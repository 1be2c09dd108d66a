import { spandsp, type SpandspToneDetector } from './spandsp.js';

/**
 * Is a fax on the line? (spec 3.9: a number with fax_enable and
 * conference_enable or recording_enable answers, and CNG decides fax.)
 * Listens to the caller's audio for CNG (1100 Hz, 0.5 s on / 3 s off,
 * T.30 §4.1.2), or on an outgoing call to the callee's audio for CED
 * (2100 Hz) or the V.21 preamble of its DIS. The call side feeds decoded
 * 20 ms frames until `audioIn` answers with the tone, then starts a
 * FaxSession (and may re-INVITE to T.38).
 */
export type FaxTone = 'cng' | 'ced' | 'v21-preamble';

const TONES: Record<number, FaxTone> = { 1: 'cng', 2: 'ced', 6: 'v21-preamble' };

export class FaxToneDetector {
  private readonly rx: SpandspToneDetector;
  private found: FaxTone | null = null;

  /** `calling`: listen for a calling fax (CNG); `answering`: for an answering one (CED or V.21 preamble). */
  constructor(listenFor: 'calling' | 'answering') {
    this.rx = new (spandsp().ToneDetector)(listenFor === 'calling' ? 'cng' : 'ced');
  }

  /** One frame of line audio; the tone once it was recognised, else null. */
  audioIn(frame: Int16Array): FaxTone | null {
    if (this.found) return this.found;
    this.found = TONES[this.rx.rx(frame)] ?? null;
    return this.found;
  }

  get detected(): FaxTone | null {
    return this.found;
  }

  close(): void {
    this.rx.close();
  }
}
