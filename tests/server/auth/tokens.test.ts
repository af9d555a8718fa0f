import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TokenStore } from '../../../server/auth/tokens.js';

const tokenFile = () => join(mkdtempSync(join(tmpdir(), 'wmsj-tokens-')), 'tokens.json');
const DEVICE = [{ secret: 'configured-device-token', source: 'INGEST_TOKENS' }];

describe('TokenStore', () => {
  it('answers the secret once and stores only its hash, owner-only', () => {
    const file = tokenFile();
    const store = TokenStore.open(file, []);
    const { token, info } = store.create({ role: 'wall', label: '主屏' }, 'admin', 1000);
    expect(info).toEqual({
      id: info.id,
      role: 'wall',
      scope: 'district',
      label: '主屏',
      createdAt: 1000,
      createdBy: 'admin',
      revokedAt: null,
    });
    expect(readFileSync(file, 'utf8')).not.toContain(token);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(store.verify(token)).toEqual(info);
    expect(JSON.stringify(store.list())).not.toMatch(/hash|wmsj_/);
  });

  it('keeps tokens across a reopen and revokes at once', () => {
    const file = tokenFile();
    const { token, info } = TokenStore.open(file, []).create({ role: 'device', label: 'gate' }, 'admin');
    const reopened = TokenStore.open(file, []);
    expect(reopened.verify(token)?.id).toBe(info.id);
    expect(reopened.revoke(info.id, 5)?.revokedAt).toBe(5);
    expect(reopened.verify(token)).toBeNull();
    expect(reopened.revoke(info.id, 9)?.revokedAt).toBe(5);
    expect(TokenStore.open(file, []).verify(token)).toBeNull();
    expect(reopened.revoke('t-nope')).toBeNull();
  });

  it('treats configured ingest tokens as device tokens that the API cannot revoke', () => {
    const store = TokenStore.open(tokenFile(), DEVICE);
    expect(store.verify('configured-device-token')).toMatchObject({
      id: 'config-1',
      role: 'device',
      createdBy: 'config',
    });
    expect(store.revoke('config-1')).toBeNull();
    expect(store.verify('configured-device-token')).not.toBeNull();
  });

  it('refuses anything but a known string', () => {
    const store = TokenStore.open(tokenFile(), DEVICE);
    for (const given of [undefined, null, 42, '', 'configured-device-token ', 'x'.repeat(300)]) {
      expect(store.verify(given)).toBeNull();
    }
  });

  it('stops the start on a damaged token file, naming it', () => {
    const file = tokenFile();
    writeFileSync(file, JSON.stringify([{ id: 1 }]));
    expect(() => TokenStore.open(file, [])).toThrow(file);
  });
});
