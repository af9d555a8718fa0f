/**
 * A throwaway certificate for a test's server: self-signed (openssl CLI) for the names the test
 * opens it under, and the ways a client trusts exactly it — `fetch`-like calls with it as the only
 * CA, and the SPKI pin Chromium's `--ignore-certificate-errors-spki-list` takes.
 */
import { execFileSync } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestCertificate {
  certFile: string;
  keyFile: string;
  /** The certificate's PEM: the one CA a client trusts. */
  pem: string;
  /** base64 SHA-256 of the public key (SubjectPublicKeyInfo), for Chromium's SPKI list. */
  spki: string;
}

/** A P-256 certificate valid two days for `dnsNames` and 127.0.0.1, in a fresh temporary directory. */
export function selfSignedCertificate(dnsNames: string[]): TestCertificate {
  const dir = mkdtempSync(join(tmpdir(), 'wmsj-tls-'));
  const certFile = join(dir, 'cert.pem');
  const keyFile = join(dir, 'key.pem');
  const san = [...dnsNames.map((n) => `DNS:${n}`), 'IP:127.0.0.1'].join(',');
  // Chromium checks the name in subjectAltName only; the CN is for people reading the file.
  execFileSync(
    '/usr/bin/openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '2',
      '-subj',
      `/CN=${dnsNames[0] ?? '127.0.0.1'}`,
      '-addext',
      `subjectAltName=${san}`,
      '-keyout',
      keyFile,
      '-out',
      certFile,
    ],
    { stdio: 'pipe' },
  );
  const pem = readFileSync(certFile, 'utf8');
  const der = new X509Certificate(pem).publicKey.export({ type: 'spki', format: 'der' });
  return { certFile, keyFile, pem, spki: createHash('sha256').update(der).digest('base64') };
}

/**
 * `fetch` for a server with a test certificate: Node's global fetch cannot be given a CA, so this
 * goes through node:https with `ca` (verification stays on: the name must match) and answers a
 * standard Response.
 */
export function fetchTrusting(ca: string): typeof fetch {
  return async (input, init = {}) => {
    const url = new URL(input instanceof Request ? input.url : input.toString());
    const headers = new Headers(init.headers);
    const body = typeof init.body === 'string' ? init.body : undefined;
    if (init.body !== undefined && init.body !== null && body === undefined) {
      throw new Error('fetchTrusting sends string bodies only');
    }
    return new Promise<Response>((resolve, reject) => {
      const req = request(url, { method: init.method ?? 'GET', headers: Object.fromEntries(headers), ca }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const out = new Headers();
          for (const [name, value] of Object.entries(res.headers)) {
            for (const v of Array.isArray(value) ? value : [value ?? '']) out.append(name, v);
          }
          const status = res.statusCode ?? 0;
          const payload = status === 204 || status === 304 ? null : Buffer.concat(chunks);
          resolve(new Response(payload, { status, headers: out }));
        });
      });
      req.on('error', reject);
      req.end(body);
    });
  };
}
