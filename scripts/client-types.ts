import openapiTS, { astToString } from 'openapi-typescript';
import prettier from 'prettier';

/**
 * Where the generated types of the typed client live (committed, checked by
 * test/api/client.test.ts): CLIENT_TYPES_FILE joins the parts in
 * CLIENT_TYPES_DIR, one per area of the API (its first path segment, or the
 * first two where an area is large), so no file grows past a screenful of
 * routes.
 */
export const CLIENT_TYPES_FILE = 'src/client/openapi.ts';
export const CLIENT_TYPES_DIR = 'src/client/openapi';

/** A part takes paths of one area up to about this many lines. */
const PART_LINES = 500;

const HEADER = `/**
 * Types of the REST API generated from GET /api/openapi.json by
 * openapi-typescript: \`npm run client:generate\`. Do not edit by hand; a
 * test fails when these files and the served description differ.
 */
`;

interface PathBlock {
  path: string;
  text: string;
}

/** The members of `export interface paths { ... }`, one block per path. */
function pathBlocks(source: string): { blocks: PathBlock[]; rest: string } {
  const start = source.indexOf('export interface paths {\n');
  const end = source.indexOf('\n}\n', start);
  if (start < 0 || end < 0) throw new Error('openapi-typescript gave no paths interface');
  const body = source.slice(start + 'export interface paths {\n'.length, end + 1);
  const blocks: PathBlock[] = [];
  for (const m of body.matchAll(/^ {2}'([^']+)': \{\n[\s\S]*?^ {2}\};\n/gm)) {
    blocks.push({ path: m[1]!, text: m[0] });
  }
  if (blocks.reduce((n, b) => n + b.text.length, 0) !== body.length) {
    throw new Error('openapi-typescript paths interface not in the expected layout');
  }
  return { blocks, rest: source.slice(end + 3) };
}

const segments = (p: string): string[] => p.replace(/^\/api\/?/, '').split('/');
const lines = (blocks: PathBlock[]): number => blocks.reduce((n, b) => n + b.text.split('\n').length, 0);
const typeName = (name: string): string =>
  name
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('') + 'Paths';

/** Groups the paths into parts: by area, by sub-area where large, then in runs of PART_LINES. */
function parts(blocks: PathBlock[]): Map<string, PathBlock[]> {
  const byKey = (depth: number, list: PathBlock[]): Map<string, PathBlock[]> => {
    const m = new Map<string, PathBlock[]>();
    for (const b of list) {
      const key = segments(b.path)
        .slice(0, depth)
        .filter((s) => !s.startsWith('{'))
        .join('-');
      m.set(key || 'root', [...(m.get(key || 'root') ?? []), b]);
    }
    return m;
  };
  const out = new Map<string, PathBlock[]>();
  for (const [area, list] of byKey(1, blocks)) {
    const groups = lines(list) > PART_LINES ? byKey(2, list) : new Map([[area, list]]);
    for (const [key, group] of groups) {
      let run: PathBlock[] = [];
      let n = 1;
      const flush = (): void => {
        if (run.length === 0) return;
        out.set(n === 1 ? key : `${key}-${n}`, run);
        run = [];
        n += 1;
      };
      for (const b of group) {
        if (run.length > 0 && lines(run) + lines([b]) > PART_LINES) flush();
        run.push(b);
      }
      flush();
    }
  }
  return out;
}

/**
 * The TypeScript types of an OpenAPI 3 document, formatted as the
 * repository formats code: file name (relative to the repository) → text.
 */
export async function renderClientTypes(doc: unknown): Promise<Map<string, string>> {
  const ast = await openapiTS(doc as Parameters<typeof openapiTS>[0], {
    alphabetize: true,
    // The served description has no $refs to outside files; nothing is fetched.
    exportType: false,
  });
  const options = (await prettier.resolveConfig(CLIENT_TYPES_FILE)) ?? {};
  const format = (text: string): Promise<string> =>
    prettier.format(text, { ...options, parser: 'typescript' });
  const { blocks, rest } = pathBlocks(await format(astToString(ast)));
  const files = new Map<string, string>();
  const imports: string[] = [];
  const names: string[] = [];
  for (const [key, list] of parts(blocks)) {
    const name = typeName(key);
    files.set(
      `${CLIENT_TYPES_DIR}/${key}.ts`,
      await format(`${HEADER}export interface ${name} {\n${list.map((b) => b.text).join('')}}\n`),
    );
    imports.push(`import type { ${name} } from './openapi/${key}.js';`);
    names.push(name);
  }
  files.set(
    CLIENT_TYPES_FILE,
    await format(
      `${HEADER}${imports.join('\n')}\n\n/** Every path of the API (the parts in ./openapi/). */\nexport interface paths extends ${names.join(', ')} {}\n${rest}`,
    ),
  );
  return files;
}
