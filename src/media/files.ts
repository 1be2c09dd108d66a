import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';

/**
 * Atomic file placement for media results (issue 4: "a result becomes visible
 * only when complete"). Everything is written under a temporary name in the
 * same directory (same file system), then renamed: rename(2) replaces the
 * target in one step, so a reader sees the old file or the new one, never a
 * half-written one, and a crash leaves only a `.tmp-` name behind.
 */

const TMP_MARK = '.tmp-';

/** The folder of one object's files: `<objectDir>/<type>/<uuid>` (media contract). */
export function objectFolder(objectDir: string, type: string, uuid: string): string {
  return path.join(objectDir, type, uuid.toLowerCase());
}

/** A fresh name next to `target` that no other writer uses. */
export function tempSibling(target: string): string {
  return path.join(
    path.dirname(target),
    `${TMP_MARK}${randomBytes(6).toString('hex')}-${path.basename(target)}`,
  );
}

/** Writes `data` to `target` atomically (temp file, fsync, rename). */
export async function writeFileAtomic(target: string, data: Buffer | Uint8Array | string): Promise<void> {
  await fs.mkdir(path.dirname(target), { recursive: true });
  const tmp = tempSibling(target);
  try {
    const fh = await fs.open(tmp, 'wx');
    try {
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await fs.rename(tmp, target);
  } catch (err) {
    await fs.rm(tmp, { force: true });
    throw err;
  }
}

/**
 * Moves a finished directory into place under `target`. A directory cannot
 * replace a non-empty one in a single rename, so an existing target (left by
 * an attempt that crashed after its rename but before the database update)
 * is first renamed aside and then removed.
 */
export async function renameDirAtomic(source: string, target: string): Promise<void> {
  try {
    await fs.rename(source, target);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw err;
    const aside = tempSibling(target);
    await fs.rename(target, aside);
    await fs.rename(source, target);
    await fs.rm(aside, { recursive: true, force: true });
  }
}

/** A fresh temporary directory inside `parent` (removed by the caller, or by cleanTemp). */
export async function makeTempDir(parent: string, label: string): Promise<string> {
  await fs.mkdir(parent, { recursive: true });
  return fs.mkdtemp(path.join(parent, `${TMP_MARK}${label}-`));
}

/** Removes temporary leftovers in `dir` whose name carries `label` (a crashed attempt's work). */
export async function cleanTemp(dir: string, label: string): Promise<void> {
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch {
    return;
  }
  const mine = names.filter((n) => n.startsWith(`${TMP_MARK}${label}-`));
  await Promise.all(mine.map((n) => fs.rm(path.join(dir, n), { recursive: true, force: true })));
}

/** Random part of an upload's file name: `upload-<hex>`. */
export function uploadName(): string {
  return `upload-${randomBytes(8).toString('hex')}`;
}

/** Fsynced write of an upload under a temp name, then renamed to `<folder>/upload-<random>`; returns its path. */
export async function storeUpload(folder: string, data: Buffer): Promise<string> {
  const target = path.join(folder, uploadName());
  await writeFileAtomic(target, data);
  return target;
}
