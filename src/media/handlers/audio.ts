import path from 'node:path';
import { UnrecoverableError } from 'bullmq';
import type { MediaHandlers } from '../handler-types.js';
import { convertAudio } from '../processors/audio-convert.js';
import { DEFAULT_TTS_LOCALE, isTtsLocale, synthesizeSpeech } from '../processors/tts.js';

/**
 * Media jobs of recordings and announcements (spec 3.14, 3.15). The services'
 * `runConversion` decides whether the job is still current, puts the result
 * into place and sets the status; the processors only make files.
 */
export const audioHandlers: Pick<MediaHandlers, 'audio.convert' | 'tts'> = {
  'audio.convert': async (job, ctx) => {
    const svc = job.objectType === 'recording' ? ctx.services.recordings : ctx.services.announcements;
    await ctx.progress(5);
    await svc.runConversion(job.objectId, job.owner, job.input, ctx, (work) =>
      convertAudio(job.input, work, (p) => ctx.progress(p)),
    );
    await ctx.progress(100);
  },

  tts: async (job, ctx) => {
    const svc = ctx.services.announcements;
    // The API always names the request's marker file; without it the job cannot tell whether it is current.
    if (!job.request) throw new UnrecoverableError('tts job without its request marker');
    const locale = isTtsLocale(job.locale) ? job.locale : DEFAULT_TTS_LOCALE;
    const pending = path.join(svc.dir(job.objectId), job.request);
    await ctx.progress(5);
    await svc.runConversion(job.objectId, job.owner, pending, ctx, async (work) => {
      const speech = path.join(work, 'speech.wav');
      await synthesizeSpeech(job.text, locale, speech);
      await ctx.progress(40);
      return convertAudio(speech, work, (p) => ctx.progress(p));
    });
    await ctx.progress(100);
  },
};
