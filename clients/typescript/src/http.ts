import { UnavailableError, errorFor } from "./errors.js";

/** How to reach dataset-service. Every field falls back to the environment (`DATALINE_URL`, `DATALINE_API_KEY`). */
export interface ClientOptions {
  /** dataset-service's base URL, e.g. `http://127.0.0.1:8080`. */
  url?: string;
  /** The API key, sent as `Authorization: Bearer …`. */
  apiKey?: string;
  /**
   * How many times a request is retried (default 4): after 429 or 503; after 502, 504 or no answer only when it is
   * safe to repeat (reads, deletes, staging, and commits, which carry an Idempotency-Key).
   */
  retries?: number;
  /** The first back-off in milliseconds, doubled per retry with jitter, at most `maxBackoffMs` (default 250). */
  backoffMs?: number;
  /** The longest wait between two attempts, also the cap on a server's Retry-After (default 10000). */
  maxBackoffMs?: number;
  /** How long one request may take before it is abandoned, in milliseconds (default 600000). */
  timeoutMs?: number;
  /** The fetch to use (default: the global one, Node 18+). */
  fetch?: typeof fetch;
}

/** Answers that say "not now": any request may be sent again. */
const RETRIED = new Set([429, 503]);
/** Answers that may come after the request took effect: only a request that is safe to repeat is sent again. */
const RETRIED_IF_SAFE = new Set([502, 504]);

interface Resolved {
  url: string;
  apiKey: string;
  retries: number;
  backoffMs: number;
  maxBackoffMs: number;
  timeoutMs: number;
  fetch: typeof fetch;
}

/** What one request sends: a JSON body is serialised once, so every retry sends the same bytes. */
export interface Call {
  method: string;
  path: string;
  body?: unknown;
  accept?: string;
  headers?: Record<string, string>;
  /** A streamed answer: the time-out covers the wait for its headers, not the reading of its body. */
  stream?: boolean;
  /** A POST that is safe to repeat (staging upserts); GET, PUT, DELETE and an Idempotency-Key are safe anyway. */
  idempotent?: boolean;
}

/** Whether sending the call twice does what sending it once does, so a lost answer may be retried. */
function safeToRepeat(call: Call): boolean {
  return call.method !== "POST" || call.idempotent === true || call.headers?.["Idempotency-Key"] !== undefined;
}

/** The HTTP core shared by every call: auth, retries with back-off, typed errors. */
export class Http {
  private readonly options: Resolved;

  constructor(options: ClientOptions = {}) {
    const env = typeof process !== "undefined" ? process.env : {};
    const url = options.url ?? env.DATALINE_URL;
    const apiKey = options.apiKey ?? env.DATALINE_API_KEY;
    if (!url || !/^https?:\/\/[^\s]+$/.test(url)) {
      throw new TypeError("dataset-service's URL is required: pass {url} or set DATALINE_URL (http(s)://host:port)");
    }
    if (!apiKey || !apiKey.trim()) {
      throw new TypeError("an API key is required: pass {apiKey} or set DATALINE_API_KEY");
    }
    this.options = {
      url: url.replace(/\/+$/, ""),
      apiKey,
      retries: nonNegative(options.retries, 4, "retries"),
      backoffMs: nonNegative(options.backoffMs, 250, "backoffMs"),
      maxBackoffMs: nonNegative(options.maxBackoffMs, 10_000, "maxBackoffMs"),
      timeoutMs: nonNegative(options.timeoutMs, 600_000, "timeoutMs"),
      fetch: options.fetch ?? globalThis.fetch,
    };
    if (typeof this.options.fetch !== "function") {
      throw new TypeError("no fetch: Node.js 18 or newer is required");
    }
  }

  get baseUrl(): string {
    return this.options.url;
  }

  /** Sends a call and answers its JSON body (undefined when it has none). */
  async json<T>(call: Call): Promise<T> {
    const response = await this.send(call);
    const text = await response.text();
    if (!text) {
      return undefined as T;
    }
    try {
      return JSON.parse(text) as T;
    } catch (cause) {
      throw new UnavailableError(response.status, `dataset-service answered ${call.method} ${call.path} with bad JSON`, undefined, { cause });
    }
  }

  /** Sends a call and answers the response once its status is 2xx (the body unread, for streaming). */
  async send(call: Call): Promise<Response> {
    const payload = call.body === undefined ? undefined : JSON.stringify(call.body);
    const headers: Record<string, string> = {
      Authorization: `Bearer ${this.options.apiKey}`,
      Accept: call.accept ?? "application/json",
      ...call.headers,
    };
    if (payload !== undefined) {
      headers["Content-Type"] = "application/json";
    }
    for (let attempt = 0; ; attempt++) {
      let response: Response;
      const abort = new AbortController();
      const timer = setTimeout(() => abort.abort(new Error(`no answer within ${this.options.timeoutMs} ms`)), this.options.timeoutMs);
      try {
        response = await this.options.fetch(this.options.url + call.path, {
          method: call.method,
          headers,
          body: payload,
          signal: abort.signal,
        });
        if (call.stream) {
          clearTimeout(timer);
        }
      } catch (cause) {
        clearTimeout(timer);
        if (attempt < this.options.retries && safeToRepeat(call)) {
          await sleep(this.backoff(attempt, null));
          continue;
        }
        const reason = cause instanceof Error ? cause.message : String(cause);
        throw new UnavailableError(0, `dataset-service at ${this.options.url} is unreachable (${reason})`, undefined, { cause });
      }
      if (response.ok) {
        if (!call.stream) {
          const body = await response.arrayBuffer().finally(() => clearTimeout(timer));
          const empty = response.status === 204 || response.status === 205;
          return new Response(empty ? null : body, { status: response.status, headers: response.headers });
        }
        return response;
      }
      const body = await response.text().catch(() => "").finally(() => clearTimeout(timer));
      const again = RETRIED.has(response.status) || (RETRIED_IF_SAFE.has(response.status) && safeToRepeat(call));
      if (again && attempt < this.options.retries) {
        await sleep(this.backoff(attempt, response.headers.get("Retry-After")));
        continue;
      }
      throw errorFor(response.status, body, "dataset-service");
    }
  }

  /** Exponential back-off with full jitter; a server's Retry-After (seconds or a date) is honoured up to the cap. */
  private backoff(attempt: number, retryAfter: string | null): number {
    const cap = this.options.maxBackoffMs;
    if (retryAfter) {
      const seconds = Number(retryAfter);
      const millis = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(retryAfter) - Date.now();
      if (Number.isFinite(millis) && millis >= 0) {
        return Math.min(millis, cap);
      }
    }
    const ceiling = Math.min(cap, this.options.backoffMs * 2 ** attempt);
    return ceiling / 2 + Math.random() * (ceiling / 2);
  }
}

/** One path segment, percent-encoded (names may hold spaces, slashes or anything else). */
export function segment(value: string): string {
  if (typeof value !== "string" || value.length === 0) {
    throw new TypeError("a name, key or version must be a non-empty string");
  }
  return encodeURIComponent(value);
}

function nonNegative(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) {
    return fallback;
  }
  if (!Number.isFinite(value) || value < 0) {
    throw new TypeError(`${name} must be a non-negative number`);
  }
  return value;
}

function sleep(millis: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, millis));
}

