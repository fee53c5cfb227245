import type { Http } from "./http.js";

/** A pull request as dataset-service shows it: both heads and their merge base while it is open. */
export interface PullRequestInfo {
  number: number;
  from: string;
  into: string;
  title: string;
  description?: string | null;
  state: "open" | "merged" | "closed";
  author: string;
  fromHead?: string | null;
  intoHead?: string | null;
  mergeBase?: string | null;
  mergeVersion?: string | null;
  /** While open: what stands in the way of merging it (missing approvals, requested changes, checks a protection requires). */
  blockers?: string[];
  [other: string]: unknown;
}

/** A stage of the pipeline run a pull request's checks are made of. */
export interface CheckStage {
  stage: string;
  status: string;
  at: string;
  detail: Record<string, unknown>;
  link?: string | null;
}

/** The pipeline's checks of the head of `from`. */
export interface PullChecks {
  number: number;
  from: string;
  into: string;
  head: string;
  state: "pending" | "success" | "failure";
  /** How the pipeline ended: validated, passed, promoted, rejected or failed; null while pending. */
  outcome?: string | null;
  summary: string;
  validation?: CheckStage | null;
  training?: CheckStage | null;
  /** The candidate model: its metrics and the staged model's (`baselineVersion`, `baselineMetrics`) on the same records. */
  model?: CheckStage | null;
  /** The promotion gates' verdict on the candidate. */
  evaluation?: CheckStage | null;
  stages: CheckStage[];
}

/** One pull request of a dataset: state, diff, conflicts, checks, reviews, merge and close. */
export class PullRequest {
  constructor(
    private readonly http: Http,
    private readonly path: string,
    readonly number: number,
  ) {}

  show(): Promise<PullRequestInfo> {
    return this.http.json<PullRequestInfo>({ method: "GET", path: this.path });
  }

  /** The keys `from` changed since the merge base (one page, complete counts). */
  diff(): Promise<Record<string, unknown>> {
    return this.http.json({ method: "GET", path: `${this.path}/diff` });
  }

  /** The pipeline's checks of the head of `from`; with `follow`, waits until they are no longer pending (or `timeoutMs`). */
  async checks(options: { follow?: boolean; timeoutMs?: number; intervalMs?: number } = {}): Promise<PullChecks> {
    const deadline = Date.now() + (options.timeoutMs ?? 300_000);
    for (;;) {
      const checks = await this.http.json<PullChecks>({ method: "GET", path: `${this.path}/checks` });
      if (!options.follow || checks.state !== "pending" || Date.now() >= deadline) {
        return checks;
      }
      await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 250));
    }
  }

  /** Each key changed differently on the two branches: `{key, base, into, from}` records. */
  conflicts(): Promise<Array<{ key: unknown; base: unknown; into: unknown; from: unknown }>> {
    return this.http.json({ method: "GET", path: `${this.path}/conflicts` });
  }

  /** Reviews it with this client's key (not the author's). */
  review(verdict: "approve" | "request-changes", comment?: string): Promise<Record<string, unknown>> {
    return this.http.json({ method: "POST", path: `${this.path}/reviews`, body: comment === undefined ? { verdict } : { verdict, comment } });
  }

  /** Merges it; `resolutions` (key → "into" | "from") settles conflicts; ConflictError says what stands in the way. */
  merge(resolutions: Record<string, "into" | "from"> = {}): Promise<PullRequestInfo> {
    return this.http.json<PullRequestInfo>({ method: "POST", path: `${this.path}/merge`, body: { resolutions } });
  }

  close(): Promise<PullRequestInfo> {
    return this.http.json<PullRequestInfo>({ method: "POST", path: `${this.path}/close` });
  }
}
