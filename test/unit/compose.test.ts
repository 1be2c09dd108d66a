/**
 * Every docker-compose*.yml checked without a Docker engine (`docker compose
 * config` runs too where the compose plugin is installed): what compose itself would
 * refuse or silently get wrong (services without image or build, unpinned
 * images, unknown dependencies, undeclared volumes and networks, malformed
 * port mappings, missing bind-mount sources), what the files promise their
 * readers (each required `${VAR:?…}` named in the header), and callplane's
 * environment against src/config. Then docker-compose.yml itself: callplane
 * with TELEPHONY=freeswitch wired to the drachtio-server and FreeSWITCH
 * services, the public ports, and FreeSWITCH configured through the
 * variables freeswitch-conf/vars.xml reads.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CONFIG_VARIABLES, loadConfig } from '../../src/config/index.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

interface Service {
  image?: string;
  build?: string | { context?: string; dockerfile?: string };
  entrypoint?: string[] | string;
  command?: string[] | string;
  environment?: Record<string, string | number | boolean | null> | string[];
  ports?: Array<string | number | { target: number; published?: string | number; protocol?: string }>;
  volumes?: Array<string | { type?: string; source?: string; target: string }>;
  tmpfs?: string[] | string;
  networks?: string[] | Record<string, { ipv4_address?: string } | null>;
  depends_on?: string[] | Record<string, { condition?: string }>;
  healthcheck?: { test?: string[] | string; disable?: boolean };
}

interface ComposeFile {
  name: string;
  text: string;
  doc: {
    services: Record<string, Service>;
    volumes?: Record<string, unknown>;
    networks?: Record<string, { ipam?: { config?: Array<{ subnet?: string }> } } | null>;
  };
}

const files: ComposeFile[] = fs
  .readdirSync(ROOT)
  .filter((f) => /^docker-compose[\w.-]*\.ya?ml$/.test(f))
  .sort()
  .map((name) => {
    const text = fs.readFileSync(path.join(ROOT, name), 'utf8');
    // Compose applies YAML merge keys (docker-compose.cluster.yml's shared environment).
    return { name, text, doc: parse(text, { merge: true }) as ComposeFile['doc'] };
  });

/** The leading comment block: what the file tells its reader before any YAML. */
function header(text: string): string {
  const lines = text.split('\n');
  const end = lines.findIndex((l) => !/^\s*(#.*)?$/.test(l));
  return lines.slice(0, end === -1 ? lines.length : end).join('\n');
}

/** Variables a file requires (`${VAR:?message}`), wherever they appear. */
function requiredVariables(text: string): string[] {
  return [...new Set([...text.matchAll(/\$\{([A-Z_][A-Z0-9_]*):?\?/g)].map((m) => m[1]!))];
}

/** Compose interpolation: `${X:-default}` -> default, `${X:?error}` and `${X}` -> a sample value. */
function interpolate(value: string, samples: Record<string, string>): string {
  return value.replace(
    /\$\{([A-Z_][A-Z0-9_]*)(?::?([-?])([^}]*))?\}/g,
    (_m, name: string, op?: string, arg?: string) => {
      if (op === '-') return arg ?? '';
      const sample = samples[name];
      if (sample === undefined) throw new Error(`no sample value for required \${${name}}`);
      return sample;
    },
  );
}

const SAMPLES: Record<string, string> = {
  SIP_ADVERTISED_ADDRESS: '203.0.113.10',
  CALLPLANE_SECRET_KEY: 'ab'.repeat(32),
};

function environment(s: Service): Record<string, string> {
  const env = s.environment ?? {};
  const entries = Array.isArray(env)
    ? env.map((e) => {
        const i = e.indexOf('=');
        return i === -1 ? [e, ''] : [e.slice(0, i), e.slice(i + 1)];
      })
    : Object.entries(env).map(([k, v]) => [k, v === null ? '' : String(v)]);
  return Object.fromEntries(entries) as Record<string, string>;
}

const interpolated = (s: Service): Record<string, string> =>
  Object.fromEntries(Object.entries(environment(s)).map(([k, v]) => [k, interpolate(v, SAMPLES)]));

const argv = (v: string[] | string | undefined): string[] =>
  v === undefined ? [] : Array.isArray(v) ? v.map(String) : v.split(/\s+/).filter(Boolean);

/** The value after `flag` in an argument list. */
function option(args: string[], flag: string): string | undefined {
  const i = args.indexOf(flag);
  return i === -1 ? undefined : args[i + 1];
}

interface Mapping {
  host: [number, number] | null;
  container: [number, number];
  proto: string;
}

/** Short (`[ip:][host[-host]:]container[-container][/proto]`) and long port syntax; throws when malformed. */
function mapping(
  p: string | number | { target: number; published?: string | number; protocol?: string },
): Mapping {
  const range = (a: string, b?: string): [number, number] => [Number(a), Number(b ?? a)];
  if (typeof p === 'object') {
    const published = p.published === undefined ? null : String(p.published).split('-');
    return {
      host: published ? range(published[0]!, published[1]) : null,
      container: [p.target, p.target],
      proto: p.protocol ?? 'tcp',
    };
  }
  const m = /^(?:(?:\d{1,3}\.){3}\d{1,3}:)?(?:(\d+)(?:-(\d+))?:)?(\d+)(?:-(\d+))?(?:\/(udp|tcp|sctp))?$/.exec(
    String(p),
  );
  if (!m) throw new Error(`malformed port mapping ${String(p)}`);
  return {
    host: m[1] === undefined ? null : range(m[1], m[2]),
    container: range(m[3]!, m[4]),
    proto: m[5] ?? 'tcp',
  };
}

interface Mount {
  source: string | null;
  target: string;
  bind: boolean;
}

function mounts(s: Service): Mount[] {
  return (s.volumes ?? []).map((v) => {
    if (typeof v === 'object') {
      return { source: v.source ?? null, target: v.target, bind: v.type === 'bind' };
    }
    const parts = v.split(':');
    if (parts.length === 1) return { source: null, target: parts[0]!, bind: false };
    const source = parts[0]!;
    return { source, target: parts[1]!, bind: /^[./~]/.test(source) };
  });
}

const networksOf = (s: Service): Record<string, { ipv4_address?: string } | null> =>
  s.networks === undefined
    ? { default: null }
    : Array.isArray(s.networks)
      ? Object.fromEntries(s.networks.map((n) => [n, null]))
      : s.networks;

const dependencies = (s: Service): Record<string, { condition?: string }> =>
  s.depends_on === undefined
    ? {}
    : Array.isArray(s.depends_on)
      ? Object.fromEntries(s.depends_on.map((n) => [n, {}]))
      : s.depends_on;

/** A service that runs callplane's image (built from this repository). */
const isCallplane = (s: Service): boolean =>
  s.build === '.' || (typeof s.build === 'object' && (s.build.context ?? '.') === '.');

/** A health check in the file, or the HEALTHCHECK of the Dockerfile the service is built from. */
function hasHealthCheck(s: Service): boolean {
  if (s.healthcheck?.disable === true) return false;
  if (s.healthcheck?.test !== undefined) return true;
  if (s.build === undefined) return false;
  const context = typeof s.build === 'string' ? s.build : (s.build.context ?? '.');
  const dockerfile = typeof s.build === 'string' ? 'Dockerfile' : (s.build.dockerfile ?? 'Dockerfile');
  return /^HEALTHCHECK\s+(?!NONE)/m.test(fs.readFileSync(path.join(ROOT, context, dockerfile), 'utf8'));
}

function inSubnet(address: string, cidr: string): boolean {
  const [base, bits] = cidr.split('/') as [string, string];
  const list = new net.BlockList();
  list.addSubnet(base, Number(bits), 'ipv4');
  return list.check(address, 'ipv4');
}

/**
 * `docker compose` (the plugin), else the standalone `docker-compose`, where installed: it validates a
 * file against the compose specification and interpolates it without an engine.
 */
const composeCommand: string[] | null =
  [['docker', 'compose'], ['docker-compose']].find(
    ([cmd, ...args]) =>
      spawnSync(cmd!, [...args, 'version'], { stdio: 'ignore', timeout: 10_000 }).status === 0,
  ) ?? null;

describe.each(files.map((f) => [f.name, f] as const))('%s', (_name, file) => {
  const services = Object.entries(file.doc.services);

  it.skipIf(!composeCommand)('passes `docker compose config`', () => {
    const [cmd, ...args] = composeCommand!;
    const r = spawnSync(cmd!, [...args, '-f', file.name, 'config', '-q'], {
      cwd: ROOT,
      env: { ...process.env, ...SAMPLES },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(r.status, r.stderr).toBe(0);
  });

  it('opens with a header that names every variable it requires', () => {
    const top = header(file.text);
    expect(top.split('\n').length).toBeGreaterThan(3);
    for (const name of requiredVariables(file.text)) expect(top, name).toContain(name);
  });

  it('gives every service an image pinned by tag or digest, or a build context that exists', () => {
    expect(services.length).toBeGreaterThan(0);
    for (const [name, s] of services) {
      expect(s.image !== undefined || s.build !== undefined, `${name}: image or build`).toBe(true);
      if (s.image !== undefined) {
        const pinned = /@sha256:[0-9a-f]{64}$/.test(s.image) || /:[^/:]+$/.test(s.image);
        expect(pinned, `${name}: ${s.image} is pinned`).toBe(true);
        expect(s.image, `${name}: not latest`).not.toMatch(/:latest(@|$)/);
        expect(s.image, `${name}: no variable in the image`).not.toContain('$');
      }
      if (s.build !== undefined) {
        const context = typeof s.build === 'string' ? s.build : (s.build.context ?? '.');
        const dockerfile = typeof s.build === 'string' ? 'Dockerfile' : (s.build.dockerfile ?? 'Dockerfile');
        expect(fs.existsSync(path.join(ROOT, context, dockerfile)), `${name}: ${context}/${dockerfile}`).toBe(
          true,
        );
      }
    }
  });

  it('depends only on services of the file, and waits for health only where there is a health check', () => {
    for (const [name, s] of services) {
      for (const [dep, { condition }] of Object.entries(dependencies(s))) {
        expect(file.doc.services, `${name} depends on ${dep}`).toHaveProperty([dep]);
        expect(dep, `${name} depends on itself`).not.toBe(name);
        if (condition !== undefined) {
          expect(['service_started', 'service_healthy', 'service_completed_successfully']).toContain(
            condition,
          );
        }
        if (condition === 'service_healthy') {
          expect(hasHealthCheck(file.doc.services[dep]!), `${dep} has a health check`).toBe(true);
        }
      }
    }
  });

  it('declares its named volumes and networks, and mounts only paths that exist', () => {
    const volumes = Object.keys(file.doc.volumes ?? {});
    const networks = ['default', ...Object.keys(file.doc.networks ?? {})];
    for (const [name, s] of services) {
      for (const m of mounts(s)) {
        expect(m.target, `${name}: absolute target`).toMatch(/^\//);
        if (m.source === null) continue;
        if (m.bind) {
          expect(fs.existsSync(path.join(ROOT, m.source)), `${name}: ${m.source} exists`).toBe(true);
        } else {
          expect(volumes, `${name}: volume ${m.source} declared`).toContain(m.source);
        }
      }
      for (const [n, settings] of Object.entries(networksOf(s))) {
        expect(networks, `${name}: network ${n} declared`).toContain(n);
        const address = settings?.ipv4_address;
        if (address === undefined) continue;
        const subnets = (file.doc.networks?.[n]?.ipam?.config ?? []).flatMap((c) =>
          c.subnet ? [c.subnet] : [],
        );
        expect(
          subnets.some((c) => inSubnet(address, c)),
          `${name}: ${address} in ${n}'s subnet`,
        ).toBe(true);
      }
    }
  });

  it('publishes well-formed port mappings, each host port once', () => {
    const taken = new Map<string, string>();
    for (const [name, s] of services) {
      for (const p of s.ports ?? []) {
        const m = mapping(p);
        const label = `${name}: ${JSON.stringify(p)}`;
        for (const [a, b] of [m.container, ...(m.host ? [m.host] : [])]) {
          expect(a, label).toBeGreaterThanOrEqual(1);
          expect(b, label).toBeLessThanOrEqual(65535);
          expect(a, `${label} range order`).toBeLessThanOrEqual(b);
        }
        if (!m.host) continue;
        expect(m.host[1] - m.host[0], `${label} ranges of one length`).toBe(m.container[1] - m.container[0]);
        for (let port = m.host[0]; port <= m.host[1]; port++) {
          const key = `${port}/${m.proto}`;
          expect(taken.get(key), `${key} published twice`).toBeUndefined();
          taken.set(key, name);
        }
      }
    }
  });

  it("gives callplane's containers only variables src/config knows, and a configuration loadConfig accepts", () => {
    const callplanes = services.filter(([, s]) => isCallplane(s));
    expect(callplanes.length).toBeGreaterThan(0);
    for (const [name, s] of callplanes) {
      const env = interpolated(s);
      for (const v of Object.keys(env)) expect(CONFIG_VARIABLES, `${name}: ${v}`).toContain(v);
      expect(() => loadConfig({ SECRET_KEY: 'ab'.repeat(32), ...env }), name).not.toThrow();
    }
  });
});

describe('docker-compose.yml (drachtio-server + FreeSWITCH)', () => {
  const file = files.find((f) => f.name === 'docker-compose.yml')!;
  const s = file.doc.services;
  const callplane = s['callplane']!;
  const drachtio = s['drachtio']!;
  const freeswitch = s['freeswitch']!;
  const env = interpolated(callplane);
  const config = loadConfig({ SECRET_KEY: 'ab'.repeat(32), ...env });
  const fsEnv = interpolated(freeswitch);
  const drachtioArgs = [...argv(drachtio.entrypoint), ...argv(drachtio.command)].map((a) =>
    interpolate(a, SAMPLES),
  );
  const fsArgs = [...argv(freeswitch.entrypoint), ...argv(freeswitch.command)];
  const voice = file.doc.networks?.['voice']?.ipam?.config?.[0]?.subnet ?? '';
  const fsAddress = networksOf(freeswitch)['voice']?.ipv4_address ?? '';

  it('runs callplane, PostgreSQL, Redis, drachtio-server and FreeSWITCH; callplane waits for all four to be healthy', () => {
    expect(Object.keys(s).sort()).toEqual(['callplane', 'drachtio', 'freeswitch', 'postgres', 'redis']);
    expect(dependencies(callplane)).toEqual({
      redis: { condition: 'service_healthy' },
      postgres: { condition: 'service_healthy' },
      drachtio: { condition: 'service_healthy' },
      freeswitch: { condition: 'service_healthy' },
    });
    for (const svc of Object.values(s)) expect(svc.healthcheck?.test).toBeDefined();
    expect(drachtio.image).toMatch(/^drachtio\/drachtio-server:\d+\.\d+\.\d+$/);
    expect(freeswitch.image).toMatch(/:1\.10\.\d+$/);
  });

  it('has callplane drive the drachtio and freeswitch services with the secrets they are given', () => {
    expect(config.telephony).toBe('freeswitch');
    expect(config.freeswitch.drachtio).toEqual({
      host: 'drachtio',
      port: Number(option(drachtioArgs, '--port')),
      secret: option(drachtioArgs, '--secret'),
    });
    expect(config.freeswitch.esl).toEqual({
      host: 'freeswitch',
      port: Number(fsEnv['FREESWITCH_ESL_PORT']),
      password: fsEnv['FREESWITCH_ESL_PASSWORD'],
    });
    // The same variable on both sides, so setting it once changes both.
    expect(environment(callplane)['DRACHTIO_SECRET']).toBe(option(argv(drachtio.command), '--secret'));
    expect(environment(callplane)['FREESWITCH_ESL_PASSWORD']).toBe(
      environment(freeswitch)['FREESWITCH_ESL_PASSWORD'],
    );
  });

  it("sends FreeSWITCH's outbound event socket connections to callplane's name on the port it listens on", () => {
    expect(config.freeswitch.listen.address).toBe('0.0.0.0');
    expect(config.freeswitch.listen.port).toBeGreaterThan(0);
    expect(config.freeswitch.advertise).toEqual({
      address: 'callplane',
      port: config.freeswitch.listen.port,
    });
    expect(Object.keys(networksOf(callplane))).toContain('voice');
  });

  it('publishes HTTP on callplane, SIP over UDP and TCP on drachtio and the RTP range on FreeSWITCH, nothing internal', () => {
    const published = (svc: Service) => (svc.ports ?? []).map(mapping);
    expect(published(callplane)).toEqual([
      { host: [config.port, config.port], container: [config.port, config.port], proto: 'tcp' },
    ]);
    expect(published(drachtio)).toEqual([
      { host: [5060, 5060], container: [5060, 5060], proto: 'udp' },
      { host: [5060, 5060], container: [5060, 5060], proto: 'tcp' },
    ]);
    expect(option(drachtioArgs, '--contact')).toMatch(/^sip:[^;]*:5060;transport=udp,tcp$/);
    const rtp: [number, number] = [
      Number(fsEnv['FREESWITCH_RTP_START_PORT']),
      Number(fsEnv['FREESWITCH_RTP_END_PORT']),
    ];
    // The same numbers outside and inside: FreeSWITCH's SDP names the ports the phone must reach.
    expect(published(freeswitch)).toEqual([{ host: rtp, container: rtp, proto: 'udp' }]);
    expect(rtp[1] - rtp[0]).toBeGreaterThan(10);
  });

  it('advertises SIP_ADVERTISED_ADDRESS in SIP (drachtio) and SDP (FreeSWITCH), and requires it', () => {
    const required = /^\$\{SIP_ADVERTISED_ADDRESS:\?.+\}$/;
    expect(option(argv(drachtio.command), '--external-ip')).toMatch(required);
    expect(environment(freeswitch)['FREESWITCH_EXT_RTP_IP']).toMatch(required);
    expect(option(drachtioArgs, '--external-ip')).toBe(SAMPLES['SIP_ADVERTISED_ADDRESS']);
    expect(() => interpolate(environment(freeswitch)['FREESWITCH_EXT_RTP_IP']!, {})).toThrow(/required/);
  });

  it("binds FreeSWITCH's SIP profile, RTP and event socket to its fixed address on the voice network, which drachtio treats as local", () => {
    expect(net.isIPv4(fsAddress)).toBe(true);
    expect(inSubnet(fsAddress, voice)).toBe(true);
    for (const v of ['FREESWITCH_SIP_IP', 'FREESWITCH_RTP_IP', 'FREESWITCH_ESL_IP'])
      expect(fsEnv[v], v).toBe(fsAddress);
    expect(fsEnv['FREESWITCH_ESL_ALLOW']).toBe(voice);
    expect(option(drachtioArgs, '--local-net')).toBe(voice);
    expect(Object.keys(networksOf(drachtio))).toEqual(['voice']);
    // The health check asks the event socket where it listens, from an address the ACL allows.
    const test = argv(freeswitch.healthcheck?.test).join(' ');
    expect(test).toContain(`fs_cli -H ${fsAddress} -P ${fsEnv['FREESWITCH_ESL_PORT']}`);
  });

  it('sets only the FreeSWITCH variables freeswitch-conf/vars.xml reads', () => {
    const vars = fs.readFileSync(path.join(ROOT, 'freeswitch-conf/vars.xml'), 'utf8');
    const known = [...vars.matchAll(/cmd="env-set" data="[a-z_]+=\$([A-Z_][A-Z0-9_]*)"/g)].map((m) => m[1]!);
    expect(known.length).toBeGreaterThan(5);
    for (const v of Object.keys(fsEnv)) expect(known, v).toContain(v);
  });

  it("starts FreeSWITCH on the repository's freeswitch-conf/ and sounds/, at the paths its configuration and callplane use", () => {
    const m = mounts(freeswitch);
    const conf = m.find((x) => x.source === './freeswitch-conf');
    expect(conf).toBeDefined();
    expect(option(fsArgs, '-conf')).toBe(conf!.target);
    for (const f of ['freeswitch.xml', 'vars.xml', 'sip_profiles/mrf.xml', 'dialplan/mrf.xml']) {
      expect(fs.existsSync(path.join(ROOT, 'freeswitch-conf', f)), f).toBe(true);
    }
    // -conf, -log and -db go together (freeswitch-conf/README.md).
    expect(option(fsArgs, '-log')).toBeDefined();
    expect(option(fsArgs, '-db')).toBeDefined();
    const sounds = m.find((x) => x.source === './sounds');
    expect(sounds?.target).toBe(fsEnv['FREESWITCH_SOUNDS_DIR']);
    // Where the callplane image has them (WORKDIR /app, COPY sounds ./sounds).
    const dockerfile = fs.readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/^WORKDIR \/app$/m);
    expect(dockerfile).toMatch(/^COPY sounds \.\/sounds$/m);
    expect(sounds?.target).toBe('/app/sounds');
  });

  it("mounts callplane's data volume at the same path in FreeSWITCH, so recordings and fax files have one name", () => {
    const data = mounts(callplane).find((x) => x.target === path.posix.normalize(env['DATA_DIR']!));
    expect(data?.source).toBeTruthy();
    expect(mounts(freeswitch)).toContainEqual({ source: data!.source, target: data!.target, bind: false });
    expect(config.objectDir.startsWith(data!.target + '/')).toBe(true);
  });
});
