/**
 * Ports for the tests' own listeners (API, SIP, softphones), drawn from
 * 30000-32699: below the kernel's ephemeral range (32768-60999 here), whose
 * ports every outgoing connection of the tests running beside takes. A port
 * picked there with listen(0) could be taken by such a connection in the
 * seconds before the engine or baresip bound it ("port … is in use",
 * a softphone that never registered). Above the RTP and media ranges the
 * other tests use (10000-29999); 32700-32767 is the CLI test's RTP range.
 */
import dgram from 'node:dgram';
import net from 'node:net';

const LOW = 30_000;
const SPAN = 2_700;
/** Ports this process handed out already: never twice. */
const handedOut = new Set<number>();

function tcpFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

function udpFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const u = dgram.createSocket('udp4');
    u.once('error', () => resolve(false));
    u.bind(port, '127.0.0.1', () => u.close(() => resolve(true)));
  });
}

/** A port free for both UDP and TCP on 127.0.0.1. */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 500; attempt++) {
    const port = LOW + Math.floor(Math.random() * SPAN);
    if (handedOut.has(port)) continue;
    if (!(await tcpFree(port)) || !(await udpFree(port))) continue;
    handedOut.add(port);
    return port;
  }
  throw new Error(`no free port in ${LOW}-${LOW + SPAN - 1}`);
}
