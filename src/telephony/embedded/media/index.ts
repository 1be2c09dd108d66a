/** Media on an embedded RTP session: the shared 20 ms clock, WAV files, the player, the recorder and DTMF. */
export * from './pacer.js';
export * from './wav.js';
export * from './player.js';
export * from './recorder.js';
export * from './dtmf.js';
