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
/** Ports this process handed out already (here and by helpers/sipp.ts): never twice. */
export const handedOut = new Set<number>();

/** Binds UDP `port` (0: any) and lets it go: the port bound, or undefined when it is taken. */
export function udpBindable(port: number, host = '127.0.0.1'): Promise<number | undefined> {
  return new Promise((resolve) => {
    const sock = dgram.createSocket('udp4');
    sock.once('error', () => {
      sock.close();
      resolve(undefined);
    });
    sock.bind(port, host, () => {
      const bound = sock.address().port;
      sock.close(() => resolve(bound));
    });
  });
}

/** Whether TCP `port` can be listened on. */
export function tcpBindable(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

/** A port free for both UDP and TCP on 127.0.0.1. */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 500; attempt++) {
    const port = LOW + Math.floor(Math.random() * SPAN);
    if (handedOut.has(port)) continue;
    if (!(await tcpBindable(port)) || (await udpBindable(port)) === undefined) continue;
    handedOut.add(port);
    return port;
  }
  throw new Error(`no free port in ${LOW}-${LOW + SPAN - 1}`);
}
