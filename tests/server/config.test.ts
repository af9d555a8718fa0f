import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config.js';

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const c = loadConfig({});
    expect(c.PORT).toBe(3000);
    expect(c.NETWORK).toBe('shuangliu');
    expect(c.DATA_DIR).toBe('./data');
    // the county's own rhythm, as its history has it (seed/rhythm.ts)
    expect(c.SIMULATOR_RATE).toBe('county');
  });
  it('reads the simulator as the county’s rhythm or a number of events a second', () => {
    expect(loadConfig({ SIMULATOR_RATE: 'county' }).SIMULATOR_RATE).toBe('county');
    expect(loadConfig({ SIMULATOR_RATE: '200' }).SIMULATOR_RATE).toBe(200);
    expect(() => loadConfig({ SIMULATOR_RATE: 'fast' })).toThrow(/SIMULATOR_RATE="fast"/);
  });
  it('reads numbers and enums from strings', () => {
    const c = loadConfig({ PORT: '8080', NETWORK: 'baokang', SIMULATOR_RATE: '0' });
    expect(c).toMatchObject({ PORT: 8080, NETWORK: 'baokang', SIMULATOR_RATE: 0 });
  });
  it('names every bad variable at once', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', NETWORK: 'chengdu', SIMULATOR_RATE: '-1' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message).toContain('PORT="eighty"');
    expect(message).toContain('NETWORK="chengdu"');
    expect(message).toContain('SIMULATOR_RATE="-1"');
  });
});
