/**
 * A node's 文明实践码 as a phone can use it: the printed code `WMSJ:<adcode>:<node id>` (the node's
 * identity, stored with the network) travels as the link `PUBLIC_URL/c/<adcode>-<node id>`, so any
 * phone camera opens the node's public page ("一码可查"). The adcode stays in the link so a poster
 * from another county is refused by name instead of landing on a node that happens to share an id.
 */
const CODE = /^WMSJ:(?<adcode>[0-9]{6}):(?<nodeId>[A-Za-z0-9_.-]{1,64})$/;
const SEGMENT = /^(?<adcode>[0-9]{6})-(?<nodeId>[A-Za-z0-9_.-]{1,64})$/;

const groups = (m: RegExpExecArray | null): NodeCode | null =>
  m?.groups ? { adcode: m.groups['adcode'] ?? '', nodeId: m.groups['nodeId'] ?? '' } : null;

/** The path a node's public page is served at; the segment follows it. */
export const NODE_PAGE_PATH = '/c/';

export interface NodeCode {
  adcode: string;
  nodeId: string;
}

export function parseNodeCode(code: string): NodeCode | null {
  return groups(CODE.exec(code));
}

/** `WMSJ:510116:S03` → `510116-S03`, the link's last segment; null for a malformed code. */
export function codeSegment(code: string): string | null {
  const parsed = parseNodeCode(code);
  return parsed ? `${parsed.adcode}-${parsed.nodeId}` : null;
}

export function parseCodeSegment(segment: string): NodeCode | null {
  return groups(SEGMENT.exec(segment));
}

/** The link a node's QR code encodes; `publicUrl` is the configured origin (no trailing slash). */
export function nodeLink(publicUrl: string, code: string): string | null {
  const segment = codeSegment(code);
  return segment ? `${publicUrl.replace(/\/+$/, '')}${NODE_PAGE_PATH}${segment}` : null;
}

/**
 * What a scanned QR code names: a node link (any origin: the check-in scanner reads posters printed
 * for this county whatever host they point at) or the bare printed code; null for anything else.
 */
export function scannedNode(text: string): NodeCode | null {
  const bare = parseNodeCode(text.trim());
  if (bare) return bare;
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return null;
  }
  if (!url.pathname.startsWith(NODE_PAGE_PATH)) return null;
  return parseCodeSegment(decodeURIComponent(url.pathname.slice(NODE_PAGE_PATH.length)));
}
