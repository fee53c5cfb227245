"""Datasets and their versions: stage, commit, list, stream, diff and follow the pipeline."""
import json
import re
import time
import urllib.parse
import uuid

from .http import Http, segment


class _Fields(dict):
    """A JSON object answered by the API, its fields also readable as snake_case attributes (``v.record_count``)."""

    def __getattr__(self, name):
        camel = re.sub(r"_([a-z])", lambda m: m.group(1).upper(), name)
        if camel in self:
            return self[camel]
        if name in self:
            return self[name]
        raise AttributeError(name)


class Version(_Fields):
    """A committed version: ``hash`` (the pipeline's id for it), ``data_hash``, ``parent``, ``message``, ``author``,
    ``committed_at``, ``record_count``, ``added``, ``updated``, ``deleted``, ``code_commit``."""


class Pipeline(_Fields):
    """What happened to a version so far: ``stages`` (each with ``stage``, ``status``, ``at``, ``detail``, ``link``),
    ``complete`` (its pipeline is over) and ``outcome``: ``promoted``, ``rejected`` (the gates said no), ``failed``
    (validation or training failed), ``validated`` (no training), or None while it runs."""

    @property
    def finished(self):
        """Whether the pipeline is over (for a server without ``complete``: a failure or a promotion)."""
        return bool(self.get("complete")) or any(
            s.get("status") == "failed" or s.get("stage") == "promotion" for s in self.get("stages", []))


class Dataset:
    """One dataset. Each ``Dataset`` object stages into a change set of its own on the server, opened with its first
    change and ended by its commit: what another client stages into the same dataset is never committed with it.

        dataset = Dataset.load("Customer Feedback Analysis")     # DATALINE_URL, DATALINE_API_KEY
        dataset.add(records)
        version = dataset.commit("Added Q4 2023 feedback data")
        print(version.hash)
    """

    def __init__(self, http, info, branch="main"):
        self._http = http
        self.info = info
        self.branch_name = branch  # the branch this object stages into and commits to
        self._change_set = None

    @classmethod
    def load(cls, name, **options):
        """Loads a dataset by name or slug (NotFound when there is none); ``options`` as for :class:`Http`."""
        http = Http(**options)
        return cls(http, http.json("GET", "/datasets/" + segment(name)))

    @classmethod
    def create(cls, definition, **options):
        """Creates a dataset (an admin key's right): ``definition`` has ``name``, ``primaryKey``, ``schema`` and
        optionally ``description`` and ``pipeline``. Conflict when the name is taken."""
        http = Http(**options)
        return cls(http, http.json("POST", "/datasets", definition))

    @property
    def name(self):
        return self.info["name"]

    @property
    def change_set_id(self):
        """The change set this object stages into, or None before its first change (and after each commit)."""
        return self._change_set

    def _path(self, rest):
        return "/datasets/" + segment(self.info.get("slug") or self.info["name"]) + rest

    def branch(self, name):
        """The same dataset on another branch: what it adds and commits goes to that branch (which must exist)."""
        segment(name)
        return Dataset(self._http, self.info, name)

    def create_branch(self, name, from_ref=None):
        """Creates a branch from a branch, tag or version (default: this object's branch) and answers it."""
        return _Fields(self._http.json("POST", self._path("/branches"), {"name": name, "from": from_ref or self.branch_name}))

    def branches(self):
        """Every branch with its head (``version``), main first."""
        return [_Fields(b) for b in self._http.json("GET", self._path("/branches"))]

    def delete_branch(self, name):
        """Deletes a branch and what is staged on it; its versions stay."""
        self._http.json("DELETE", self._path("/branches/" + "/".join(segment(part) for part in name.split("/"))))

    def open_pull_request(self, into, title, description=None):
        """Opens a pull request from this object's branch into ``into``."""
        body = {"from": self.branch_name, "into": into, "title": title}
        if description is not None:
            body["description"] = description
        return self.pull_request(self._http.json("POST", self._path("/pulls"), body)["number"])

    def pull_request(self, number):
        """A pull request of this dataset by number."""
        return PullRequest(self._http, self._path("/pulls/%d" % int(number)), int(number))

    def create_tag(self, name, version):
        """Names a version (a hash, tag or branch) for good."""
        return _Fields(self._http.json("POST", self._path("/tags"), {"name": name, "version": version}))

    def tags(self):
        return [_Fields(t) for t in self._http.json("GET", self._path("/tags"))]

    def _open_change_set(self):
        if self._change_set is None:
            query = "" if self.branch_name == "main" else "?branch=" + urllib.parse.quote(self.branch_name, safe="")
            # a repeat only leaves an empty change set behind, which expires: safe to retry
            self._change_set = self._http.json("POST", self._path("/changesets" + query), idempotent=True)["id"]
        return self._change_set

    def add(self, records):
        """Stages records (a dict or a list of dicts; upserts by primary key). One invalid record rejects the call."""
        records = [records] if isinstance(records, dict) else list(records)
        if records:
            self._http.json("POST", self._path("/changesets/%s/records" % segment(self._open_change_set())), records, idempotent=True)
        return self

    def delete(self, *keys):
        """Stages the deletion of the records with these primary keys."""
        for key in keys:
            change_set = segment(self._open_change_set())
            self._http.json("DELETE", self._path("/changesets/%s/records/%s" % (change_set, segment(str(key)))))
        return self

    def commit(self, message, author=None, code_commit=None, expected_parent=None, idempotency_key=None):
        """Commits what this object staged as the next version. ``expected_parent``: only if the head is still this
        version ("empty": no version yet), else Conflict. Retried on 429/503 or a lost answer with one Idempotency-Key
        (a fresh UUID unless given), so a retry answers the first attempt's version instead of committing twice."""
        if not isinstance(message, str) or not message.strip():
            raise ValueError("a commit needs a message")
        body = {"message": message, "changeset": self._open_change_set()}
        for field, value in (("author", author), ("codeCommit", code_commit), ("expectedParent", expected_parent)):
            if value is not None:
                body[field] = value
        key = idempotency_key or str(uuid.uuid4())
        version = Version(self._http.json("POST", self._path("/commits"), body, {"Idempotency-Key": key}))
        self._change_set = None
        return version

    def versions(self):
        """This branch's versions, newest first, following first parents."""
        found = []
        page = 0
        while True:
            query = urllib.parse.urlencode({"branch": self.branch_name, "page": page, "size": 200})
            answer = self._http.json("GET", self._path("/versions?" + query))
            found.extend(Version(v) for v in answer["versions"])
            if len(answer["versions"]) < 200 or len(found) >= answer.get("total", 0):
                return found
            page += 1

    def version(self, hash):
        """A version by hash (or ``latest``): ``get()`` its metadata, ``records()`` its records, ``export()`` raw."""
        return VersionRef(self._http, self._path("/versions/" + segment(hash)), hash)

    def diff(self, from_version, to_version, offset=None, limit=None):
        """The keys ``added``, ``removed`` and ``changed`` between two versions (one page; the counts are complete)."""
        query = {"from": from_version, "to": to_version}
        if offset is not None:
            query["offset"] = offset
        if limit is not None:
            query["limit"] = limit
        return _Fields(self._http.json("GET", self._path("/diff?" + urllib.parse.urlencode(query))))

    def pipeline(self, hash, follow=False, timeout=300.0, interval=0.25, on_stage=None):
        """What has happened to a version so far; with ``follow``, waits until its pipeline is over or ``timeout``
        seconds pass, calling ``on_stage(stage)`` once per new stage."""
        path = self._path("/versions/%s/pipeline" % segment(hash))
        deadline = time.monotonic() + timeout
        seen = set()
        while True:
            pipeline = Pipeline(self._http.json("GET", path))
            for stage in pipeline.get("stages", []):
                marker = (stage.get("stage"), stage.get("status"), stage.get("at"))
                if marker not in seen:
                    seen.add(marker)
                    if on_stage:
                        on_stage(_Fields(stage))
            if not follow or pipeline.finished or time.monotonic() > deadline:
                return pipeline
            time.sleep(interval)


class VersionRef:
    """One version of a dataset."""

    def __init__(self, http, path, hash):
        self._http = http
        self._path = path
        self.hash = hash

    def get(self):
        """The version's metadata."""
        return Version(self._http.json("GET", self._path))

    def records(self):
        """The version's records in key order, streamed from the NDJSON export (memory stays flat)."""
        with self._http.open("GET", self._path + "/records", accept="application/x-ndjson") as response:
            for line in response:
                if line.strip():
                    yield json.loads(line.decode("utf-8"))

    def export(self, format="ndjson", chunk_size=1 << 16):
        """The version exported as ``ndjson`` or ``csv``, streamed as chunks of bytes."""
        if format not in ("ndjson", "csv"):
            raise ValueError("format is ndjson or csv")
        accept = "text/csv" if format == "csv" else "application/x-ndjson"
        with self._http.open("GET", self._path + "/records?format=" + format, accept=accept) as response:
            while True:
                chunk = response.read(chunk_size)
                if not chunk:
                    return
                yield chunk


class PullRequest:
    """One pull request of a dataset: state, diff, conflicts, checks, reviews, merge and close (answers are dicts)."""

    def __init__(self, http, path, number):
        self._http = http
        self._path = path
        self.number = number

    def show(self):
        """``from``, ``into``, ``title``, ``state``, both heads and their ``merge_base``, ``merge_version``."""
        return _Fields(self._http.json("GET", self._path))

    def diff(self):
        """The keys ``from`` changed since the merge base (one page, complete counts)."""
        return _Fields(self._http.json("GET", self._path + "/diff"))

    def checks(self, follow=False, timeout=300.0, interval=0.25):
        """The pipeline's checks of the head of ``from``: ``state`` (pending, success, failure), ``outcome``, ``summary``
        and the ``validation``, ``training``, ``model`` and ``evaluation`` stages; with ``follow``, waits until they are
        no longer pending or ``timeout`` seconds pass."""
        deadline = time.monotonic() + timeout
        while True:
            checks = _Fields(self._http.json("GET", self._path + "/checks"))
            if not follow or checks["state"] != "pending" or time.monotonic() >= deadline:
                return checks
            time.sleep(interval)

    def conflicts(self):
        """Each key changed differently on the two branches, with its ``base``, ``into`` and ``from`` records."""
        return [_Fields(c) for c in self._http.json("GET", self._path + "/conflicts")]

    def review(self, verdict, comment=None):
        """Reviews it (``approve`` or ``request-changes``) with this client's key, not the author's."""
        body = {"verdict": verdict}
        if comment is not None:
            body["comment"] = comment
        return _Fields(self._http.json("POST", self._path + "/reviews", body))

    def merge(self, resolutions=None):
        """Merges it; ``resolutions`` (key → "into" or "from") settles conflicts; Conflict says what stands in the way."""
        return _Fields(self._http.json("POST", self._path + "/merge", {"resolutions": resolutions or {}}))

    def close(self):
        return _Fields(self._http.json("POST", self._path + "/close"))
