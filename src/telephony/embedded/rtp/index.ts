/** The embedded RTP layer: packets, G.711, RFC 4733 events, sessions and the port pool (the relay between legs is media-channel.ts). */
export * from './packet.js';
export * from './g711.js';
export * from './telephone-event.js';
export * from './session.js';
export * from './port-pool.js';
