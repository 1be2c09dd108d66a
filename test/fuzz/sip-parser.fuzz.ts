/**
 * `npm run fuzz:sip` (issue 14): a million fuzzed SIP and SDP inputs through
 * what the embedded stack runs on every datagram and TCP stream: the
 * message parser and framer, then (for what parses) the header parsers
 * (Via, name-addr, URI, digest credentials), the SDP parser and the
 * serializer. Zero crashes and zero hangs is the bar.
 *
 * Inputs are mutated real messages (bytes replaced, inserted, deleted,
 * lines duplicated or cut, Content-Length changed), messages built from
 * random header names and values, and plain random bytes, drawn by
 * fast-check from a printed seed (FUZZ_SEED reproduces a run). The loop runs
 * in a worker thread watched by the main thread: no progress for
 * FUZZ_HANG_MS is a hang. An input slower than 100 ms in four tries is reported.
 *
 *   FUZZ_RUNS=1000000 FUZZ_SEED=14 npm run fuzz:sip
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import fc from 'fast-check';
import { parseDigestCredentials } from '../../src/telephony/embedded/sip/digest.js';
import {
  isParseFailure,
  parseMessage,
  parseVia,
  StreamFramer,
} from '../../src/telephony/embedded/sip/message.js';
import { parseSdp } from '../../src/telephony/embedded/sip/sdp.js';
import { parseNameAddr, parseUri } from '../../src/telephony/embedded/sip/uri.js';

const SDP = [
  'v=0',
  'o=alice 2890844526 2890844526 IN IP4 192.0.2.10',
  's=-',
  'c=IN IP4 192.0.2.10',
  't=0 0',
  'm=audio 49170 RTP/AVP 0 8 101',
  'a=rtpmap:0 PCMU/8000',
  'a=rtpmap:8 PCMA/8000',
  'a=rtpmap:101 telephone-event/8000',
  'a=fmtp:101 0-16',
  'a=sendrecv',
  '',
].join('\r\n');

const msg = (head: string[], body = ''): string =>
  [...head, `Content-Length: ${Buffer.byteLength(body)}`, '', body].join('\r\n');

const BASES = [
  msg(
    [
      'INVITE sip:+492216698711@sip.example.com SIP/2.0',
      'Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK776asdhds;rport',
      'Max-Forwards: 70',
      'To: <sip:+492216698711@sip.example.com>',
      'From: "Alice, A." <sip:alice_01@sip.example.com>;tag=1928301774',
      'Call-ID: a84b4c76e66710@pc33.example.com',
      'CSeq: 314159 INVITE',
      'Contact: <sip:alice_01@10.0.0.1:5060;transport=udp>',
      'Proxy-Authorization: Digest username="alice_01", realm="sip.example.com", nonce="abc", uri="sip:x", response="0123456789abcdef0123456789abcdef", algorithm=MD5, qop=auth, nc=00000001, cnonce="xyz"',
      'Content-Type: application/sdp',
    ],
    SDP,
  ),
  msg([
    'REGISTER sip:sip.example.com SIP/2.0',
    'v: SIP/2.0/TCP 10.0.0.2:5060;branch=z9hG4bKabc, SIP/2.0/UDP proxy.example.com;branch=z9hG4bKdef',
    'f: <sip:bob_01@sip.example.com>;tag=a',
    't: <sip:bob_01@sip.example.com>',
    'i: reg-1@10.0.0.2',
    'CSeq: 2 REGISTER',
    'm: <sip:bob_01@10.0.0.2:5060>;expires=3600, *',
    'Authorization: Digest username="bob_01", realm="sip.example.com", nonce="n", uri="sip:sip.example.com", response="r"',
    'Expires: 3600',
  ]),
  msg(
    [
      'SIP/2.0 200 OK',
      'Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK776asdhds;received=192.0.2.1;rport=5062',
      'To: <sip:+492216698711@sip.example.com>;tag=xyz',
      'From: <sip:alice_01@sip.example.com>;tag=1928301774',
      'Call-ID: a84b4c76e66710@pc33.example.com',
      'CSeq: 314159 INVITE',
      'Record-Route: <sip:proxy.example.com;lr>, <sip:p2.example.com;lr>',
      'Content-Type: application/sdp',
    ],
    SDP,
  ),
  msg([
    'BYE sip:alice_01@10.0.0.1:5060 SIP/2.0',
    'Via: SIP/2.0/UDP 10.0.0.3;branch=z9hG4bK9',
    'Route: <sip:proxy.example.com;lr>',
    'From: <sip:a@b>;tag=1',
    'To: <sip:c@d>;tag=2',
    'Call-ID: bye-1',
    'CSeq: 2 BYE',
  ]),
];

const HEADER_NAMES = [
  'Via',
  'v',
  'From',
  'f',
  'To',
  't',
  'Call-ID',
  'i',
  'CSeq',
  'Contact',
  'm',
  'Content-Length',
  'l',
  'Route',
  'Record-Route',
  'Authorization',
  'Proxy-Authorization',
  'Content-Type',
  'c',
  'Expires',
  'Event',
  'Max-Forwards',
  'X-Junk',
];
const NASTY = [
  '\u0000',
  '\r',
  '\n',
  '\r\n',
  '\r\n\r\n',
  ',',
  ';',
  '<',
  '>',
  '"',
  '\\',
  ':',
  '@',
  '=',
  ' ',
  '\t',
  '%',
  '\u00ff',
  '9'.repeat(40),
  'a'.repeat(9000),
  '<'.repeat(500),
  '"'.repeat(500),
];

const textArb = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom(...NASTY),
  fc.string({ unit: 'binary', maxLength: 40 }),
);

const mutation = fc.oneof(
  fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), len: fc.nat({ max: 20 }), text: textArb }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), len: fc.constant(0), text: textArb }),
  fc.record({
    kind: fc.constant('cut' as const),
    at: fc.nat(),
    len: fc.nat({ max: 400 }),
    text: fc.constant(''),
  }),
  fc.record({
    kind: fc.constant('length' as const),
    at: fc.nat(),
    len: fc.constant(0),
    text: fc.constantFrom('0', '-1', '99999999', '1e3', 'x', '', '4294967296'),
  }),
  fc.record({
    kind: fc.constant('dupline' as const),
    at: fc.nat(),
    len: fc.nat({ max: 300 }),
    text: fc.constant(''),
  }),
);

function mutate(
  base: string,
  muts: ReadonlyArray<{ kind: string; at: number; len: number; text: string }>,
): string {
  let s = base;
  for (const m of muts) {
    const at = s.length === 0 ? 0 : m.at % (s.length + 1);
    if (m.kind === 'replace') s = s.slice(0, at) + m.text + s.slice(at + m.len);
    else if (m.kind === 'insert') s = s.slice(0, at) + m.text + s.slice(at);
    else if (m.kind === 'cut') s = s.slice(0, at) + s.slice(at + m.len);
    else if (m.kind === 'length') s = s.replace(/Content-Length: [0-9]+/, `Content-Length: ${m.text}`);
    else {
      const lines = s.split('\r\n');
      const i = at % lines.length;
      lines.splice(i, 0, ...Array.from({ length: 1 + (m.len % 5) }, () => lines[i] ?? ''));
      s = lines.join('\r\n');
    }
  }
  return s;
}

const inputArb: fc.Arbitrary<Buffer> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .tuple(fc.constantFrom(...BASES), fc.array(mutation, { minLength: 1, maxLength: 6 }))
      .map(([b, m]) => Buffer.from(mutate(b, m), 'latin1')),
  },
  {
    weight: 3,
    arbitrary: fc
      .tuple(
        fc.constantFrom(
          'INVITE',
          'REGISTER',
          'BYE',
          'ACK',
          'CANCEL',
          'OPTIONS',
          'NOTIFY',
          'SUBSCRIBE',
          'X',
          'SIP/2.0',
        ),
        textArb,
        fc.array(fc.tuple(fc.constantFrom(...HEADER_NAMES), textArb), { maxLength: 20 }),
        fc.oneof(fc.constant(SDP), textArb),
      )
      .map(([method, uri, headers, body]) =>
        Buffer.from(
          [
            `${method} ${method === 'SIP/2.0' ? '200 OK' : `sip:${uri} SIP/2.0`}`,
            ...headers.map(([n, v]) => `${n}: ${v}`),
            '',
            body,
          ].join('\r\n'),
          'latin1',
        ),
      ),
  },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 2048 }).map((b) => Buffer.from(b)) },
);

/** Everything the stack does with a datagram, and the same bytes as a TCP stream in random chunks. */
function exercise(buf: Buffer, chunk: number): void {
  const r = parseMessage(buf);
  if (!isParseFailure(r)) {
    for (const v of r.getAll('via')) parseVia(v);
    for (const h of ['from', 'to', 'contact', 'route', 'record-route'])
      for (const v of r.getAll(h)) parseNameAddr(v);
    if ('uri' in r) parseUri(r.uri);
    for (const h of ['authorization', 'proxy-authorization']) {
      const v = r.get(h);
      if (v !== undefined) parseDigestCredentials(v);
    }
    parseSdp(r.body.toString('latin1'));
    r.toBuffer();
  }
  parseSdp(buf.toString('latin1'));
  const framer = new StreamFramer();
  for (let i = 0; i < buf.length; i += chunk) if (framer.push(buf.subarray(i, i + chunk)).broken) break;
}

interface Progress {
  done: number;
  slowest: number;
  slow: number;
  bytes: number;
}

if (!isMainThread) {
  const { runs, seed } = workerData as { runs: number; seed: number };
  const progress: Progress = { done: 0, slowest: 0, slow: 0, bytes: 0 };
  let failure: string | null = null;
  try {
    fc.assert(
      fc.property(inputArb, fc.integer({ min: 1, max: 1500 }), (buf, chunk) => {
        const t0 = performance.now();
        exercise(buf, chunk);
        let ms = performance.now() - t0;
        // A GC pause or a busy machine also makes an input slow: count it only if it stays slow.
        for (let again = 0; ms > 100 && again < 3; again++) {
          const t1 = performance.now();
          exercise(buf, chunk);
          ms = Math.min(ms, performance.now() - t1);
        }
        progress.done += 1;
        progress.bytes += buf.length;
        if (ms > progress.slowest) progress.slowest = ms;
        if (ms > 100) {
          progress.slow += 1;
          if (process.env['FUZZ_SHOW_SLOW'])
            parentPort?.postMessage({
              progress,
              slowInput: { ms, bytes: buf.length, chunk, head: buf.toString('latin1', 0, 300) },
            });
        }
        if (progress.done % 20_000 === 0) parentPort?.postMessage({ progress });
      }),
      { numRuns: runs, seed, endOnFailure: true },
    );
  } catch (err) {
    failure = String(err);
  }
  parentPort?.postMessage({ progress, failure, finished: true });
} else {
  const runs = Number(process.env['FUZZ_RUNS'] ?? 1_000_000);
  const seed = Number(process.env['FUZZ_SEED'] ?? Date.now() % 2 ** 31);
  const hangMs = Number(process.env['FUZZ_HANG_MS'] ?? 10_000);
  const started = performance.now();
  console.log(`fuzz:sip: ${runs} inputs, seed ${seed}`);
  // The worker loads this file again through tsx's loader (hooks registered in the main thread do not reach it).
  const boot = `import('tsx/esm/api').then((t) => { t.register(); return import(${JSON.stringify(import.meta.url)}); })`;
  const worker = new Worker(boot, { eval: true, workerData: { runs, seed } });
  let last: Progress = { done: 0, slowest: 0, slow: 0, bytes: 0 };
  let lastAt = performance.now();
  const watchdog = setInterval(() => {
    if (performance.now() - lastAt > hangMs) {
      console.log(`fuzz:sip: HANG: no progress for ${hangMs} ms after ${last.done} inputs (seed ${seed})`);
      void worker.terminate();
      process.exitCode = 1;
    }
  }, 1000);
  worker.on(
    'message',
    (m: { progress: Progress; failure?: string | null; finished?: boolean; slowInput?: unknown }) => {
      if (m.slowInput !== undefined) console.log('fuzz:sip: slow input', JSON.stringify(m.slowInput));
      last = m.progress;
      lastAt = performance.now();
      if (!m.finished) {
        if (last.done % 200_000 === 0) console.log(`fuzz:sip: ${last.done} inputs`);
        return;
      }
      clearInterval(watchdog);
      const s = (performance.now() - started) / 1000;
      console.log(
        `fuzz:sip: ${last.done} inputs (${(last.bytes / 1e6).toFixed(0)} MB) in ${s.toFixed(0)} s, ` +
          `${Math.round(last.done / s)}/s; crashes ${m.failure ? 1 : 0}, hangs 0, ` +
          `slowest input ${last.slowest.toFixed(1)} ms, inputs over 100 ms ${last.slow}`,
      );
      if (m.failure) {
        console.log(m.failure);
        process.exitCode = 1;
      }
    },
  );
  worker.on('error', (err) => {
    clearInterval(watchdog);
    console.log(`fuzz:sip: worker crashed: ${String(err)}`);
    process.exitCode = 1;
  });
}
