/**
 * How the server is reached: https of its own (TLS_CERT / TLS_KEY) and which proxies may say what
 * the client asked for (TRUST_PROXY). Checked with the rest of the configuration at boot; the app
 * is built from `transportOptions`, so tests that build it get the same server as `npm start`.
 */
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';

export interface TransportConfig {
  TLS_CERT: string;
  TLS_KEY: string;
  TRUST_PROXY: string;
}

/** proxy-addr's names for address ranges, accepted as Fastify's `trustProxy` list. */
const RANGE_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

function validProxyEntry(entry: string): boolean {
  if (RANGE_NAMES.has(entry)) return true;
  const [address = '', bits, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (bits === undefined) return true;
  const max = family === 4 ? 32 : 128;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= max;
}

/**
 * Fastify's `trustProxy`: off when empty, every hop with `true` (only when nothing reaches the
 * server but through the proxy), else the proxies' addresses, CIDR ranges or range names.
 */
export function trustProxyOption(value: string): boolean | string[] {
  const trimmed = value.trim();
  if (trimmed === '' || trimmed === 'false') return false;
  if (trimmed === 'true') return true;
  const entries = trimmed.split(',').map((e) => e.trim());
  const bad = entries.filter((e) => !validProxyEntry(e));
  if (bad.length > 0) {
    throw new Error(
      `not a proxy address (${bad.join(', ')}): give "true", or addresses, CIDR ranges, loopback, linklocal or uniquelocal, comma-separated`,
    );
  }
  return entries;
}

function readPem(variable: string, path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new Error(`${variable}=${JSON.stringify(path)}: cannot read: ${reason}`, { cause: error });
  }
}

/** The certificate chain and key, checked to be PEM and to belong together; null without TLS. */
export function tlsFiles(config: TransportConfig): { cert: string; key: string } | null {
  if (config.TLS_CERT === '' && config.TLS_KEY === '') return null;
  if (config.TLS_CERT === '' || config.TLS_KEY === '') {
    const missing = config.TLS_CERT === '' ? 'TLS_CERT' : 'TLS_KEY';
    throw new Error(`${missing}: TLS_CERT and TLS_KEY go together (both set for https, neither for http)`);
  }
  const cert = readPem('TLS_CERT', config.TLS_CERT);
  const key = readPem('TLS_KEY', config.TLS_KEY);
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(cert);
  } catch {
    throw new Error(`TLS_CERT=${JSON.stringify(config.TLS_CERT)}: not a PEM certificate`);
  }
  let privateKey;
  try {
    privateKey = createPrivateKey(key);
  } catch {
    // The key's content is never echoed: it is a secret.
    throw new Error(`TLS_KEY=${JSON.stringify(config.TLS_KEY)}: not a PEM private key (an unencrypted one)`);
  }
  if (!certificate.checkPrivateKey(privateKey)) {
    throw new Error(`TLS_KEY=${JSON.stringify(config.TLS_KEY)}: does not belong to the certificate in TLS_CERT`);
  }
  return { cert, key };
}

/** Every transport problem, each naming its variable; empty when the configuration is usable. */
export function transportProblems(config: TransportConfig): string[] {
  const problems: string[] = [];
  try {
    trustProxyOption(config.TRUST_PROXY);
  } catch (error) {
    problems.push(`TRUST_PROXY=${JSON.stringify(config.TRUST_PROXY)}: ${(error as Error).message}`);
  }
  try {
    tlsFiles(config);
  } catch (error) {
    problems.push((error as Error).message);
  }
  return problems;
}

/** Fastify's server options for this transport. */
export function transportOptions(config: TransportConfig): {
  https: { cert: string; key: string } | null;
  trustProxy: boolean | string[];
} {
  return { https: tlsFiles(config), trustProxy: trustProxyOption(config.TRUST_PROXY) };
}
