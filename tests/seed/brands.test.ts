import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FLAGSHIP_SHARE, pickBrand } from '../../seed/brands.js';
import { brandsOf } from '../../seed/names.js';
import { generateNetwork } from '../../seed/network.js';

describe('brands', () => {
  for (const county of ['shuangliu', 'baokang'] as const) {
    const network = generateNetwork(county);
    const brands = brandsOf(network);
    const institutes = network.nodes.filter((n) => n.level === 'institute').map((n) => n.id);

    it(`${county}: 128 brands, the named flagships county-wide and every other one of a town`, () => {
      expect(brands).toHaveLength(128);
      const towns = new Set(brands.map((b) => b.instituteId));
      expect(towns).toEqual(new Set(['', ...institutes]));
      expect(brands.filter((b) => b.instituteId === '').length).toBeLessThan(10);
    });

    it(`${county}: an activity's brand is a flagship or its own town's, the town's above the flagship share`, () => {
      fc.assert(
        fc.property(
          fc.constantFrom('', ...institutes),
          fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
          fc.nat(),
          (institute, u, k) => {
            const brand = pickBrand(brands, institute, u, k);
            expect(brand).toBeDefined();
            if (institute === '' || u < FLAGSHIP_SHARE) expect(brand?.instituteId).toBe('');
            else expect(brand?.instituteId).toBe(institute);
          },
        ),
      );
    });
  }
});
