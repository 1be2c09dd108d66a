import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The typed face of the project's spandsp addon (native/spandsp): one
 * `SpandspEngine` is one spandsp fax terminal, T.30 over the G.711 audio
 * modems (`fax_state_t`: V.17, V.29, V.27ter, V.21) or over T.38 IFP
 * packets (`t38_terminal_state_t`). It only moves buffers and reports what
 * happened; FaxSession (fax-session.ts) makes the decisions.
 */

/** spandsp's `t30_stats_t` at the moment of an event. */
export interface T30Stats {
  /** Bits per second of the image data modem (2400 ... 14400). */
  bitRate: number;
  ecm: boolean;
  pagesTx: number;
  pagesRx: number;
  /** Pages in the file being sent (< 0 when not known). */
  pagesInFile: number;
  /** Pixels per metre of the latest page. */
  xResolution: number;
  yResolution: number;
  width: number;
  length: number;
  imageSize: number;
  /** T.4 1D = 1, T.4 2D = 2, T.6 = 3 (spandsp's T4_COMPRESSION_ITU_*). */
  encoding: number;
  badRows: number;
  longestBadRowRun: number;
  ecmRetries: number;
  currentStatus: number;
  /** The far end's ident (CSI when sending, TSI when receiving). */
  remoteIdent: string;
}

export type EngineEvent =
  /** Phase B: the capabilities (DIS/DCS) were exchanged; `code` is the T.30 frame's FCF. */
  | { type: 'phase-b'; code: number; stats: T30Stats }
  /** Phase D: a page was sent or received (`code`: the post-page FCF). */
  | { type: 'page'; code: number; stats: T30Stats }
  /** Phase E: the session ended; `code` is the T.30 completion code (0 = success). */
  | { type: 'phase-e'; code: number; stats: T30Stats }
  | { type: 'document'; code: number; stats: T30Stats }
  | { type: 'log'; lines: string[] };

export interface EngineOptions {
  transport: 'audio' | 't38';
  /** The calling side sends CNG and waits for the answering side's DIS. */
  calling: boolean;
  /** Our ident (TSI/CSI), at most 20 characters (T.30 §5.3.6.2.4). */
  ident?: string;
  /** The header line printed on top of each sent page (at most 50 characters). */
  headerInfo?: string;
  ecm: boolean;
  /** Bit mask of the `modems` constants. */
  modems: number;
  /** Bit mask of the `compressions` constants. */
  compressions: number;
  txFile?: string;
  /** 0-based first and last page to send; -1 = from the start / to the end. */
  startPage?: number;
  stopPage?: number;
  rxFile?: string;
  /** Collect spandsp's protocol log as `log` events. */
  log?: boolean;
  t38Version?: number;
  /** Our T38FaxMaxDatagram: spandsp keeps its IFP packets within it. */
  maxDatagram?: number;
  /** 1 = localTCF, 2 = transferredTCF (T.38 §D.2.3). */
  rateManagement?: 1 | 2;
  fillBitRemoval?: boolean;
  /** Pace IFP output at the modem's speed (false: as fast as possible, for TCP). */
  pacing?: boolean;
}

export interface SpandspEngine {
  rxAudio(samples: Int16Array): void;
  /** Fills `out` with modem audio; returns the number of samples written. */
  txAudio(out: Int16Array): number;
  /** One received IFP packet with its sequence number; < 0 when spandsp rejected it. */
  rxIfp(ifp: Uint8Array, seq: number): number;
  /** T.38: `samples` (8 kHz) of time passed; returns true once T.30 is done. */
  advance(samples: number): boolean;
  takeEvents(): EngineEvent[];
  /** IFP packets to send; `count` is how often spandsp would repeat one without UDPTL redundancy. */
  takePackets(): Array<{ ifp: Buffer; count: number }>;
  stats(): T30Stats | null;
  /** The call ended: T.30 stops and reports phase E. */
  terminate(): void;
  active(): boolean;
  close(): void;
}

/** spandsp's modem_connect_tones_rx: returns the tone's code once detected (1 CNG, 2 CED, 6 V.21 preamble), else 0. */
export interface SpandspToneDetector {
  rx(samples: Int16Array): number;
  close(): void;
}

export interface SpandspAddon {
  FaxEngine: new (opts: EngineOptions) => SpandspEngine;
  ToneDetector: new (kind: 'cng' | 'ced') => SpandspToneDetector;
  modems: { V27TER: number; V29: number; V17: number };
  compressions: { T4_1D: number; T4_2D: number; T6: number };
  spandspRelease: string;
}

/** The addon is not built (npm ci without libspandsp-dev): fax cannot run on this node. */
export class FaxStackUnavailable extends Error {
  override name = 'FaxStackUnavailable';
}

const ADDON = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../../native/spandsp/build/Release/callplane_spandsp.node',
);

let loaded: SpandspAddon | undefined;

/** Loads the addon on first use, so processes that never fax never need it. */
export function spandsp(): SpandspAddon {
  if (loaded) return loaded;
  if (!fs.existsSync(ADDON)) {
    throw new FaxStackUnavailable(
      'the spandsp fax addon is not built: install libspandsp-dev (bash scripts/setup.sh) and run npm ci',
    );
  }
  loaded = createRequire(import.meta.url)(ADDON) as SpandspAddon;
  return loaded;
}
