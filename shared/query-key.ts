/**
 * One subscription's identity on both sides: the wall keys its results by it and the server shares
 * one evaluation among every socket asking the same thing. Parameters are serialized with sorted
 * keys, so `{a,b}` and `{b,a}` are one entry. Free of schemas, for the wall's bundle.
 */
export function queryKey(query: string, scope: string, params: object): string {
  const sorted = Object.fromEntries(Object.entries(params).sort(([a], [b]) => a.localeCompare(b)));
  return `${query}@${scope}:${JSON.stringify(sorted)}`;
}
