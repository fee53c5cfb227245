/** One invalid record or field, as dataset-service names it in a problem's `errors`. */
export interface FieldError {
  pointer?: string;
  record?: number;
  key?: string;
  field?: string;
  message?: string;
  [other: string]: unknown;
}

/** An RFC 9457 problem document, the body of every error dataset-service answers. */
export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  instance?: string;
  errors?: FieldError[];
  [other: string]: unknown;
}

/**
 * Any error the API answered, or the reason no answer came. `status` is the HTTP status (0: no answer),
 * `problem` the problem+json body when there was one, `message` its detail.
 */
export class DatalineError extends Error {
  readonly status: number;
  readonly problem: Problem | undefined;

  constructor(status: number, message: string, problem?: Problem, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.status = status;
    this.problem = problem;
  }

  /** Each invalid record and field the server named (empty when it named none). */
  get errors(): FieldError[] {
    return Array.isArray(this.problem?.errors) ? this.problem!.errors! : [];
  }
}

/** 401: no key, or a key the server does not know. */
export class UnauthorizedError extends DatalineError {}
/** 403: the key may not do this (e.g. a read key committing). */
export class ForbiddenError extends DatalineError {}
/** 404: no such dataset, version or change set. */
export class NotFoundError extends DatalineError {}
/** 409: the head moved (`expectedParent` is stale), or an Idempotency-Key was reused for another request. */
export class ConflictError extends DatalineError {}
/** 400, 413, 415, 422: the request or a record is invalid; `errors` names each. */
export class InvalidError extends DatalineError {}
/** No answer, 429 or 5xx, still so after the retries. */
export class UnavailableError extends DatalineError {}

/** The typed error for an answer with a non-2xx status. */
export function errorFor(status: number, body: string, what: string): DatalineError {
  let problem: Problem | undefined;
  try {
    const parsed: unknown = JSON.parse(body);
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) {
      problem = parsed as Problem;
    }
  } catch {
    // not a problem document: the status line says it
  }
  const detail = typeof problem?.detail === "string" ? problem.detail : `${what} answered ${status}`;
  switch (status) {
    case 401:
      return new UnauthorizedError(status, detail, problem);
    case 403:
      return new ForbiddenError(status, detail, problem);
    case 404:
      return new NotFoundError(status, detail, problem);
    case 409:
      return new ConflictError(status, detail, problem);
    case 400:
    case 413:
    case 415:
    case 422:
      return new InvalidError(status, detail, problem);
    default:
      return status === 429 || status >= 500 ? new UnavailableError(status, detail, problem) : new DatalineError(status, detail, problem);
  }
}
