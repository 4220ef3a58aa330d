/** A generated app's answer: its status, its headers, and its JSON body (undefined when empty). */
export interface JsonReply {
  readonly status: number;
  readonly headers: Headers;
  readonly body: any; // JSON bodies of several shapes
}

export interface CallOptions {
  /** Extra request headers (an Idempotency-Key, say). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Sent as `Authorization: Bearer <token>`. */
  readonly token?: string;
  /** A form body (application/x-www-form-urlencoded), for the OAuth2 login; not with a JSON body. */
  readonly form?: Readonly<Record<string, string>>;
  /** How long the whole call may take; 10 s unless told. */
  readonly timeoutMs?: number;
}

/**
 * One HTTP call to a running app: `body`, when given, goes out as JSON; the
 * answer's body is parsed as JSON. Never throws on a status: assert on it.
 */
export async function callJson(
  base: string,
  method: string,
  route: string,
  body?: unknown,
  options: CallOptions = {},
): Promise<JsonReply> {
  if (body !== undefined && options.form !== undefined) throw new Error('a call sends JSON or a form, not both');
  // One connection per call: a reused keep-alive connection can meet the server closing
  // it as idle at the moment the next request goes out ("other side closed"), which a
  // loaded machine makes likely; fetch retries no POST, and a test must not flake on it.
  const headers: Record<string, string> = { connection: 'close', ...options.headers };
  const init: RequestInit = { method, headers, signal: AbortSignal.timeout(options.timeoutMs ?? 10_000) };
  if (body !== undefined) {
    headers['content-type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  if (options.form !== undefined) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    init.body = new URLSearchParams(options.form).toString();
  }
  if (options.token !== undefined) headers['authorization'] = `Bearer ${options.token}`;
  const response = await fetch(`${base}${route}`, init);
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text === '' ? undefined : JSON.parse(text) };
}
