/** A record: one JSON object, keyed by the dataset's primary key field. */
export type DataRecord = Record<string, unknown>;

/** A committed version: its hash (the pipeline's id for it), data hash, parent and what the commit changed. */
export interface Version {
  hash: string;
  dataHash: string;
  parent: string | null;
  message: string;
  author: string | null;
  committedAt: string;
  recordCount: number;
  added: number;
  updated: number;
  deleted: number;
  pipelineRevision?: number;
  schemaVersion?: number;
  codeCommit?: string | null;
  /** The branch it was committed on. */
  branch?: string;
  [other: string]: unknown;
}

/** What a dataset is: dataset-service's definition of it (name, slug, primary key, schema, head, pipeline, …). */
export interface DatasetInfo {
  name: string;
  slug: string;
  primaryKey: string;
  schema?: unknown;
  head?: string | null;
  [other: string]: unknown;
}

/** What `Dataset.create` sends: the dataset's name, primary key field, JSON Schema and optional pipeline spec. */
export interface DatasetDefinition {
  name: string;
  primaryKey: string;
  schema: unknown;
  description?: string;
  pipeline?: unknown;
  [other: string]: unknown;
}

/** A branch (its head) or a tag (the version it names). */
export interface Ref {
  name: string;
  version: string | null;
  createdFrom?: string | null;
  createdAt?: string;
  createdBy?: string | null;
  isDefault?: boolean;
  /** Branches: the approvals a merge into it needs when it is protected (null: not protected). */
  requiredApprovals?: number | null;
}

/** Options of a commit. */
export interface CommitOptions {
  author?: string;
  /** The commit of the code that produced the data (a git SHA), kept in the version's lineage. */
  codeCommit?: string;
  /** Commit only if the head is still this version (`"empty"`: the dataset has no version yet); else ConflictError. */
  expectedParent?: string;
  /** Makes retries safe: the same key and request answer the first commit (default: a fresh UUID per call). */
  idempotencyKey?: string;
}

/**
 * The keys that differ between two versions, in key order, one page at a time: each list holds the keys from the
 * page's offset on; the counts are always complete and `truncated` says whether a list goes on past this page.
 */
export interface Diff {
  from: string;
  to: string;
  added: unknown[];
  removed: unknown[];
  changed: unknown[];
  addedCount: number;
  removedCount: number;
  changedCount: number;
  truncated: boolean;
}

/** Paging of a diff: keys from `offset` on, at most `limit` per list (server default 10000). */
export interface DiffOptions {
  offset?: number;
  limit?: number;
}

/** One stage of a version's pipeline: `committed`, `validation`, `training`, `registered`, `promotion`. */
export interface Stage {
  stage: string;
  status: string;
  at?: string;
  detail?: unknown;
  link?: string | null;
}

/**
 * What happened to a version so far. `complete` says whether its pipeline is over and `outcome` how it ended:
 * `promoted`, `rejected` (the promotion gates said no), `failed` (validation or training failed), `validated` (its
 * pipeline has no training), or null while it runs.
 */
export interface Pipeline {
  dataset: string;
  dataVersion: string;
  complete: boolean;
  outcome: string | null;
  stages: Stage[];
}

/** Options of `pipeline(hash, …)`. */
export interface PipelineOptions {
  /** Wait until the pipeline is over (or `timeoutMs` passes) instead of answering what happened so far. */
  follow?: boolean;
  /** How long to follow, in milliseconds (default 300000). */
  timeoutMs?: number;
  /** How often to look, in milliseconds (default 250). */
  intervalMs?: number;
  /** Called once for each stage as it appears. */
  onStage?: (stage: Stage) => void;
}
