/**
 * The child process behind tests/helpers/chdb-http.ts: ClickHouse's HTTP interface served from chdb
 * (26.x, in this process), so that the HTTP transport can be tested against a ClickHouse >= 19 that
 * runs as a separate process — one a test can cut off, slow down or kill -9. Debian's
 * clickhouse-server (18.16) cannot run our schema, and chdb alone lives inside the app's process.
 *
 * Only what @clickhouse/client and server/store/http.ts use: `/ping`; GET/POST `/` with the query
 * in the body or in `?query=` (then the body is INSERT data); `param_*` bound server-side through
 * chdb's `queryBindAsync`; settings in the URL; `database=`; INSERT … FORMAT JSONEachRow /
 * JSONCompactEachRow with the rows in the body; the output format the query names (TabSeparated
 * when none); errors as ClickHouse sends them (`Code: N. DB::Exception: …` with
 * X-ClickHouse-Exception-Code). Everything runs one request at a time on one session: `USE` and
 * `SET` are session state, and tests need correctness here, not throughput.
 *
 * Usage: node --import tsx tests/helpers/chdb-http-server.ts <dataDir> <port>; prints
 * `{"listening":<port>}` once ready.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { Session } from 'chdb';

const [dataDir, portArg] = process.argv.slice(2);
if (!dataDir) throw new Error('usage: chdb-http-server.ts <dataDir> [port]');

const session = new Session(dataDir);
const VERSION = (await session.queryAsync('SELECT version()', { format: 'TabSeparated' })).text().trim();

/** URL keys that are not settings (ClickHouse's HTTP handler reads them itself). */
const NOT_SETTINGS = new Set([
  'query',
  'database',
  'query_id',
  'session_id',
  'session_timeout',
  'session_check',
  'default_format',
  'user',
  'password',
  'quota_key',
  'role',
  'compress',
  'decompress',
  'buffer_size',
  'wait_end_of_query',
]);
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const INSERT_DATA =
  /^\s*INSERT\s+INTO\s+([`\w.]+)\s*(?:\(([^)]*)\))?\s*(?:SETTINGS\s+.*?)?\s*FORMAT\s+(JSONEachRow|JSONCompactEachRow)\s*$/is;

/** An error the client parses as a ClickHouse one (its `errorRe`: code, message, (TYPE)). */
class HttpError extends Error {
  constructor(
    readonly code: number,
    readonly type: string,
    message: string,
  ) {
    super(`Code: ${code}. DB::Exception: ${message}. (${type})`);
  }
}

/**
 * The client TSV-escapes a top-level value (writing `'` as `\'` too); chdb TSV-escapes what it is
 * given. Undoing the escape hands chdb the value the client meant, so the engine parses the same
 * text a server would. Array values are passed as they came: their elements are SQL literals that
 * chdb would escape a second time if they held a backslash, so those are refused (the app sends ids).
 */
function paramValue(name: string, wire: string): string {
  if (wire.startsWith('[')) {
    if (wire.includes('\\')) throw new HttpError(457, 'BAD_QUERY_PARAMETER', `array parameter ${name} holds escapes`);
    return wire;
  }
  const unescape: Record<string, string> = { n: '\n', t: '\t', r: '\r', '0': '\0', b: '\b', f: '\f' };
  return wire.replace(/\\(.)/gs, (_, c: string) => unescape[c] ?? c);
}

/** A setting value as a SQL literal: numbers bare, anything else quoted. */
function literal(value: string): string {
  return /^-?\d+(\.\d+)?$/.test(value) ? value : `'${value.replace(/[\\']/g, (c) => `\\${c}`)}'`;
}

let database = 'default';
const applied = new Map<string, string>();

async function execute(url: URL, body: Buffer): Promise<{ bytes: Uint8Array; written: number }> {
  const fromUrl = url.searchParams.get('query');
  const sql = fromUrl ?? body.toString('utf8');
  const data = fromUrl !== null && body.length > 0 ? body : null;
  const params: Record<string, string> = {};
  const settings: Record<string, string> = {};
  for (const [key, value] of url.searchParams) {
    if (key.startsWith('param_')) params[key.slice(6)] = paramValue(key.slice(6), value);
    else if (!NOT_SETTINGS.has(key)) {
      if (!NAME.test(key)) throw new HttpError(115, 'UNKNOWN_SETTING', `Unknown setting ${key}`);
      settings[key] = value;
    }
  }
  const db = url.searchParams.get('database') ?? 'default';
  if (!NAME.test(db)) throw new HttpError(81, 'UNKNOWN_DATABASE', `Database ${db} does not exist`);
  if (db !== database) {
    await session.queryAsync(`USE \`${db}\``, { format: 'TabSeparated' });
    database = db;
  }
  if (data) {
    const m = INSERT_DATA.exec(sql);
    if (!m)
      throw new HttpError(62, 'SYNTAX_ERROR', 'only INSERT INTO t [(cols)] FORMAT JSON[Compact]EachRow takes data');
    const [, table = '', columns, format = 'JSONEachRow'] = m;
    const summary = await session.insert({
      table: table.replaceAll('`', ''),
      values: data,
      format: format === 'JSONCompactEachRow' ? 'JSONCompactEachRow' : 'JSONEachRow',
      // Per statement: a deduplication token must never stick to the session.
      settings: Object.fromEntries(Object.entries(settings).map(([k, v]) => [k, /^-?\d+$/.test(v) ? Number(v) : v])),
      ...(columns ? { columns: columns.split(',').map((c) => c.trim().replaceAll('`', '')) } : {}),
    });
    return { bytes: new Uint8Array(), written: summary.rowsWritten };
  }
  // Query settings are session state here (SET), applied when they change: the client sends the
  // same ones with every request.
  for (const [key, value] of Object.entries(settings)) {
    if (applied.get(key) === value) continue;
    await session.queryAsync(`SET ${key} = ${literal(value)}`, { format: 'TabSeparated' });
    applied.set(key, value);
  }
  const format = url.searchParams.get('default_format') ?? 'TabSeparated';
  if (!NAME.test(format)) throw new HttpError(73, 'UNKNOWN_FORMAT', `Unknown format ${format}`);
  const result =
    Object.keys(params).length > 0
      ? await session.queryBindAsync(sql, params, { format })
      : await session.queryAsync(sql, { format });
  return { bytes: result.bytes(), written: 0 };
}

/** One request at a time: `USE` and `SET` are the session's. */
let queue: Promise<unknown> = Promise.resolve();

function errorOf(e: unknown): { code: number; text: string } {
  if (e instanceof HttpError) return { code: e.code, text: e.message };
  const text = e instanceof Error ? e.message : String(e);
  const code = Number(/Code: (\d+)/.exec(text)?.[1] ?? 1001);
  return { code, text: /DB::Exception/.test(text) ? text : `Code: ${code}. DB::Exception: ${text}. (STD_EXCEPTION)` };
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  res.setHeader('X-ClickHouse-Server-Display-Name', 'chdb-http');
  if (url.pathname === '/ping') {
    res.end('Ok.\n');
    return;
  }
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  if (url.pathname !== '/' || (req.method !== 'GET' && req.method !== 'POST')) {
    res.writeHead(404).end(`There is no handle ${url.pathname}\n`);
    return;
  }
  if (req.headers['content-encoding']) {
    res.writeHead(400, { 'X-ClickHouse-Exception-Code': '1001' });
    res.end(`Code: 1001. DB::Exception: compressed requests are not served here. (NOT_IMPLEMENTED)\n`);
    return;
  }
  const run = queue.then(() => execute(url, Buffer.concat(chunks)));
  queue = run.catch(() => undefined);
  try {
    const { bytes, written } = await run;
    res.writeHead(200, {
      'Content-Type': 'text/plain; charset=UTF-8',
      'X-ClickHouse-Summary': JSON.stringify({ written_rows: String(written) }),
    });
    res.end(bytes);
  } catch (e) {
    const { code, text } = errorOf(e);
    res.writeHead(code === 62 ? 400 : 500, {
      'Content-Type': 'text/plain; charset=UTF-8',
      'X-ClickHouse-Exception-Code': String(code),
    });
    res.end(`${text} (version ${VERSION})\n`);
  }
}

// ClickHouse takes URLs up to 1 MiB (http_max_uri_size): parameters such as id lists travel there.
const server = createServer({ maxHeaderSize: 1 << 20 }, (req, res) => {
  handle(req, res).catch((e: unknown) => {
    res.destroy(e instanceof Error ? e : new Error(String(e)));
  });
});
// As ClickHouse >= 23.11 (keep_alive_timeout 10 s); the client reads it from the Keep-Alive header.
server.keepAliveTimeout = 10_000;
server.listen(Number(portArg ?? 0), '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`${JSON.stringify({ listening: typeof address === 'object' && address ? address.port : 0 })}\n`);
});
const shutdown = () => {
  server.close();
  server.closeAllConnections();
  void queue.finally(() => {
    session.close();
    process.exit(0);
  });
};
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
