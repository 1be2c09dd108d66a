/**
 * The README's configuration table against the code: every environment
 * variable the code reads (the zod schema of src/config/index.ts and any
 * other `process.env` read under src/) has a row, every row is read by the
 * code, and a default in the table is the schema's default.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG_VARIABLES, configDefaults } from '../../src/config/index.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

interface Row {
  name: string;
  default: string;
  meaning: string;
}

/** The rows of the first table in the README's `## Configuration` section. */
function readmeRows(): Row[] {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const section = /^## Configuration\n([\s\S]*?)(?=^## )/m.exec(readme)?.[1];
  if (!section) throw new Error('README.md has no "## Configuration" section');
  const lines = section.split('\n');
  const start = lines.findIndex((l) => /^\|\s*variable\s*\|/.test(l));
  const rows: Row[] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    const cells = line
      .split('|')
      .slice(1, -1)
      .map((c) => c.trim());
    const name = /^`([A-Z][A-Z0-9_]*)`$/.exec(cells[0] ?? '')?.[1];
    if (!name) throw new Error(`a configuration row without a variable: ${line}`);
    rows.push({ name, default: cells[1] ?? '', meaning: cells[2] ?? '' });
  }
  return rows;
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return e.name.endsWith('.ts') ? [p] : [];
  });
}

/** `process.env.NAME` and `process.env['NAME']`. */
const ENV_READ = /process\.env(?:\.([A-Z][A-Z0-9_]*)|\[\s*['"`]([A-Z][A-Z0-9_]*)['"`]\s*\])/g;

/** Variables read as `process.env.NAME` or `process.env['NAME']` anywhere under src/. */
function directReads(): Map<string, string> {
  const found = new Map<string, string>();
  for (const file of sourceFiles(path.join(ROOT, 'src'))) {
    for (const m of fs.readFileSync(file, 'utf8').matchAll(ENV_READ)) {
      found.set((m[1] ?? m[2])!, path.relative(ROOT, file));
    }
  }
  return found;
}

describe('README configuration table', () => {
  const rows = readmeRows();
  const documented = new Set(rows.map((r) => r.name));
  const read = new Set([...CONFIG_VARIABLES, ...directReads().keys()]);

  it('lists every variable the code reads', () => {
    expect(CONFIG_VARIABLES.length).toBeGreaterThan(30);
    expect([...read].filter((v) => !documented.has(v)).sort()).toEqual([]);
  });

  it('lists no variable the code does not read, and each once', () => {
    expect([...documented].filter((v) => !read.has(v)).sort()).toEqual([]);
    expect(rows.length).toBe(documented.size);
  });

  it("gives each default as the schema's default, and a meaning", () => {
    const defaults = configDefaults();
    for (const row of rows) {
      expect(row.meaning, row.name).not.toBe('');
      const value = defaults[row.name];
      if (value !== undefined) expect(row.default, row.name).toContain(`\`${value}\``);
    }
  });

  it('finds process.env reads in both spellings', () => {
    const sample = 'process.env.FOO_BAR; process.env[\'BAZ\']; process.env["QUX_1"]';
    expect([...sample.matchAll(ENV_READ)].map((m) => m[1] ?? m[2])).toEqual(['FOO_BAR', 'BAZ', 'QUX_1']);
  });
});
