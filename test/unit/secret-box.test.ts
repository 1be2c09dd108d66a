import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/index.js';
import { loadOrCreateKeyFile, parseSecretKey, SecretBox, SecretBoxError } from '../../src/lib/secret-box.js';

const key = randomBytes(32);
const box = new SecretBox(key);
const dirs: string[] = [];
const tmpDir = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'secret-box-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

describe('SecretBox (AES-256-GCM)', () => {
  it('round-trips values, including empty and non-ASCII ones', () => {
    for (const plain of ['sEcReT53a', '', ' pä:ss"w\\o:rd€ ', 'x'.repeat(500)]) {
      const sealed = box.encrypt(plain);
      expect(sealed).toMatch(/^v1:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]*$/);
      if (plain !== '') expect(sealed).not.toContain(plain);
      expect(box.decrypt(sealed)).toBe(plain);
    }
  });

  it('uses a fresh 12-byte IV: two encryptions of one value differ', () => {
    const a = box.encrypt('sEcReT53a');
    const b = box.encrypt('sEcReT53a');
    expect(a).not.toBe(b);
    expect(a.split(':')[1]).not.toBe(b.split(':')[1]);
    expect(Buffer.from(a.split(':')[1] ?? '', 'base64')).toHaveLength(12);
    expect(box.decrypt(a)).toBe(box.decrypt(b));
  });

  it('refuses a tampered ciphertext, tag or IV', () => {
    const [v, iv, tag, data] = box.encrypt('sEcReT53a').split(':') as [string, string, string, string];
    const flip = (b64: string) => {
      const buf = Buffer.from(b64, 'base64');
      buf[0] = (buf[0] ?? 0) ^ 1;
      return buf.toString('base64');
    };
    for (const bad of [
      [v, iv, tag, flip(data)],
      [v, iv, flip(tag), data],
      [v, flip(iv), tag, data],
    ]) {
      expect(() => box.decrypt(bad.join(':'))).toThrow(SecretBoxError);
    }
  });

  it('refuses a value sealed with another key', () => {
    const sealed = box.encrypt('sEcReT53a');
    expect(() => new SecretBox(randomBytes(32)).decrypt(sealed)).toThrow(SecretBoxError);
  });

  it('refuses malformed values and keys of the wrong size', () => {
    const good = box.encrypt('x');
    for (const bad of [
      '',
      'sEcReT53a',
      good.replace(/^v1/, 'v2'),
      `${good}:x`,
      good.replace(/:[^:]*$/, ':%%'),
    ]) {
      expect(() => box.decrypt(bad), bad).toThrow(SecretBoxError);
    }
    expect(() => new SecretBox(randomBytes(16))).toThrow(SecretBoxError);
  });
});

describe('secret key configuration', () => {
  it('parses 64 hex characters or base64 of 32 bytes, nothing else', () => {
    expect(parseSecretKey(key.toString('hex'))?.equals(key)).toBe(true);
    expect(parseSecretKey(key.toString('base64'))?.equals(key)).toBe(true);
    expect(parseSecretKey(key.toString('base64url'))?.equals(key)).toBe(true);
    for (const bad of [
      '',
      'abc',
      key.toString('hex').slice(2),
      randomBytes(16).toString('base64'),
      'g'.repeat(64),
    ]) {
      expect(parseSecretKey(bad), bad).toBeUndefined();
    }
  });

  it('creates DATA_DIR/secret.key once with mode 0600 and reads it back afterwards', () => {
    const dir = tmpDir();
    const file = path.join(dir, 'sub', 'secret.key');
    const first = loadOrCreateKeyFile(file);
    expect(first).toHaveLength(32);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(loadOrCreateKeyFile(file).equals(first)).toBe(true);
    expect(fs.readdirSync(path.dirname(file))).toEqual(['secret.key']);
  });

  it('never replaces an invalid key file', () => {
    const file = path.join(tmpDir(), 'secret.key');
    fs.writeFileSync(file, 'not a key\n');
    expect(() => loadOrCreateKeyFile(file)).toThrow(SecretBoxError);
    expect(fs.readFileSync(file, 'utf8')).toBe('not a key\n');
  });

  it('loadConfig: SECRET_KEY wins, else the key file under DATA_DIR; a bad SECRET_KEY is a ConfigError', () => {
    const dir = tmpDir();
    const fromFile = loadConfig({ DATA_DIR: dir }).secretKey;
    expect(fs.existsSync(path.join(dir, 'secret.key'))).toBe(true);
    expect(loadConfig({ DATA_DIR: dir }).secretKey.equals(fromFile)).toBe(true);
    expect(loadConfig({ DATA_DIR: dir, SECRET_KEY: key.toString('hex') }).secretKey.equals(key)).toBe(true);
    expect(() => loadConfig({ DATA_DIR: dir, SECRET_KEY: 'short' })).toThrow(ConfigError);
    expect(() => loadConfig({ DATA_DIR: dir, SECRET_KEY: 'short' })).toThrow(/SECRET_KEY/);
  });
});
