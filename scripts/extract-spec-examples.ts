/**
 * Extracts the request-body examples of the in-scope spec sections (SCOPE.md)
 * into test/fixtures/spec-request-examples.json, which
 * test/api/spec-examples.test.ts sends to the API. The spec lives outside the
 * repository; the extract is checked in so the test runs anywhere.
 *
 *   node --import tsx scripts/extract-spec-examples.ts [path/to/004_a40a4abb74e4ab90.txt]
 *
 * The spec's examples are documentation, not always valid JSON: a missing
 * comma between two members is put in (and the example marked `repaired`);
 * an example still not parseable is kept with `body: null` and its text.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import prettier from 'prettier';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SPEC_NAME = '004_a40a4abb74e4ab90.txt';
const CANDIDATES = [
  process.argv[2],
  path.join(ROOT, '..', 'shared', 'spec', SPEC_NAME),
  path.join(ROOT, '..', '..', 'shared', 'spec', SPEC_NAME),
].filter((p): p is string => p !== undefined);
const OUT = path.join(ROOT, 'test', 'fixtures', 'spec-request-examples.json');

/** In-scope line ranges of SCOPE.md (comments, object links, MWI's SIP side excluded below). */
const IN_SCOPE: Array<[number, number]> = [
  [448, 609],
  [610, 932],
  [933, 1392],
  [1640, 1837],
  [1838, 2424],
  [2425, 3005],
  [3174, 3392],
  [4425, 4631],
  [5315, 5731],
  [6394, 6555],
  [6556, 7054],
  [7055, 7221],
  [7222, 7235],
  [8548, 8872],
  [8873, 10179],
  [10397, 10416],
  [10464, 10665],
  [11911, 12031],
];
/** Out of scope inside those ranges (SCOPE.md: comments and object links). */
const OUT_OF_SCOPE_PATHS = [/^\/api\/object\/\(uuid\)\/comment$/, /^\/api\/comment\//, /\/link\//];

export interface SpecExample {
  /** Line of "Request body example" in the spec. */
  line: number;
  method: string;
  /** The spec's path with parameters as `(name)`. */
  path: string;
  /** Index among the bodies of this example ("- or -" alternatives). */
  variant: number;
  text: string;
  body: unknown;
  repaired: boolean;
}

function inScope(line: number): boolean {
  return IN_SCOPE.some(([a, b]) => line >= a && line <= b);
}

function cleanPath(raw: string): string {
  return raw
    .replace(/`/g, '')
    .replace(/\*/g, '')
    .split(/\s{2,}|\s(?=[A-Z][a-z])/)[0]!
    .replace(/\s+/g, '')
    .replace(/\/cnam\/phone$/, '/cnam/(phone)')
    .replace(/\/$/, '');
}

/** Puts in the commas the spec's examples sometimes lack between members, and joins wrapped lines (↪). */
function repair(text: string): string {
  return text
    .replace(/\s*\n\s*[↪→]/g, '')
    .replace(/("|\d|true|false|null|\}|\])(\s*\n\s*)(")/g, '$1,$2$3')
    .replace(/,(\s*[}\]])/g, '$1');
}

/**
 * Brackets lost or doubled where the text conversion cut a page: a closer
 * without its opener is dropped, openers left open are closed at the end.
 */
function balance(text: string): string {
  const stack: string[] = [];
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (inString) {
      if (c === '\\') {
        out += c + (text[i + 1] ?? '');
        i++;
        continue;
      }
      if (c === '"') inString = false;
      out += c;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '{' || c === '[') stack.push(c === '{' ? '}' : ']');
    else if (c === '}' || c === ']') {
      if (stack.at(-1) !== c) continue;
      stack.pop();
    }
    out += c;
  }
  return out + stack.reverse().join('');
}

/**
 * Examples whose text lost lines at a page break (not just brackets), replaced
 * by the repository's reconstruction of the spec's example.
 */
const RECONSTRUCTED: Record<string, string> = {
  // spec 4.1: the end of the example (and a brace of the first profile) fell between pages.
  '/api/dialplan/v2': 'dialplans/spec-dialplan-v2.json',
  // spec 9.1.3: the second rule group's opening "[ {" fell between two pages.
  '/api/partner/callfilter/(user-uuid)': 'test/fixtures/spec-reconstructed/partner-callfilter.json',
};

function parse(text: string): { body: unknown; repaired: boolean } {
  for (const [fix, repaired] of [
    [(t: string) => t, false],
    [repair, true],
    [(t: string) => repair(balance(t)), true],
  ] as const) {
    try {
      return { body: JSON.parse(fix(text)), repaired };
    } catch {
      // the next, stronger repair
    }
  }
  return { body: null, repaired: false };
}

function extract(specText: string): SpecExample[] {
  const lines = specText.split('\n');
  const out: SpecExample[] = [];
  let heading: { method: string; path: string } | null = null;
  for (let i = 0; i < lines.length; i++) {
    const n = i + 1;
    const m = /^#*\s*`?(GET|POST|DELETE|PUT)`?\s+(.*)$/.exec(lines[i]!.trim());
    if (m) heading = { method: m[1]!, path: cleanPath(m[2]!) };
    if (!lines[i]!.includes('Request body example') || !inScope(n) || !heading) continue;
    if (OUT_OF_SCOPE_PATHS.some((r) => r.test(heading!.path))) continue;
    // The fenced blocks up to the next section ("JSON Parameters", "Response body example").
    // The spec's text was cut at page breaks, which split one example into several
    // fenced blocks: blocks are joined until they parse ("- or -" separates variants).
    const blocks: string[] = [];
    for (let j = i + 1; j < lines.length; j++) {
      const l = lines[j]!.trim();
      if (
        /^(- )?\*?\*?JSON Parameters|Response body example|Request body example|^Status$|^(GET|POST|DELETE|PUT) /.test(
          l,
        )
      )
        break;
      if (l !== '```') continue;
      const end = lines.findIndex((x, k) => k > j && x.trim() === '```');
      if (end < 0) break;
      blocks.push(
        lines
          .slice(j + 1, end)
          .join('\n')
          .trim(),
      );
      j = end;
    }
    let variant = 0;
    for (let b = 0; b < blocks.length; b++) {
      if (!blocks[b]!.startsWith('{') && !blocks[b]!.startsWith('[')) continue;
      // A following block that does not open an object or array continues this one;
      // the closing lines the page cut left at the end of this one belong after it.
      let text = blocks[b]!;
      while (b + 1 < blocks.length && !/^[{[]/.test(blocks[b + 1]!)) {
        b += 1;
        text = `${text.replace(/(\n\s*[}\]],?\s*)+$/, '')}\n${blocks[b]!}`;
      }
      let parsed = parse(text);
      const reconstruction = RECONSTRUCTED[heading.path];
      if (heading.method === 'POST' && reconstruction) {
        parsed = {
          body: JSON.parse(fs.readFileSync(path.join(ROOT, reconstruction), 'utf8')),
          repaired: true,
        };
      }
      out.push({ line: n, method: heading.method, path: heading.path, variant: variant++, text, ...parsed });
    }
  }
  return out;
}

const spec = CANDIDATES.find((p) => fs.existsSync(p));
if (!spec) {
  process.stderr.write(`extract-spec-examples: no spec found at ${CANDIDATES.join(', ')}\n`);
  process.exit(1);
}
const examples = extract(fs.readFileSync(spec, 'utf8'));
fs.mkdirSync(path.dirname(OUT), { recursive: true });
// Written as the repository's formatter would write it, so `prettier --check` stays clean.
const prettierOptions = (await prettier.resolveConfig(OUT)) ?? {};
fs.writeFileSync(
  OUT,
  await prettier.format(JSON.stringify({ spec: SPEC_NAME, examples }), {
    ...prettierOptions,
    parser: 'json',
  }),
);
const broken = examples.filter((e) => e.body === null).length;
process.stdout.write(
  `extract-spec-examples: ${examples.length} request bodies (${broken} not JSON) -> ${path.relative(ROOT, OUT)}\n`,
);
