/**
 * docker-compose.embedded.yml (the embedded engine), docker-compose.cluster.yml
 * and the Dockerfile checked without a Docker engine (`docker compose config`
 * cannot run here): the YAML parsed, the services and their dependencies, the
 * published SIP/RTP/HTTP ports against the configuration the container gets,
 * health checks, and the callplane environment (interpolated as compose does)
 * accepted by loadConfig. docker-compose.yml (drachtio-server + FreeSWITCH)
 * and what every compose file must satisfy: compose.test.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CONFIG_VARIABLES, loadConfig } from '../../src/config/index.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

interface Service {
  image?: string;
  build?: unknown;
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] | string; interval?: string };
}

const compose = parse(fs.readFileSync(path.join(ROOT, 'docker-compose.embedded.yml'), 'utf8')) as {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
};
const dockerfile = fs.readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
const callplane = compose.services['callplane']!;
const environment = callplane.environment ?? {};

/** Compose interpolation: `${X:-default}` -> default, `${X:?error}` and `${X}` -> a sample value. */
function interpolate(value: string, samples: Record<string, string>): string {
  return value.replace(
    /\$\{([A-Z_][A-Z0-9_]*)(?::([-?])([^}]*))?\}/g,
    (_m, name: string, op?: string, arg?: string) => {
      if (op === '-') return arg ?? '';
      const sample = samples[name];
      if (sample === undefined) throw new Error(`no sample value for required \${${name}}`);
      return sample;
    },
  );
}

/** `host:container[/proto]` and `a-b:c-d[/proto]` port mappings. */
function mappings(
  ports: string[],
): Array<{ host: [number, number]; container: [number, number]; proto: string }> {
  return ports.map((p) => {
    const m = /^'?(\d+)(?:-(\d+))?:(\d+)(?:-(\d+))?(?:\/(udp|tcp))?'?$/.exec(p);
    if (!m) throw new Error(`unexpected port mapping ${p}`);
    const range = (a: string, b?: string): [number, number] => [Number(a), Number(b ?? a)];
    return { host: range(m[1]!, m[2]), container: range(m[3]!, m[4]), proto: m[5] ?? 'tcp' };
  });
}

describe('docker-compose.embedded.yml', () => {
  it('runs callplane after healthy PostgreSQL and Redis, each with a health check', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['callplane', 'postgres', 'redis']);
    expect(callplane.depends_on).toEqual({
      redis: { condition: 'service_healthy' },
      postgres: { condition: 'service_healthy' },
    });
    for (const s of Object.values(compose.services)) expect(s.healthcheck?.test).toBeDefined();
    expect(callplane.command).toEqual(['node', 'bin/callplane.js', 'start']);
  });

  it('health-checks callplane on GET /health of its HTTP port', () => {
    const test = ([] as string[]).concat(callplane.healthcheck!.test).join(' ');
    expect(test).toContain(`http://127.0.0.1:${environment['PORT']}/health`);
  });

  it('gives callplane only variables the code reads, and a configuration loadConfig accepts', () => {
    for (const name of Object.keys(environment)) expect(CONFIG_VARIABLES, name).toContain(name);
    const env = Object.fromEntries(
      Object.entries(environment).map(([k, v]) => [
        k,
        interpolate(String(v), { SIP_ADVERTISED_ADDRESS: '203.0.113.10' }),
      ]),
    );
    const config = loadConfig({ ...env, SECRET_KEY: 'ab'.repeat(32) });
    expect(config.databaseUrl).toMatch(/^postgres:\/\/callplane:[^@]+@postgres:5432\/callplane$/);
    expect(config.redisUrl).toBe('redis://redis:6379');
    expect(config.sipHost).toBe('0.0.0.0');
    expect(config.sipAdvertisedAddress).toBe('203.0.113.10');
  });

  it('requires the advertised SIP address instead of defaulting to one phones cannot reach', () => {
    expect(environment['SIP_ADVERTISED_ADDRESS']).toMatch(/^\$\{SIP_ADVERTISED_ADDRESS:\?.+\}$/);
    expect(() => interpolate(environment['SIP_ADVERTISED_ADDRESS']!, {})).toThrow(/required/);
  });

  it('publishes HTTP, SIP over UDP and TCP, and exactly the RTP range the engine uses', () => {
    const config = loadConfig({
      PORT: environment['PORT']!,
      SIP_PORT: environment['SIP_PORT']!,
      RTP_PORTS: environment['RTP_PORTS']!,
      SECRET_KEY: 'ab'.repeat(32),
    });
    const ports = mappings(callplane.ports ?? []);
    const has = (n: number, proto: string) =>
      ports.some((p) => p.proto === proto && p.container[0] === n && p.host[0] === n && p.container[1] === n);
    expect(has(config.port, 'tcp')).toBe(true);
    expect(has(config.sipPort, 'udp')).toBe(true);
    expect(has(config.sipPort, 'tcp')).toBe(true);
    const rtp = ports.find((p) => p.proto === 'udp' && p.container[1] > p.container[0]);
    // The same numbers outside and inside: the SDP names ports the phone must reach as they are.
    expect(rtp).toEqual({
      host: [config.rtpPorts.min, config.rtpPorts.max],
      container: [config.rtpPorts.min, config.rtpPorts.max],
      proto: 'udp',
    });
  });
});

describe('Dockerfile', () => {
  it('exposes what compose publishes, health-checks /health and ships the system prompts', () => {
    const expose = /^EXPOSE (.+)$/m.exec(dockerfile)?.[1]?.split(/\s+/) ?? [];
    const published = (callplane.ports ?? []).map((p) => p.split(':')[1]!.replace(/'/g, ''));
    for (const p of published) expect(expose).toContain(p);
    expect(dockerfile).toMatch(/HEALTHCHECK[\s\S]*127\.0\.0\.1:8080\/health/);
    expect(dockerfile).toMatch(/^COPY sounds \.\/sounds$/m);
  });
});

describe('docker-compose.cluster.yml (README "More than one machine")', () => {
  // Compose applies YAML merge keys (the nodes' shared environment).
  const cluster = parse(fs.readFileSync(path.join(ROOT, 'docker-compose.cluster.yml'), 'utf8'), {
    merge: true,
  }) as {
    services: Record<string, Service & { command?: string[] }>;
  };
  const samples = { SIP_ADVERTISED_ADDRESS: '203.0.113.10', CALLPLANE_SECRET_KEY: 'ab'.repeat(32) };
  const envOf = (s: Service): Record<string, string> =>
    Object.fromEntries(
      Object.entries(s.environment ?? {}).map(([k, v]) => [k, interpolate(String(v), samples)]),
    );
  const nodes = ['telephony-a', 'telephony-b'];

  it('puts Kamailio in front of two telephony nodes, with the API and the worker apart', () => {
    expect(Object.keys(cluster.services).sort()).toEqual([
      'api',
      'kamailio',
      'postgres',
      'redis',
      'telephony-a',
      'telephony-b',
      'worker',
    ]);
    const k = cluster.services['kamailio']!;
    const command = (k.command ?? []).map((c) => interpolate(c, samples));
    const nodeArgs = command.flatMap((c, i) => (command[i - 1] === '--node' ? [c] : []));
    expect(nodeArgs).toEqual(nodes.map((n) => `${n}:5060`));
    expect(command.join(' ')).toContain('--advertise 203.0.113.10:5060');
    expect(mappings(k.ports ?? [])).toEqual([
      { host: [5060, 5060], container: [5060, 5060], proto: 'udp' },
      { host: [5060, 5060], container: [5060, 5060], proto: 'tcp' },
    ]);
    expect(Object.keys(k.depends_on ?? {}).sort()).toEqual(nodes);
  });

  it('gives each node a configuration loadConfig accepts: its own NODE_ID and RTP range, one database, Redis, secret and proxy', () => {
    const configs = nodes.map((n) => {
      const env = envOf(cluster.services[n]!);
      for (const name of Object.keys(env)) expect(CONFIG_VARIABLES, name).toContain(name);
      return { n, config: loadConfig(env), ports: mappings(cluster.services[n]!.ports ?? []) };
    });
    const [a, b] = configs as [(typeof configs)[0], (typeof configs)[0]];
    expect(a.config.nodeId).not.toBe(b.config.nodeId);
    expect(a.config.databaseUrl).toBe(b.config.databaseUrl);
    expect(a.config.redisUrl).toBe(b.config.redisUrl);
    expect(a.config.secretKey.equals(b.config.secretKey)).toBe(true);
    expect(a.config.rtpPorts.max).toBeLessThan(b.config.rtpPorts.min);
    for (const { config, ports } of configs) {
      expect(config.sipProxies).toEqual([{ host: 'kamailio', port: 5060 }]);
      expect(config.sipAdvertisedAddress).toBe('203.0.113.10');
      // Published as they are: the SDP names the ports the phone must reach.
      expect(ports).toEqual([
        {
          host: [config.rtpPorts.min, config.rtpPorts.max],
          container: [config.rtpPorts.min, config.rtpPorts.max],
          proto: 'udp',
        },
      ]);
    }
    for (const s of ['api', 'worker']) loadConfig(envOf(cluster.services[s]!));
  });
});
