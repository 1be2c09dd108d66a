/**
 * Repairs a WAV file a crash left behind (issue 14): recordings are written
 * as they arrive with "unknown" sizes in the header (0xffffffff, as
 * streaming writers do) and fixed at the end; a process that died never
 * fixed them. This sets the RIFF and data sizes from the file's length (an
 * odd last byte, half a sample, is cut). Files with correct sizes are left
 * as they are. Answers the number of audio bytes, or null when the file is
 * not a WAV this engine writes (canonical 44-byte header).
 */
import fs from 'node:fs/promises';

const HEADER = 44;

export async function repairWav(file: string): Promise<number | null> {
  const fh = await fs.open(file, 'r+');
  try {
    const { size } = await fh.stat();
    if (size < HEADER) return null;
    const head = Buffer.alloc(HEADER);
    await fh.read(head, 0, HEADER, 0);
    if (
      head.toString('latin1', 0, 4) !== 'RIFF' ||
      head.toString('latin1', 8, 12) !== 'WAVE' ||
      head.toString('latin1', 36, 40) !== 'data'
    )
      return null;
    const blockAlign = Math.max(1, head.readUInt16LE(32));
    const data = Math.floor((size - HEADER) / blockAlign) * blockAlign;
    if (head.readUInt32LE(40) === data && head.readUInt32LE(4) === 36 + data && size === HEADER + data) {
      return data;
    }
    await fh.truncate(HEADER + data);
    const sizes = Buffer.alloc(4);
    sizes.writeUInt32LE(36 + data, 0);
    await fh.write(sizes, 0, 4, 4);
    sizes.writeUInt32LE(data, 0);
    await fh.write(sizes, 0, 4, 40);
    await fh.sync();
    return data;
  } finally {
    await fh.close();
  }
}
