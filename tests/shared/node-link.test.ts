import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { codeSegment, nodeLink, parseCodeSegment, parseNodeCode, scannedNode } from '../../shared/node-link.js';

describe('node links (文明实践码 as a link)', () => {
  it('turns the printed code into the public page link', () => {
    expect(nodeLink('https://wmsj.example.cn/', 'WMSJ:510116:S03')).toBe('https://wmsj.example.cn/c/510116-S03');
    expect(codeSegment('WMSJ:510116:P0123')).toBe('510116-P0123');
  });

  it('refuses what is not a code', () => {
    expect(nodeLink('https://x.cn', 'WMSJ:5101:S03')).toBeNull();
    expect(parseNodeCode('WMSJ:510116:S03/../admin')).toBeNull();
    expect(parseCodeSegment('510116-')).toBeNull();
    expect(scannedNode('https://x.cn/admin/510116-S03')).toBeNull();
    expect(scannedNode('hello')).toBeNull();
  });

  it('reads a scanned link or a bare code back to the same node', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[0-9]{6}$/),
        fc.stringMatching(/^[A-Za-z0-9_.-]{1,64}$/),
        fc.constantFrom('https://wmsj.example.cn', 'http://wall.lan.test:3000/'),
        (adcode, nodeId, origin) => {
          const code = `WMSJ:${adcode}:${nodeId}`;
          expect(scannedNode(code)).toEqual({ adcode, nodeId });
          expect(scannedNode(nodeLink(origin, code) ?? '')).toEqual({ adcode, nodeId });
        },
      ),
    );
  });
});
