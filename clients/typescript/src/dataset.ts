import { randomUUID } from "node:crypto";
import { ClientOptions, Http, segment } from "./http.js";
import { PullRequest } from "./pulls.js";
import type {
  CommitOptions,
  DataRecord,
  DatasetDefinition,
  DatasetInfo,
  Diff,
  DiffOptions,
  Pipeline,
  PipelineOptions,
  Ref,
  Stage,
  Version,
} from "./types.js";

/**
 * One dataset: stage records ({@link add}) and deletions ({@link delete}), {@link commit} them as a version, list
 * {@link versions}, stream a version's records, diff two versions and follow a version through its pipeline.
 *
 * ```ts
 * const dataset = await Dataset.load("Customer Feedback Analysis"); // DATALINE_URL, DATALINE_API_KEY
 * await dataset.add(records);
 * const version = await dataset.commit("Added Q4 2023 feedback data");
 * console.log(version.hash);
 * ```
 *
 * Each `Dataset` object stages into a change set of its own on the server, opened with its first change and ended by
 * its commit: what another client (or another object) stages into the same dataset is never committed with it.
 */
export class Dataset {
  private changeSet: string | null = null;

  private constructor(
    private readonly http: Http,
    /** The dataset as dataset-service described it when it was loaded. */
    readonly info: DatasetInfo,
    /** The branch this object stages into and commits to (`main` unless made with {@link branch}). */
    readonly branchName: string = "main",
  ) {}

  /** Loads a dataset by name or slug; NotFoundError when there is none. */
  static async load(name: string, options: ClientOptions = {}): Promise<Dataset> {
    const http = new Http(options);
    return new Dataset(http, await http.json<DatasetInfo>({ method: "GET", path: `/datasets/${segment(name)}` }));
  }

  /** Creates a dataset (an admin key's right) and answers it loaded; ConflictError when the name is taken. */
  static async create(definition: DatasetDefinition, options: ClientOptions = {}): Promise<Dataset> {
    const http = new Http(options);
    const created = await http.json<DatasetInfo>({ method: "POST", path: "/datasets", body: definition });
    return new Dataset(http, created);
  }

  get name(): string {
    return this.info.name;
  }

  /** The change set this object stages into, or null before its first change (and after each commit). */
  get changeSetId(): string | null {
    return this.changeSet;
  }

  private path(rest: string): string {
    return `/datasets/${segment(this.info.slug ?? this.info.name)}${rest}`;
  }

  /** The same dataset on another branch: what it adds and commits goes to that branch (which must exist). */
  branch(name: string): Dataset {
    segment(name);
    return new Dataset(this.http, this.info, name);
  }

  /** Creates a branch from a branch, tag or version (default: this object's branch) and answers it. */
  async createBranch(name: string, options: { from?: string } = {}): Promise<Ref> {
    const body = { name, from: options.from ?? this.branchName };
    return this.http.json<Ref>({ method: "POST", path: this.path("/branches"), body });
  }

  /** Every branch with its head, `main` first. */
  async branches(): Promise<Ref[]> {
    return this.http.json<Ref[]>({ method: "GET", path: this.path("/branches") });
  }

  /** Deletes a branch and what is staged on it; its versions stay. */
  async deleteBranch(name: string): Promise<void> {
    await this.http.json({ method: "DELETE", path: this.path(`/branches/${name.split("/").map(segment).join("/")}`) });
  }

  /** Opens a pull request from this object's branch into `into`. */
  async openPullRequest(options: { into: string; title: string; description?: string }): Promise<PullRequest> {
    const body = { from: this.branchName, ...options };
    const opened = await this.http.json<{ number: number }>({ method: "POST", path: this.path("/pulls"), body });
    return this.pullRequest(opened.number);
  }

  /** A pull request of this dataset by number. */
  pullRequest(number: number): PullRequest {
    return new PullRequest(this.http, this.path(`/pulls/${number}`), number);
  }

  /** Names a version (a hash, tag or branch) for good. */
  async createTag(name: string, version: string): Promise<Ref> {
    return this.http.json<Ref>({ method: "POST", path: this.path("/tags"), body: { name, version } });
  }

  /** Every tag with its version. */
  async tags(): Promise<Ref[]> {
    return this.http.json<Ref[]>({ method: "GET", path: this.path("/tags") });
  }

  private async openChangeSet(): Promise<string> {
    if (this.changeSet === null) {
      const query = this.branchName === "main" ? "" : `?branch=${encodeURIComponent(this.branchName)}`;
      // a repeat only leaves an empty change set behind, which expires: safe to retry
      const opened = await this.http.json<{ id: string }>({ method: "POST", path: this.path(`/changesets${query}`), idempotent: true });
      this.changeSet = opened.id;
    }
    return this.changeSet;
  }

  /** Stages records (upserts by primary key); one invalid record rejects the whole call with InvalidError. */
  async add(records: DataRecord | DataRecord[]): Promise<this> {
    const list = Array.isArray(records) ? records : [records];
    if (list.length > 0) {
      const changeSet = await this.openChangeSet();
      await this.http.json({ method: "POST", path: this.path(`/changesets/${segment(changeSet)}/records`), body: list, idempotent: true });
    }
    return this;
  }

  /** Stages the deletion of the records with these primary keys. */
  async delete(...keys: string[]): Promise<this> {
    for (const key of keys) {
      const changeSet = await this.openChangeSet();
      await this.http.json({ method: "DELETE", path: this.path(`/changesets/${segment(changeSet)}/records/${segment(String(key))}`) });
    }
    return this;
  }

  /**
   * Commits what this object staged as the next version. Retried on 429/503 or a lost answer with one
   * Idempotency-Key, so a retry answers the version the first attempt made instead of committing twice.
   */
  async commit(message: string, options: CommitOptions = {}): Promise<Version> {
    if (typeof message !== "string" || !message.trim()) {
      throw new TypeError("a commit needs a message");
    }
    const body: Record<string, unknown> = { message, changeset: await this.openChangeSet() };
    for (const field of ["author", "codeCommit", "expectedParent"] as const) {
      if (options[field] !== undefined) {
        body[field] = options[field];
      }
    }
    const idempotencyKey = options.idempotencyKey ?? randomUUID();
    const version = await this.http.json<Version>({
      method: "POST",
      path: this.path("/commits"),
      body,
      headers: { "Idempotency-Key": idempotencyKey },
    });
    this.changeSet = null;
    return version;
  }

  /** This branch's versions, newest first, following first parents. */
  async versions(): Promise<Version[]> {
    const all: Version[] = [];
    const branch = encodeURIComponent(this.branchName);
    for (let page = 0; ; page++) {
      const answer = await this.http.json<{ versions: Version[]; total: number }>({
        method: "GET",
        path: this.path(`/versions?branch=${branch}&page=${page}&size=200`),
      });
      all.push(...answer.versions);
      if (answer.versions.length < 200 || all.length >= answer.total) {
        return all;
      }
    }
  }

  /** A version by hash (or `latest`): its metadata with `get()`, its records with `records()`. */
  version(hash: string): VersionRef {
    return new VersionRef(this.http, this.path(`/versions/${segment(hash)}`), hash);
  }

  /** The keys added, removed and changed from one version to another (one page; the counts are complete). */
  async diff(from: string, to: string, options: DiffOptions = {}): Promise<Diff> {
    const query = new URLSearchParams({ from, to });
    if (options.offset !== undefined) {
      query.set("offset", String(options.offset));
    }
    if (options.limit !== undefined) {
      query.set("limit", String(options.limit));
    }
    return this.http.json<Diff>({ method: "GET", path: this.path(`/diff?${query}`) });
  }

  /**
   * What has happened to a version so far; with `follow`, waits until its pipeline is over (promoted, rejected,
   * failed, or validated when it has no training) or `timeoutMs` passes, calling `onStage` once per new stage.
   */
  async pipeline(hash: string, options: PipelineOptions = {}): Promise<Pipeline> {
    const path = this.path(`/versions/${segment(hash)}/pipeline`);
    const deadline = Date.now() + (options.timeoutMs ?? 300_000);
    const seen = new Set<string>();
    for (;;) {
      const pipeline = await this.http.json<Pipeline>({ method: "GET", path });
      for (const stage of pipeline.stages) {
        const id = `${stage.stage}/${stage.status}/${stage.at ?? ""}`;
        if (!seen.has(id)) {
          seen.add(id);
          options.onStage?.(stage);
        }
      }
      if (!options.follow || finished(pipeline) || Date.now() > deadline) {
        return pipeline;
      }
      await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 250));
    }
  }
}

/** Whether a version's pipeline is over (for a server without `complete`: a failure or a promotion). */
export function finished(pipeline: Pipeline): boolean {
  return pipeline.complete || pipeline.stages.some((s: Stage) => s.status === "failed" || s.stage === "promotion");
}

/** One version of a dataset. */
export class VersionRef {
  constructor(
    private readonly http: Http,
    private readonly path: string,
    /** The hash (or `latest`) this reference was made with. */
    readonly hash: string,
  ) {}

  /** The version's metadata. */
  get(): Promise<Version> {
    return this.http.json<Version>({ method: "GET", path: this.path });
  }

  /** The version's records in key order, streamed from the NDJSON export: memory stays flat however many there are. */
  async *records(): AsyncGenerator<DataRecord, void, undefined> {
    const response = await this.http.send({ method: "GET", path: `${this.path}/records`, accept: "application/x-ndjson", stream: true });
    if (!response.body) {
      return;
    }
    const decoder = new TextDecoder("utf-8", { fatal: true });
    let pending = "";
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      pending += decoder.decode(chunk, { stream: true });
      let newline: number;
      while ((newline = pending.indexOf("\n")) >= 0) {
        const line = pending.slice(0, newline);
        pending = pending.slice(newline + 1);
        if (line.trim()) {
          yield JSON.parse(line) as DataRecord;
        }
      }
    }
    pending += decoder.decode();
    if (pending.trim()) {
      yield JSON.parse(pending) as DataRecord;
    }
  }
}
