/**
 * Taking a file out of the wall: a table from the export route (with the screen's token or the
 * person's session, as every wall request), or a PNG made in the browser (png.ts).
 */
import { isCode } from '../../shared/codes';
import { authHeaders } from '../auth';

export function save(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  // The download has taken the blob by the next task; the URL is not needed after it.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/** The server's Chinese file name (RFC 5987 `filename*`), else its ASCII one. */
function fileName(disposition: string | null, fallback: string): string {
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition ?? '')?.[1];
  if (star) return decodeURIComponent(star);
  return /filename="([^"]+)"/.exec(disposition ?? '')?.[1] ?? fallback;
}

/** Fetches an export and saves it; answers the refusal's code (or NETWORK), null when saved. */
export async function downloadExport(url: string): Promise<string | null> {
  let res: Response;
  try {
    res = await fetch(url, { headers: authHeaders() });
  } catch {
    return 'NETWORK';
  }
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { code?: unknown } | null;
    return typeof body?.code === 'string' && isCode(body.code) ? body.code : 'INTERNAL';
  }
  save(await res.blob(), fileName(res.headers.get('content-disposition'), url.split('/').pop() ?? 'export'));
  return null;
}
