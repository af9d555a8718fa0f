/**
 * TLS_CERT / TLS_KEY and TRUST_PROXY are checked at boot with the rest of the configuration: a bad
 * one stops the start with the variable named, never with the key's content.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config.js';
import { transportOptions } from '../../server/transport.js';
import { selfSignedCertificate, type TestCertificate } from '../helpers/tls.js';

let first: TestCertificate;
let second: TestCertificate;
let dir = '';

beforeAll(() => {
  first = selfSignedCertificate(['a.lan.test']);
  second = selfSignedCertificate(['b.lan.test']);
  dir = mkdtempSync(join(tmpdir(), 'wmsj-tls-bad-'));
});

/** The configuration error's message for `env`, or '' when it loads. */
function refusal(env: Record<string, string>): string {
  try {
    loadConfig(env);
    return '';
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.message;
  }
}

describe('TLS_CERT / TLS_KEY', () => {
  it('serves http with neither and https with a matching pair', () => {
    expect(transportOptions(loadConfig({})).https).toBeNull();
    const config = loadConfig({ TLS_CERT: first.certFile, TLS_KEY: first.keyFile });
    expect(transportOptions(config).https).toEqual({ cert: first.pem, key: readFileSync(first.keyFile, 'utf8') });
  });

  it('names the missing half of the pair', () => {
    expect(refusal({ TLS_CERT: first.certFile })).toContain('TLS_KEY: TLS_CERT and TLS_KEY go together');
    expect(refusal({ TLS_KEY: first.keyFile })).toContain('TLS_CERT: TLS_CERT and TLS_KEY go together');
  });

  it('names a file it cannot read, or that is not PEM', () => {
    expect(refusal({ TLS_CERT: join(dir, 'none.pem'), TLS_KEY: first.keyFile })).toContain(
      `TLS_CERT=${JSON.stringify(join(dir, 'none.pem'))}: cannot read: ENOENT`,
    );
    const junk = join(dir, 'junk.pem');
    writeFileSync(junk, 'not a certificate');
    expect(refusal({ TLS_CERT: junk, TLS_KEY: first.keyFile })).toContain(
      'TLS_CERT="' + junk + '": not a PEM certificate',
    );
    expect(refusal({ TLS_CERT: first.certFile, TLS_KEY: junk })).toContain(
      'TLS_KEY="' + junk + '": not a PEM private key',
    );
  });

  it("refuses a key that is not the certificate's, without printing the key", () => {
    const message = refusal({ TLS_CERT: first.certFile, TLS_KEY: second.keyFile });
    expect(message).toContain('does not belong to the certificate in TLS_CERT');
    expect(message).not.toContain('PRIVATE KEY');
  });
});

describe('TRUST_PROXY', () => {
  const trust = (value: string) => transportOptions(loadConfig({ TRUST_PROXY: value })).trustProxy;

  it('is off by default, every hop with true, else the listed addresses and ranges', () => {
    expect(transportOptions(loadConfig({})).trustProxy).toBe(false);
    expect(trust('true')).toBe(true);
    expect(trust('127.0.0.1, 10.0.0.0/8,::1,fd00::/8, loopback')).toEqual([
      '127.0.0.1',
      '10.0.0.0/8',
      '::1',
      'fd00::/8',
      'loopback',
    ]);
  });

  it('names what is not an address: a hop count, a typo, a range too wide', () => {
    for (const value of ['1', 'yes', 'nginx.local', '10.0.0.0/33', '10.0.0.1/8/2']) {
      expect(refusal({ TRUST_PROXY: value })).toContain(`TRUST_PROXY=${JSON.stringify(value)}: not a proxy address`);
    }
  });
});
