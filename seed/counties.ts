/**
 * A county's facts as the seed and the simulator read them: registry sizes, a year's figures (the
 * articles' annual numbers) and named brands, carried by the network itself (`county.facts`, from
 * county.json) so any county given as data works without code. Read them through `countyFacts`.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { BUILT_IN_COUNTIES, factsOf, loadCounty as load, type CountySource } from '../shared/county-load.js';
import type { County, CountyFacts, Network } from '../shared/network.js';

/** The checkout holding counties/. */
const ROOT = fileURLToPath(new URL('../', import.meta.url));

/** A county's files as NETWORK names them (shared/county-load.ts); throws CountyError with every problem. */
export function loadCounty(network: string): CountySource {
  return load(network, ROOT, (path) => {
    try {
      return readFileSync(path);
    } catch (error) {
      return { problem: (error as NodeJS.ErrnoException).code ?? (error as Error).message };
    }
  });
}

export function countyFacts(network: Network): CountyFacts {
  const { facts } = network.county;
  if (!facts) throw new Error(`${network.county.network}: the network carries no county facts (see withStoredFacts)`);
  return facts;
}

/**
 * A store seeded before counties were data holds a built-in county without its facts or English
 * name: they are read again from its county.json (a county given by path always stored them).
 */
export function withStoredFacts(county: County): County {
  if (county.facts || !(BUILT_IN_COUNTIES as readonly string[]).includes(county.network)) return county;
  const { file } = loadCounty(county.network);
  return {
    ...county,
    ...(file.nameEn === undefined ? {} : { nameEn: file.nameEn }),
    facts: factsOf(file),
  };
}
