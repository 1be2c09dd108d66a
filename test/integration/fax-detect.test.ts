import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderFaxTiff } from '../../src/media/processors/fax-render.js';
import { FaxToneDetector } from '../../src/telephony/embedded/fax/fax-detect.js';
import { FaxSession } from '../../src/telephony/embedded/fax/fax-session.js';
import { readWav } from '../../src/telephony/embedded/media/wav.js';
import { decode, encode } from '../../src/telephony/embedded/rtp/g711.js';
import { textPdf } from '../media/fax-fixtures.js';

/** CNG/CED detection (spec 3.9: on a number that is also a conference or voicebox, CNG decides fax). */

let dir: string;
let tiff: string;
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fax-detect-'));
  fs.writeFileSync(path.join(dir, 'doc.pdf'), await textPdf(1));
  tiff = path.join(dir, 'doc.tif');
  await renderFaxTiff({ input: path.join(dir, 'doc.pdf'), output: tiff, workDir: dir });
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Frames until the detector answers (or `limitMs` of audio), through a µ-law line. */
function listen(detector: FaxToneDetector, next: () => Int16Array, limitMs: number): number | null {
  for (let ms = 20; ms <= limitMs; ms += 20) {
    if (detector.audioIn(decode('PCMU', encode('PCMU', next())))) return ms;
  }
  return null;
}

describe('fax tone detection', () => {
  it("hears a calling fax's CNG within its first burst", () => {
    const caller = new FaxSession({ direction: 'send', ident: '+49', tiff });
    const detector = new FaxToneDetector('calling');
    const at = listen(detector, () => caller.audioOut(), 4000);
    expect(detector.detected).toBe('cng');
    expect(at).not.toBeNull();
    expect(at!).toBeLessThanOrEqual(1000);
    detector.close();
    caller.close();
  });

  it("hears an answering fax's CED or V.21 preamble", () => {
    const callee = new FaxSession({ direction: 'receive', ident: '+49', output: path.join(dir, 'rx.tif') });
    const detector = new FaxToneDetector('answering');
    listen(detector, () => callee.audioOut(), 6000);
    expect(['ced', 'v21-preamble']).toContain(detector.detected);
    detector.close();
    callee.close();
  });

  it('stays silent on speech (the system prompts) and on silence', async () => {
    const detector = new FaxToneDetector('calling');
    for (const name of fs.readdirSync('sounds/en').filter((f) => f.endsWith('.wav'))) {
      const speech = await readWav(path.join('sounds/en', name));
      let i = 0;
      const frames = Math.floor(speech.length / 160);
      expect(
        listen(
          detector,
          () => speech.subarray(160 * (i % frames), 160 * (i++ % frames) + 160),
          speech.length / 8,
        ),
      ).toBeNull();
    }
    expect(listen(detector, () => new Int16Array(160), 5000)).toBeNull();
    detector.close();
  });
});
