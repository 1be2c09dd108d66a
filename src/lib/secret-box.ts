import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Reversible encryption for the few secrets the API must hand back in plain
 * text (the SIP password of GET /api/sip, spec 3.21). AES-256-GCM with a
 * random 12-byte IV per value; the GCM tag makes a tampered value or a wrong
 * key fail instead of decrypting to garbage. Stored form:
 * `v1:<iv b64>:<tag b64>:<ciphertext b64>` (the version allows a later key
 * or algorithm change).
 */
export const SECRET_KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const VERSION = 'v1';
const B64 = /^[A-Za-z0-9+/]*={0,2}$/;

export class SecretBoxError extends Error {
  override name = 'SecretBoxError';
}

/** A 32-byte key from 64 hex characters or base64 (standard or URL alphabet); undefined when neither. */
export function parseSecretKey(text: string): Buffer | undefined {
  const t = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(t)) return Buffer.from(t, 'hex');
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(t)) {
    const key = Buffer.from(t, t.includes('-') || t.includes('_') ? 'base64url' : 'base64');
    if (key.length === SECRET_KEY_BYTES) return key;
  }
  return undefined;
}

/**
 * The key kept in `file` (hex), created once with mode 0600 when missing.
 * The new key is written to a private temporary file and hard-linked into
 * place, so two processes starting together agree on one complete key: the
 * loser of the link race reads the winner's file. An unreadable or invalid
 * existing file throws instead of being replaced, which would make every
 * stored secret undecryptable.
 */
export function loadOrCreateKeyFile(file: string): Buffer {
  const read = (): Buffer => {
    const key = parseSecretKey(fs.readFileSync(file, 'utf8'));
    if (!key) throw new SecretBoxError(`${file} does not hold a 32-byte key (64 hex characters)`);
    return key;
  };
  if (fs.existsSync(file)) return read();
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const key = randomBytes(SECRET_KEY_BYTES);
  const tmp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  fs.writeFileSync(tmp, `${key.toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  try {
    fs.linkSync(tmp, file);
    return key;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return read();
    throw err;
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

export class SecretBox {
  private readonly key: Buffer;

  constructor(key: Buffer) {
    if (key.length !== SECRET_KEY_BYTES) throw new SecretBoxError('the key must be 32 bytes');
    this.key = Buffer.from(key);
  }

  encrypt(plain: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return [VERSION, iv.toString('base64'), tag.toString('base64'), data.toString('base64')].join(':');
  }

  /** Throws SecretBoxError for a malformed or tampered value and for a value sealed with another key. */
  decrypt(sealed: string): string {
    const parts = sealed.split(':');
    const [version, ivText, tagText, dataText] = parts;
    if (
      parts.length !== 4 ||
      version !== VERSION ||
      ivText === undefined ||
      tagText === undefined ||
      dataText === undefined ||
      ![ivText, tagText, dataText].every((p) => B64.test(p))
    ) {
      throw new SecretBoxError('not a v1 secret');
    }
    const iv = Buffer.from(ivText, 'base64');
    const tag = Buffer.from(tagText, 'base64');
    if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new SecretBoxError('not a v1 secret');
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, iv, { authTagLength: TAG_BYTES });
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(Buffer.from(dataText, 'base64')), decipher.final()]).toString(
        'utf8',
      );
    } catch {
      throw new SecretBoxError('the secret does not match the key (tampered or another key)');
    }
  }
}
