// The SDK against the real local stack (DATALINE_URL, DATALINE_API_KEY: an admin key), the cases every SDK passes:
// clients/contract/README.md. Run by TypeScriptClientIT after `./dataline up`; `npm test` runs it against any stack.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { randomUUID } from "node:crypto";
import {
  ConflictError,
  Dataset,
  DatalineError,
  InvalidError,
  NotFoundError,
  UnauthorizedError,
  UnavailableError,
} from "../dist/index.js";

const definition = JSON.parse(readFileSync(new URL("../../contract/feedback-dataset.json", import.meta.url), "utf8"));
const live = Boolean(process.env.DATALINE_URL && process.env.DATALINE_API_KEY);
const skip = live ? false : "needs a running stack: DATALINE_URL and DATALINE_API_KEY";

async function newDataset(prefix) {
  return Dataset.create({ ...definition, name: `${prefix} ${randomUUID().slice(0, 8)}` });
}

function feedback(count, from = 0) {
  const words = { positive: ["great", "love", "fantastic", "helpful"], negative: ["broken", "awful", "slow", "crash"] };
  return Array.from({ length: count }, (_, n) => {
    const i = from + n;
    const sentiment = i % 2 === 0 ? "positive" : "negative";
    return { id: `usr_${String(i).padStart(6, "0")}`, feedback: `${words[sentiment][i % 4]} app, ${words[sentiment][(i + 1) % 4]} support`, sentiment };
  });
}

test("load, add, commit, list, read and diff versions", { skip }, async () => {
  const created = await newDataset("TS SDK");
  const dataset = await Dataset.load(created.name);
  assert.equal(dataset.info.slug, created.info.slug);

  await dataset.add([
    { id: "usr_125", feedback: "The new UI is fantastic!", sentiment: "positive" },
    { id: "usr_126", feedback: "My login is not working.", sentiment: "negative" },
  ]);
  assert.match(dataset.changeSetId, /.+/);
  const first = await dataset.commit("Added Q4 2023 feedback data", { codeCommit: "0123456789abcdef0123456789abcdef01234567" });
  assert.match(first.hash, /^[0-9a-f]{64}$/);
  assert.match(first.dataHash, /^[0-9a-f]{64}$/);
  assert.equal(first.recordCount, 2);
  assert.equal(dataset.changeSetId, null, "the next change opens a new change set");

  await (await dataset.delete("usr_126")).add({ id: "usr_127", feedback: "Great support", sentiment: "positive" });
  const second = await dataset.commit("Second batch", { author: "ts-sdk", expectedParent: first.hash });
  assert.equal(second.parent, first.hash);
  assert.deepEqual([second.added, second.deleted, second.recordCount], [1, 1, 2]);

  assert.deepEqual((await dataset.versions()).map((v) => v.hash), [second.hash, first.hash]);
  const read = await dataset.version(first.hash).get();
  assert.equal(read.message, "Added Q4 2023 feedback data");
  assert.equal(read.codeCommit, "0123456789abcdef0123456789abcdef01234567");
  const diff = await dataset.diff(first.hash, second.hash);
  assert.deepEqual([diff.addedCount, diff.removedCount, diff.changedCount], [1, 1, 0]);
  assert.deepEqual([diff.added, diff.removed], [["usr_127"], ["usr_126"]]);
});

test("a branch takes commits of its own; main and its history stay as they were", { skip }, async () => {
  const dataset = await newDataset("TS SDK branch");
  const base = await (await dataset.add(feedback(4))).commit("base");
  const created = await dataset.createBranch("relabel");
  assert.equal(created.version, base.hash);

  const relabel = dataset.branch("relabel");
  const relabelled = await (await relabel.add({ ...feedback(1)[0], sentiment: "negative" })).commit("relabelled", { expectedParent: base.hash });
  assert.equal(relabelled.branch, "relabel");
  assert.equal(relabelled.parent, base.hash);
  assert.deepEqual((await relabel.versions()).map((v) => v.hash), [relabelled.hash, base.hash]);
  assert.deepEqual((await dataset.versions()).map((v) => v.hash), [base.hash], "main is untouched");
  assert.deepEqual((await dataset.branches()).map((b) => [b.name, b.version]), [["main", base.hash], ["relabel", relabelled.hash]]);

  const pull = await relabel.openPullRequest({ into: "main", title: "Relabel one record" });
  assert.equal((await pull.show()).mergeBase, base.hash);
  assert.equal((await pull.diff()).changedCount, 1);
  // the checks: the branch head's own pipeline run (validation, a candidate model, the gates' verdict), never staging
  const checks = await pull.checks({ follow: true, timeoutMs: 120_000 });
  assert.equal(checks.head, relabelled.hash);
  assert.ok(["success", "failure"].includes(checks.state), `checks ended: ${checks.state} ${checks.summary}`);
  assert.equal(checks.validation?.status, "passed");
  assert.equal(checks.evaluation?.stage, "candidate");
  assert.equal((await pull.merge()).mergeVersion, relabelled.hash, "a fast-forward");
  assert.deepEqual((await dataset.versions()).map((v) => v.hash), [relabelled.hash, base.hash]);
  await dataset.createTag("before-relabel", base.hash);
  assert.equal((await dataset.version("before-relabel").get()).hash, base.hash);
  assert.deepEqual((await dataset.tags()).map((t) => t.name), ["before-relabel"]);
  await dataset.deleteBranch("relabel");
  assert.deepEqual((await dataset.branches()).map((b) => b.name), ["main"]);
  await assert.rejects(dataset.branch("relabel").add(feedback(1)), NotFoundError);
});

test("a commit whose answer is lost is retried with its Idempotency-Key and commits once", { skip }, async () => {
  const created = await newDataset("TS SDK retry");
  const keys = [];
  let lost = 0;
  // the first answer to the commit is lost on the way back, as a dropped connection would lose it
  const flaky = async (url, init) => {
    const response = await fetch(url, init);
    if (init.method === "POST" && String(url).endsWith("/commits")) {
      keys.push(init.headers["Idempotency-Key"]);
      if (lost++ === 0) {
        await response.arrayBuffer();
        throw new TypeError("fetch failed: connection reset");
      }
    }
    return response;
  };
  const dataset = await Dataset.load(created.name, { fetch: flaky, backoffMs: 10 });
  await dataset.add(feedback(3));
  const version = await dataset.commit("retried once");

  assert.equal(keys.length, 2);
  assert.equal(keys[0], keys[1], "the retry carries the first attempt's key");
  assert.equal(version.recordCount, 3);
  const versions = await dataset.versions();
  assert.deepEqual(versions.map((v) => v.hash), [version.hash], "committed exactly once");
});

test("a stale expected parent raises ConflictError with the problem", { skip }, async () => {
  const dataset = await newDataset("TS SDK stale");
  const first = await (await dataset.add(feedback(2))).commit("first", { expectedParent: "empty" });
  await (await dataset.add(feedback(1, 10))).commit("second", { expectedParent: first.hash });

  await dataset.add(feedback(1, 20));
  const error = await dataset.commit("stale", { expectedParent: first.hash }).then(
    () => assert.fail("a stale parent must not commit"),
    (e) => e,
  );
  assert.ok(error instanceof ConflictError, String(error));
  assert.ok(error instanceof DatalineError);
  assert.equal(error.status, 409);
  assert.equal(error.problem.status, 409);
  assert.equal(typeof error.message, "string");
});

test("a version of 10,000 records is streamed in key order", { skip }, async () => {
  const dataset = await newDataset("TS SDK export");
  for (let from = 0; from < 10_000; from += 2_500) {
    await dataset.add(feedback(2_500, from));
  }
  const version = await dataset.commit("ten thousand");
  assert.equal(version.recordCount, 10_000);

  let count = 0;
  let previous = "";
  for await (const record of dataset.version(version.hash).records()) {
    assert.ok(record.id > previous, `${record.id} after ${previous}`);
    previous = record.id;
    count++;
  }
  assert.equal(count, 10_000);
});

test("a commit is followed through the pipeline to promoted", { skip, timeout: 240_000 }, async () => {
  const dataset = await newDataset("TS SDK pipeline");
  const version = await (await dataset.add(feedback(200))).commit("labelled feedback");
  const stages = [];
  const pipeline = await dataset.pipeline(version.hash, { follow: true, timeoutMs: 200_000, onStage: (s) => stages.push(s.stage) });

  assert.equal(pipeline.outcome, "promoted", JSON.stringify(pipeline));
  assert.equal(pipeline.complete, true);
  assert.equal(pipeline.dataVersion, version.hash);
  for (const stage of ["committed", "validation", "training", "registered", "promotion"]) {
    assert.ok(stages.includes(stage), `saw ${stage}: ${stages}`);
  }
  const now = await dataset.pipeline(version.hash);
  assert.equal(now.outcome, "promoted", "without follow: what happened so far");
});

test("each API error is a typed error", { skip }, async () => {
  const dataset = await newDataset("TS SDK errors");

  await assert.rejects(Dataset.load(dataset.name, { apiKey: "dl_wrong_key_000000" }), UnauthorizedError);
  await assert.rejects(Dataset.load(`no such dataset ${randomUUID()}`), NotFoundError);
  const invalid = await dataset.add([{ feedback: "no id", sentiment: "positive" }]).then(() => assert.fail("accepted"), (e) => e);
  assert.ok(invalid instanceof InvalidError, String(invalid));
  assert.ok(invalid.errors.length > 0, JSON.stringify(invalid.problem));
  await assert.rejects(dataset.commit("nothing staged"), InvalidError);
  await assert.rejects(Dataset.load(dataset.name, { url: "http://127.0.0.1:1", retries: 0 }), UnavailableError);
  await assert.rejects(Dataset.load(dataset.name, { url: "not a url" }), TypeError);
});

test("the walkthrough's scripts/add-new-data.ts commits a version", { skip }, async () => {
  const { execFile } = await import("node:child_process");
  const name = "Customer Feedback Analysis";
  const existing = await Dataset.create({ ...definition, name }).catch(async (e) => {
    if (!(e instanceof ConflictError)) throw e;
    return Dataset.load(name); // made by an earlier run against the same stack: give the script something to change
  });
  if (existing.info.head) {
    await (await existing.add(feedback(2, 125).map((r, i) => ({ ...r, id: `usr_${125 + i}` })))).commit("before the walkthrough");
  }
  const script = new URL("../build/examples/scripts/add-new-data.js", import.meta.url);
  const output = await new Promise((resolve, reject) =>
    execFile(process.execPath, [script.pathname], { env: process.env }, (error, stdout, stderr) =>
      error ? reject(new Error(`${error.message}\n${stdout}\n${stderr}`)) : resolve(stdout)),
  );
  const hash = /Committed version ([0-9a-f]{64})/.exec(output)?.[1];
  assert.ok(hash, output);
  const head = await (await Dataset.load(name)).version("latest").get();
  assert.equal(head.hash, hash);
  assert.equal(head.message, "Added Q4 2023 feedback data");
});
