import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.js';

describe('auth configuration', () => {
  it('is closed by default: no public display, no demo accounts, no Secure-only cookie', () => {
    expect(loadConfig({})).toMatchObject({ PUBLIC_DISPLAY: false, DEMO_USERS: false, COOKIE_SECURE: false });
  });
  it('reads switches as 1/0 or true/false', () => {
    expect(loadConfig({ PUBLIC_DISPLAY: '1', DEMO_USERS: 'true', COOKIE_SECURE: 'TRUE' })).toMatchObject({
      PUBLIC_DISPLAY: true,
      DEMO_USERS: true,
      COOKIE_SECURE: true,
    });
    expect(loadConfig({ PUBLIC_DISPLAY: '0' }).PUBLIC_DISPLAY).toBe(false);
  });
  it('names a bad switch and never prints a secret it refuses', () => {
    let message = '';
    try {
      loadConfig({ PUBLIC_DISPLAY: 'yes', ADMIN_PASSWORD: 'short-pw', SESSION_SECRET: 'tiny' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('PUBLIC_DISPLAY="yes"');
    expect(message).toContain('ADMIN_PASSWORD=(hidden)');
    expect(message).toContain('SESSION_SECRET=(hidden)');
    expect(message).not.toContain('short-pw');
    expect(message).not.toContain('tiny');
  });
});
