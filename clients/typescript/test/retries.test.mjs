// Retries and back-off against a local fake server (no stack needed): 429 and 503 are retried honouring Retry-After,
// every attempt of a commit carries the same Idempotency-Key, and errors the server will repeat are not retried.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { Dataset, InvalidError, UnavailableError } from "../dist/index.js";

/** A server answering each request with the next of `answers` ([status, body, headers]), recording what it got. */
async function fakeServer(answers) {
  const seen = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      seen.push({ method: req.method, url: req.url, headers: req.headers, body });
      const [status, payload, headers] = answers[Math.min(seen.length - 1, answers.length - 1)];
      res.writeHead(status, { "Content-Type": status < 300 ? "application/json" : "application/problem+json", ...headers });
      res.end(JSON.stringify(payload));
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${server.address().port}`;
  return { url, seen, close: () => new Promise((resolve) => server.close(resolve)) };
}

const info = [200, { name: "Feedback", slug: "feedback", primaryKey: "id" }];
const busy = (status, retryAfter) => [status, { status, detail: "busy" }, retryAfter === undefined ? {} : { "Retry-After": retryAfter }];

test("429 and 503 are retried, honouring Retry-After, with one Idempotency-Key", async () => {
  const version = { hash: "a".repeat(64), dataHash: "b".repeat(64), recordCount: 1 };
  const server = await fakeServer([info, [201, { id: "cs-1" }], [200, { staged: 1 }], busy(503, "0"), busy(429, "1"), [201, version]]);
  try {
    const dataset = await Dataset.load("Feedback", { url: server.url, apiKey: "k", backoffMs: 1 });
    await dataset.add({ id: "1" });
    const started = Date.now();
    const committed = await dataset.commit("retried");

    assert.equal(committed.hash, version.hash);
    const commits = server.seen.filter((r) => r.url === "/datasets/feedback/commits");
    assert.equal(commits.length, 3);
    assert.ok(commits[0].headers["idempotency-key"]);
    assert.ok(commits.every((r) => r.headers["idempotency-key"] === commits[0].headers["idempotency-key"]));
    assert.ok(commits.every((r) => r.body === commits[0].body), "every attempt sends the same body");
    assert.ok(Date.now() - started >= 900, "Retry-After: 1 was honoured");
    assert.equal(commits[0].headers.authorization, "Bearer k");
  } finally {
    await server.close();
  }
});

test("a request that is not safe to repeat is not sent again after a lost answer or a 502", async () => {
  const server = await fakeServer([info, [502, { status: 502, detail: "bad gateway" }]]);
  try {
    const dataset = await Dataset.load("Feedback", { url: server.url, apiKey: "k", backoffMs: 1 });
    await assert.rejects(dataset.createBranch("relabel"), UnavailableError);
    assert.equal(server.seen.filter((r) => r.url.endsWith("/branches")).length, 1, "a branch is created once at most");
  } finally {
    await server.close();
  }
});

test("after the last retry the error is UnavailableError with the problem", async () => {
  const server = await fakeServer([busy(503)]);
  try {
    const error = await Dataset.load("Feedback", { url: server.url, apiKey: "k", retries: 2, backoffMs: 1 }).then(
      () => assert.fail("a busy server cannot answer"),
      (e) => e,
    );
    assert.ok(error instanceof UnavailableError);
    assert.equal(error.status, 503);
    assert.equal(error.problem.detail, "busy");
    assert.equal(server.seen.length, 3);
  } finally {
    await server.close();
  }
});

test("an answer the server would repeat is not retried", async () => {
  const server = await fakeServer([[422, { status: 422, detail: "bad", errors: [{ pointer: "/0/id", message: "required" }] }]]);
  try {
    const error = await Dataset.load("Feedback", { url: server.url, apiKey: "k", backoffMs: 1 }).then(() => assert.fail(), (e) => e);
    assert.ok(error instanceof InvalidError);
    assert.deepEqual(error.errors, [{ pointer: "/0/id", message: "required" }]);
    assert.equal(server.seen.length, 1);
  } finally {
    await server.close();
  }
});

test("configuration comes from the environment and is checked", async () => {
  const saved = { url: process.env.DATALINE_URL, key: process.env.DATALINE_API_KEY };
  try {
    delete process.env.DATALINE_URL;
    await assert.rejects(Dataset.load("x", { apiKey: "k" }), /DATALINE_URL/);
    process.env.DATALINE_URL = "http://127.0.0.1:1";
    delete process.env.DATALINE_API_KEY;
    await assert.rejects(Dataset.load("x"), /DATALINE_API_KEY/);
    await assert.rejects(Dataset.load("x", { apiKey: "k", retries: -1 }), /retries/);
  } finally {
    for (const [name, value] of [["DATALINE_URL", saved.url], ["DATALINE_API_KEY", saved.key]]) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
});
