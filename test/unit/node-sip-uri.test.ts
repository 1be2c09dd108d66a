import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/index.js';

const base = { SECRET_KEY: randomBytes(32).toString('base64') };

describe('NODE_SIP_URI', () => {
  it('defaults to the advertised SIP address and port', () => {
    expect(loadConfig({ ...base }).nodeSipUri).toBe('sip:127.0.0.1:5060');
    expect(loadConfig({ ...base, SIP_ADVERTISED_ADDRESS: '10.0.0.5', SIP_PORT: '5080' }).nodeSipUri).toBe(
      'sip:10.0.0.5:5080',
    );
    expect(loadConfig({ ...base, SIP_HOST: '192.0.2.7' }).nodeSipUri).toBe('sip:192.0.2.7:5060');
    expect(loadConfig({ ...base, SIP_ADVERTISED_ADDRESS: '2001:db8::5' }).nodeSipUri).toBe(
      'sip:[2001:db8::5]:5060',
    );
  });

  it('is taken as given, and refused when it is not a SIP URI without user part', () => {
    expect(loadConfig({ ...base, NODE_SIP_URI: 'sip:node-b.internal:5070' }).nodeSipUri).toBe(
      'sip:node-b.internal:5070',
    );
    for (const bad of ['http://x', 'sip:user@host', '10.0.0.5:5060', 'sip:a b']) {
      expect(() => loadConfig({ ...base, NODE_SIP_URI: bad })).toThrow(ConfigError);
    }
  });
});
