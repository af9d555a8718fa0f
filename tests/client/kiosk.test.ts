import { describe, expect, it } from 'vitest';
import { parseKiosk } from '../../client/dashboard/kiosk.js';

describe('kiosk URL', () => {
  it('puts two to four dashboards side by side, dropping bad ids and any past the fourth', () => {
    expect(parseKiosk('?dashboards=command-center,leadership,evaluation').beside).toEqual([
      'command-center',
      'leadership',
      'evaluation',
    ]);
    expect(parseKiosk('?dashboards=a,Bad!,b,c,d,e').beside).toEqual(['a', 'b', 'c', 'd']);
  });
  it('shows one dashboard when fewer than two are named', () => {
    expect(parseKiosk('?dashboards=leadership').beside).toBeNull();
    expect(parseKiosk('?dashboard=town').beside).toBeNull();
  });
});
