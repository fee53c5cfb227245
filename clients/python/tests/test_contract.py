"""The client against the real local stack (DATALINE_URL, DATALINE_API_KEY: an admin key): the cases every SDK passes,
clients/contract/README.md. Run by PythonClientIT after `./dataline up`; runnable by hand against any stack."""
import json
import os
import subprocess
import sys
import tempfile
import unittest
import uuid

import dataline
from dataline import Conflict, Dataset, DatalineError, Invalid, NotFound, Unauthorized, Unavailable

LIVE = bool(os.environ.get("DATALINE_URL") and os.environ.get("DATALINE_API_KEY"))
CONTRACT = os.environ.get("DATALINE_CONTRACT") or os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "..", "contract", "feedback-dataset.json")


def new_dataset(prefix):
    with open(CONTRACT, encoding="utf-8") as f:
        definition = json.load(f)
    definition["name"] = "%s %s" % (prefix, uuid.uuid4().hex[:8])
    return Dataset.create(definition)


def feedback(count, start=0):
    words = {"positive": ["great", "love", "fantastic", "helpful"], "negative": ["broken", "awful", "slow", "crash"]}
    records = []
    for i in range(start, start + count):
        sentiment = "positive" if i % 2 == 0 else "negative"
        text = "%s app, %s support" % (words[sentiment][i % 4], words[sentiment][(i + 1) % 4])
        records.append({"id": "usr_%06d" % i, "feedback": text, "sentiment": sentiment})
    return records


@unittest.skipUnless(LIVE, "needs a running stack: DATALINE_URL and DATALINE_API_KEY")
class ContractTest(unittest.TestCase):

    def test_load_add_commit_list_read_and_diff(self):
        created = new_dataset("Py SDK")
        dataset = Dataset.load(created.name)
        self.assertEqual(dataset.info["slug"], created.info["slug"])

        dataset.add([{"id": "usr_125", "feedback": "The new UI is fantastic!", "sentiment": "positive"},
                     {"id": "usr_126", "feedback": "My login is not working.", "sentiment": "negative"}])
        self.assertIsNotNone(dataset.change_set_id)
        first = dataset.commit("Added Q4 2023 feedback data", code_commit="0123456789abcdef0123456789abcdef01234567")
        self.assertRegex(first.hash, r"^[0-9a-f]{64}$")
        self.assertRegex(first.data_hash, r"^[0-9a-f]{64}$")
        self.assertEqual(first.record_count, 2)
        self.assertIsNone(dataset.change_set_id, "the next change opens a new change set")

        second = dataset.delete("usr_126").add({"id": "usr_127", "feedback": "Great support", "sentiment": "positive"}) \
            .commit("Second batch", author="py-sdk", expected_parent=first.hash)
        self.assertEqual(second.parent, first.hash)
        self.assertEqual((second.added, second.deleted, second.record_count), (1, 1, 2))

        self.assertEqual([v.hash for v in dataset.versions()], [second.hash, first.hash])
        read = dataset.version(first.hash).get()
        self.assertEqual(read.message, "Added Q4 2023 feedback data")
        self.assertEqual(read.code_commit, "0123456789abcdef0123456789abcdef01234567")
        diff = dataset.diff(first.hash, second.hash)
        self.assertEqual((diff.added_count, diff.removed_count, diff.changed_count), (1, 1, 0))
        self.assertEqual((diff.added, diff.removed), (["usr_127"], ["usr_126"]))

    def test_a_branch_takes_commits_of_its_own_and_main_stays_as_it_was(self):
        dataset = new_dataset("Py SDK branch")
        base = dataset.add(feedback(4)).commit("base")
        self.assertEqual(dataset.create_branch("relabel").version, base.hash)

        relabel = dataset.branch("relabel")
        relabelled = relabel.add(dict(feedback(1)[0], sentiment="negative")).commit("relabelled", expected_parent=base.hash)
        self.assertEqual(relabelled.branch, "relabel")
        self.assertEqual([v.hash for v in relabel.versions()], [relabelled.hash, base.hash])
        self.assertEqual([v.hash for v in dataset.versions()], [base.hash], "main is untouched")
        self.assertEqual([(b.name, b.version) for b in dataset.branches()], [("main", base.hash), ("relabel", relabelled.hash)])

        pull = relabel.open_pull_request("main", "Relabel one record")
        self.assertEqual(pull.show().merge_base, base.hash)
        self.assertEqual(pull.diff().changed_count, 1)
        # the checks: the branch head's own pipeline run (validation, a candidate model, the gates' verdict), never staging
        checks = pull.checks(follow=True, timeout=120)
        self.assertEqual(checks.head, relabelled.hash)
        self.assertIn(checks.state, ("success", "failure"), checks.summary)
        self.assertEqual(checks.validation["status"], "passed")
        self.assertEqual(checks.evaluation["stage"], "candidate")
        self.assertEqual(pull.merge().merge_version, relabelled.hash, "a fast-forward")
        self.assertEqual([v.hash for v in dataset.versions()], [relabelled.hash, base.hash])
        dataset.create_tag("before-relabel", base.hash)
        self.assertEqual(dataset.version("before-relabel").get().hash, base.hash)
        self.assertEqual([t.name for t in dataset.tags()], ["before-relabel"])
        dataset.delete_branch("relabel")
        self.assertEqual([b.name for b in dataset.branches()], ["main"])
        with self.assertRaises(NotFound):
            dataset.branch("relabel").add(feedback(1))

    def test_a_commit_whose_answer_is_lost_is_retried_with_its_idempotency_key_and_commits_once(self):
        created = new_dataset("Py SDK retry")
        dataset = Dataset.load(created.name, backoff=0.01)
        dataset.add(feedback(3))
        real_urlopen, keys = dataset._http.urlopen, []

        def lose_first_commit_answer(request, timeout):
            response = real_urlopen(request, timeout=timeout)
            if request.get_method() == "POST" and request.full_url.endswith("/commits"):
                keys.append(request.get_header("Idempotency-key"))
                if len(keys) == 1:  # the commit happened; its answer is lost on the way back, as a reset would lose it
                    response.read()
                    response.close()
                    raise ConnectionResetError("connection reset by peer")
            return response

        dataset._http.urlopen = lose_first_commit_answer
        version = dataset.commit("retried once")

        self.assertEqual(len(keys), 2)
        self.assertEqual(keys[0], keys[1], "the retry carries the first attempt's key")
        self.assertEqual(version.record_count, 3)
        self.assertEqual([v.hash for v in dataset.versions()], [version.hash], "committed exactly once")

    def test_a_stale_expected_parent_raises_conflict_with_the_problem(self):
        dataset = new_dataset("Py SDK stale")
        first = dataset.add(feedback(2)).commit("first", expected_parent="empty")
        dataset.add(feedback(1, 10)).commit("second", expected_parent=first.hash)

        dataset.add(feedback(1, 20))
        with self.assertRaises(Conflict) as raised:
            dataset.commit("stale", expected_parent=first.hash)
        self.assertIsInstance(raised.exception, DatalineError)
        self.assertEqual(raised.exception.status, 409)
        self.assertEqual(raised.exception.problem["status"], 409)
        self.assertTrue(str(raised.exception))

    def test_a_version_of_10000_records_is_streamed_in_key_order(self):
        dataset = new_dataset("Py SDK export")
        for start in range(0, 10000, 2500):
            dataset.add(feedback(2500, start))
        version = dataset.commit("ten thousand")
        self.assertEqual(version.record_count, 10000)

        count, previous = 0, ""
        for record in dataline.load_version(dataset.name, version.hash):
            self.assertGreater(record["id"], previous)
            previous = record["id"]
            count += 1
        self.assertEqual(count, 10000)

        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "data.ndjson")
            run = subprocess.run([sys.executable, "-m", "dataline", "export", dataset.name, version.hash, "--out", out],
                                 capture_output=True, text=True, timeout=300)
            self.assertEqual(run.returncode, 0, run.stderr)
            with open(out, encoding="utf-8") as f:
                self.assertEqual(sum(1 for _ in f), 10000)
            missing = subprocess.run([sys.executable, "-m", "dataline", "export", dataset.name, "0" * 64, "--out", out + "2"],
                                     capture_output=True, text=True, timeout=300)
            self.assertEqual(missing.returncode, 1)
            self.assertIn("dataline:", missing.stderr)
            self.assertFalse(os.path.exists(out + "2"), "a failed export leaves no file")

    def test_a_commit_is_followed_through_the_pipeline_to_promoted(self):
        dataset = new_dataset("Py SDK pipeline")
        version = dataset.add(feedback(200)).commit("labelled feedback")
        stages = []
        pipeline = dataset.pipeline(version.hash, follow=True, timeout=200, on_stage=lambda s: stages.append(s.stage))

        self.assertEqual(pipeline.outcome, "promoted", pipeline)
        self.assertTrue(pipeline.complete)
        self.assertEqual(pipeline.data_version, version.hash)
        for stage in ("committed", "validation", "training", "registered", "promotion"):
            self.assertIn(stage, stages)
        self.assertEqual(dataset.pipeline(version.hash).outcome, "promoted")

    def test_each_api_error_is_a_typed_error(self):
        dataset = new_dataset("Py SDK errors")

        with self.assertRaises(Unauthorized):
            Dataset.load(dataset.name, api_key="dl_wrong_key_000000")
        with self.assertRaises(NotFound):
            Dataset.load("no such dataset %s" % uuid.uuid4())
        with self.assertRaises(Invalid) as invalid:
            dataset.add([{"feedback": "no id", "sentiment": "positive"}])
        self.assertTrue(invalid.exception.errors, invalid.exception.problem)
        with self.assertRaises(Invalid):
            dataset.commit("nothing staged")
        with self.assertRaises(Unavailable):
            Dataset.load(dataset.name, url="http://127.0.0.1:1", retries=0)
        with self.assertRaises(ValueError):
            Dataset.load(dataset.name, url="not a url")


if __name__ == "__main__":
    unittest.main()
