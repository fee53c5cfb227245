"""Retries and back-off against a local fake server (no stack needed): 429 and 503 are retried honouring Retry-After,
every attempt of a commit carries the same Idempotency-Key and body, and errors the server would repeat are not."""
import json
import threading
import time
import unittest
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from dataline import Dataset, Invalid, Unavailable
from dataline.http import Http


class FakeServer:
    """Answers each request with the next of ``answers`` ((status, body, headers)), recording what it got."""

    def __init__(self, answers):
        self.seen = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _answer(self):
                length = int(self.headers.get("Content-Length") or 0)
                fake.seen.append({"method": self.command, "path": self.path, "headers": dict(self.headers),
                                  "body": self.rfile.read(length).decode("utf-8")})
                status, body, headers = answers[min(len(fake.seen), len(answers)) - 1]
                data = json.dumps(body).encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "application/json" if status < 300 else "application/problem+json")
                self.send_header("Content-Length", str(len(data)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_DELETE = _answer

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = "http://127.0.0.1:%d" % self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


INFO = (200, {"name": "Feedback", "slug": "feedback", "primaryKey": "id"}, {})


def busy(status, retry_after=None):
    return status, {"status": status, "detail": "busy"}, {} if retry_after is None else {"Retry-After": retry_after}


class RetriesTest(unittest.TestCase):

    def serve(self, answers):
        server = FakeServer(answers)
        self.addCleanup(server.close)
        return server

    def test_429_and_503_are_retried_honouring_retry_after_with_one_idempotency_key(self):
        version = {"hash": "a" * 64, "dataHash": "b" * 64, "recordCount": 1}
        server = self.serve([INFO, (201, {"id": "cs-1"}, {}), (200, {"staged": 1}, {}), busy(503, "0"), busy(429, "1"),
                             (201, version, {})])
        dataset = Dataset.load("Feedback", url=server.url, api_key="k", backoff=0.001)
        dataset.add({"id": "1"})
        started = time.monotonic()
        committed = dataset.commit("retried")

        self.assertEqual(committed.hash, version["hash"])
        commits = [r for r in server.seen if r["path"] == "/datasets/feedback/commits"]
        self.assertEqual(len(commits), 3)
        self.assertTrue(commits[0]["headers"]["Idempotency-Key"])
        self.assertEqual({r["headers"]["Idempotency-Key"] for r in commits}, {commits[0]["headers"]["Idempotency-Key"]})
        self.assertEqual({r["body"] for r in commits}, {commits[0]["body"]}, "every attempt sends the same body")
        self.assertGreaterEqual(time.monotonic() - started, 0.9, "Retry-After: 1 was honoured")
        self.assertEqual(commits[0]["headers"]["Authorization"], "Bearer k")

    def test_a_request_that_is_not_safe_to_repeat_is_not_sent_again_after_a_502(self):
        server = self.serve([INFO, (502, {"status": 502, "detail": "bad gateway"}, {})])
        dataset = Dataset.load("Feedback", url=server.url, api_key="k", backoff=0.001)
        with self.assertRaises(Unavailable):
            dataset.create_branch("relabel")
        self.assertEqual(len([r for r in server.seen if r["path"].endswith("/branches")]), 1, "a branch is created once at most")

    def test_after_the_last_retry_the_error_is_unavailable_with_the_problem(self):
        server = self.serve([busy(503)])
        with self.assertRaises(Unavailable) as raised:
            Dataset.load("Feedback", url=server.url, api_key="k", retries=2, backoff=0.001)
        self.assertEqual(raised.exception.status, 503)
        self.assertEqual(raised.exception.problem["detail"], "busy")
        self.assertEqual(len(server.seen), 3)

    def test_an_answer_the_server_would_repeat_is_not_retried(self):
        server = self.serve([(422, {"status": 422, "detail": "bad", "errors": [{"pointer": "/0/id", "message": "required"}]}, {})])
        with self.assertRaises(Invalid) as raised:
            Dataset.load("Feedback", url=server.url, api_key="k", backoff=0.001)
        self.assertEqual(raised.exception.errors, [{"pointer": "/0/id", "message": "required"}])
        self.assertEqual(str(raised.exception), "bad")
        self.assertEqual(len(server.seen), 1)

    def test_configuration_is_checked(self):
        with self.assertRaisesRegex(ValueError, "DATALINE_URL"):
            Http(url="", api_key="k")
        with self.assertRaisesRegex(ValueError, "DATALINE_API_KEY"):
            Http(url="http://127.0.0.1:1", api_key=" ")
        with self.assertRaisesRegex(ValueError, "retries"):
            Http(url="http://127.0.0.1:1", api_key="k", retries=-1)


if __name__ == "__main__":
    unittest.main()
