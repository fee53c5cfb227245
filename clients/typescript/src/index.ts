/**
 * The TypeScript SDK for Dataline's dataset-service: `Dataset.load(name)`, `add(records)`, `commit(message)` →
 * `version.hash`, versions, streamed records, diffs and the pipeline of each version. Node 18+, `fetch` only.
 */
export { Dataset, VersionRef, finished } from "./dataset.js";
export { PullRequest } from "./pulls.js";
export type { PullRequestInfo, PullChecks, CheckStage } from "./pulls.js";
export type { ClientOptions } from "./http.js";
export {
  DatalineError,
  UnauthorizedError,
  ForbiddenError,
  NotFoundError,
  ConflictError,
  InvalidError,
  UnavailableError,
} from "./errors.js";
export type { Problem, FieldError } from "./errors.js";
export type * from "./types.js";
