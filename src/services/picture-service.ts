import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import sharp, { type Metadata } from 'sharp';
import { ServiceError } from '../errors/index.js';
import type { Db } from '../store/db.js';

/** Edge lengths of the stored square pictures (spec 3.6: small, medium, large, huge). */
export const PICTURE_SIZES = [48, 96, 192, 384] as const;
export type PicturePixels = (typeof PICTURE_SIZES)[number];

/** The largest accepted upload resolution (spec 3.6). */
export const PICTURE_MAX_PIXELS = 1500;

const SIZE_BY_NAME: Readonly<Record<string, PicturePixels>> = {
  small: 48,
  medium: 96,
  large: 192,
  huge: 384,
  '48': 48,
  '96': 96,
  '192': 192,
  '384': 384,
};

/** `small`/`medium`/`large`/`huge` or the pixel count itself; undefined for anything else. */
export function picturePixels(size: string): PicturePixels | undefined {
  return Object.hasOwn(SIZE_BY_NAME, size) ? SIZE_BY_NAME[size] : undefined;
}

/** What a picture download of a user resolves to. */
export type PictureLookup = { kind: 'unknown' } | { kind: 'default' } | { kind: 'picture'; data: Buffer };

/** A grey head-and-shoulders silhouette: the picture of users without one. */
const DEFAULT_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="384" height="384" viewBox="0 0 384 384">
<rect width="384" height="384" fill="#d5d9de"/>
<circle cx="192" cy="150" r="78" fill="#8a939e"/>
<path d="M52 384 C52 282 112 244 192 244 C272 244 332 282 332 384 Z" fill="#8a939e"/>
</svg>`;

/**
 * Profile pictures (spec 3.6). Uploads are decoded once and stored as four
 * square JPEGs under `<objectDir>/pictures/<user-uuid>/<px>.jpg`; every file is
 * written under a temporary name and renamed into place, so readers never see
 * a half-written picture.
 */
export class PictureService {
  private readonly root: string;
  private readonly defaults = new Map<PicturePixels, Promise<Buffer>>();

  constructor(
    private readonly db: Db,
    objectDir: string,
  ) {
    this.root = path.join(objectDir, 'pictures');
  }

  private userDir(userId: string): string {
    return path.join(this.root, userId);
  }

  /** Sets the user's picture from JPEG or PNG bytes. */
  async set(userId: string, data: Buffer): Promise<void> {
    const renditions = await renderPicture(data);
    const dir = this.userDir(userId);
    await fs.mkdir(dir, { recursive: true });
    await writeAllAtomically(
      dir,
      renditions.map(([px, jpeg]) => [`${px}.jpg`, jpeg]),
    );
    await this.db.updateTable('users').set({ picture: true }).where('uuid', '=', userId).execute();
  }

  /** Removes the user's picture; returns whether there was one. */
  async remove(userId: string): Promise<boolean> {
    const changed = await this.db
      .updateTable('users')
      .set({ picture: false })
      .where('uuid', '=', userId)
      .where('picture', '=', true)
      .returning('uuid')
      .executeTakeFirst();
    await fs.rm(this.userDir(userId), { recursive: true, force: true });
    return changed !== undefined;
  }

  /**
   * The picture of `userId` as seen by a caller in `callerPartnerId`'s scope:
   * users outside that scope are `unknown`, like users that do not exist.
   */
  async lookup(userId: string, px: PicturePixels, callerPartnerId: string | null): Promise<PictureLookup> {
    const row = await this.db
      .selectFrom('users')
      .select(['picture', 'partner_id'])
      .where('uuid', '=', userId)
      .executeTakeFirst();
    if (!row || (row.partner_id ?? null) !== callerPartnerId) return { kind: 'unknown' };
    if (!row.picture) return { kind: 'default' };
    try {
      return { kind: 'picture', data: await fs.readFile(path.join(this.userDir(userId), `${px}.jpg`)) };
    } catch {
      // The flag says yes but the file is gone (e.g. a wiped object store): show the default.
      return { kind: 'default' };
    }
  }

  /** The default picture, rendered once from the silhouette and cached on disk. */
  async defaultPicture(px: PicturePixels): Promise<Buffer> {
    let pending = this.defaults.get(px);
    if (!pending) {
      pending = this.loadOrRenderDefault(px);
      this.defaults.set(px, pending);
      pending.catch(() => this.defaults.delete(px));
    }
    return pending;
  }

  private async loadOrRenderDefault(px: PicturePixels): Promise<Buffer> {
    const dir = path.join(this.root, 'default');
    const file = path.join(dir, `${px}.jpg`);
    try {
      return await fs.readFile(file);
    } catch {
      const jpeg = await sharp(Buffer.from(DEFAULT_SVG))
        .resize(px, px)
        .flatten({ background: '#ffffff' })
        .jpeg({ quality: 85 })
        .toBuffer();
      await fs.mkdir(dir, { recursive: true });
      await writeAllAtomically(dir, [[`${px}.jpg`, jpeg]]);
      return jpeg;
    }
  }
}

/**
 * Decodes an upload and renders the four sizes (cover crop, centred). Anything
 * that is not a decodable JPEG or PNG is `malformed-file`; more than
 * 1500x1500 pixels is `too-large` (spec 3.6).
 */
async function renderPicture(data: Buffer): Promise<Array<[PicturePixels, Buffer]>> {
  let meta: Metadata;
  try {
    meta = await sharp(data).metadata();
  } catch {
    throw new ServiceError('malformed-file', 'the picture data cannot be decoded');
  }
  if (meta.format !== 'jpeg' && meta.format !== 'png') {
    throw new ServiceError('malformed-file', 'the picture must be a JPEG or PNG image');
  }
  // EXIF orientations 5-8 swap width and height; either way both must fit.
  if ((meta.width ?? 0) > PICTURE_MAX_PIXELS || (meta.height ?? 0) > PICTURE_MAX_PIXELS) {
    throw new ServiceError(
      'too-large',
      `the picture is ${meta.width}x${meta.height} pixels; at most ${PICTURE_MAX_PIXELS}x${PICTURE_MAX_PIXELS} are accepted`,
    );
  }
  try {
    // Decode once (honouring EXIF orientation, flattening transparency on white), then scale.
    const { data: pixels, info } = await sharp(data, { failOn: 'error' })
      .rotate()
      .flatten({ background: '#ffffff' })
      .raw()
      .toBuffer({ resolveWithObject: true });
    const raw = { raw: { width: info.width, height: info.height, channels: info.channels } };
    return await Promise.all(
      PICTURE_SIZES.map(async (px): Promise<[PicturePixels, Buffer]> => [
        px,
        await sharp(pixels, raw)
          .resize(px, px, { fit: 'cover', position: 'centre' })
          .jpeg({ quality: 85 })
          .toBuffer(),
      ]),
    );
  } catch {
    throw new ServiceError('malformed-file', 'the picture data is truncated or corrupt');
  }
}

/** Writes every file under a temporary name first, then renames them all into place. */
async function writeAllAtomically(dir: string, files: ReadonlyArray<[string, Buffer]>): Promise<void> {
  const tag = randomBytes(6).toString('hex');
  const temps = files.map(([name, data]) => ({ tmp: path.join(dir, `.${name}.${tag}.tmp`), name, data }));
  try {
    await Promise.all(temps.map((t) => fs.writeFile(t.tmp, t.data)));
    for (const t of temps) await fs.rename(t.tmp, path.join(dir, t.name));
  } catch (err) {
    await Promise.all(temps.map((t) => fs.rm(t.tmp, { force: true })));
    throw err;
  }
}
