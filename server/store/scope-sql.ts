/**
 * The scope filter every panel query shares: a town's or station's node ids, or null for the
 * whole district. `all` short-circuits the node list so the district never ships 469 ids.
 */
export type ScopeNodes = readonly string[] | null;

export const scopeParams = (nodes: ScopeNodes) => ({ all: nodes === null ? 1 : 0, nodes: nodes ?? [] });
export const IN_SCOPE = '({all:UInt8} = 1 OR node_id IN {nodes:Array(String)})';
