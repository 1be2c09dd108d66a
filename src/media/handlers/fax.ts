import fs from 'node:fs/promises';
import path from 'node:path';
import { contentNameFor, FAX_FILES } from '../../services/fax-service.js';
import { cleanTemp, makeTempDir, renameDirAtomic } from '../files.js';
import type { MediaHandlers } from '../handler-types.js';
import { FaxRenderError, renderFaxTiff } from '../processors/fax-render.js';

/**
 * fax.convert (spec 3.13 upload, issue 4). Each step can be repeated after a
 * crash and gives the same object:
 *  1. the job is skipped if a newer upload replaced it or it was applied already;
 *  2. ghostscript writes into a fresh temporary folder (leftovers of a crashed
 *     attempt are removed first);
 *  3. the finished folder is renamed to `c-<upload id>` (one rename: visible complete or not at all);
 *  4. the database points the fax at it and sets status `ok` (last, so the
 *     API never shows `ok` for files that are not all there);
 *  5. the upload and the replaced contents are deleted.
 * A PDF that ghostscript cannot render fails at once; other errors are
 * retried, and the final attempt sets status `fail`. A job that crashed its
 * workers too often (`giveUp`) fails without running ghostscript again.
 */
export const faxHandlers: Pick<MediaHandlers, 'fax.convert'> = {
  'fax.convert': async (job, ctx) => {
    const faxes = ctx.services.faxes;
    const upload = path.basename(job.input);
    const folder = path.dirname(job.input);
    const content = contentNameFor(upload);
    const state = await faxes.conversionState(job.objectId, upload);
    if (state !== 'pending') {
      if (state !== 'gone') await fs.rm(job.input, { force: true });
      return;
    }
    if (ctx.giveUp) {
      // Started too often: this document keeps killing workers.
      await cleanTemp(folder, content);
      if (await faxes.failConversion(job.objectId, upload)) await fs.rm(job.input, { force: true });
      return;
    }
    await cleanTemp(folder, content);
    const work = await makeTempDir(folder, content);
    try {
      const pdf = path.join(work, FAX_FILES.pdf);
      const tif = path.join(work, FAX_FILES.tif);
      // A second name for the upload, not a copy: it survives the upload's removal at the end.
      await fs.link(job.input, pdf);
      const result = await renderFaxTiff({
        input: pdf,
        output: tif,
        orientation: job.orientation,
        mode: job.mode,
        workDir: work,
        onPage: (page, total) => (total ? ctx.progress((100 * page) / total) : undefined),
      });
      await fs.rm(path.join(work, 'rotated.pdf'), { force: true });
      const sizeBytes = (await fs.stat(pdf)).size + (await fs.stat(tif)).size;
      const target = path.join(folder, content);
      await renameDirAtomic(work, target);
      const applied = await faxes.finishConversion(job.objectId, upload, { ...result, sizeBytes });
      if (applied === false) {
        await fs.rm(target, { recursive: true, force: true });
      } else if (applied.previous && applied.previous !== content) {
        await fs.rm(path.join(folder, applied.previous), { recursive: true, force: true });
      }
      await fs.rm(job.input, { force: true });
    } catch (err) {
      await fs.rm(work, { recursive: true, force: true });
      if (!(err instanceof FaxRenderError) && !ctx.final) throw err;
      // A malformed document, or the last attempt: no object stays in `convert` forever.
      if ((await faxes.conversionState(job.objectId, upload)) !== 'gone') {
        await faxes.failConversion(job.objectId, upload);
        await fs.rm(job.input, { force: true });
      }
      if (!(err instanceof FaxRenderError)) throw err;
    }
  },
};
