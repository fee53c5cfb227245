"""The HTTP core every call shares: auth, retries with back-off honouring Retry-After, typed errors."""
import email.utils
import http.client
import json
import os
import random
import re
import time
import urllib.error
import urllib.parse
import urllib.request

from .errors import Unavailable, error_for

RETRIED = frozenset((429, 503))  # "not now": any request may be sent again
RETRIED_IF_SAFE = frozenset((502, 504))  # may come after the request took effect: only a safe one is sent again


class Http:
    """Where dataset-service answers and how to talk to it. ``url`` and ``api_key`` default to ``DATALINE_URL`` and
    ``DATALINE_API_KEY``; ``retries`` (default 4) after 429/503, and after 502/504 or no answer for a call that is safe
    to repeat (reads, deletes, staging, commits with their Idempotency-Key), back-off from ``backoff``
    seconds (doubling, jittered) up to ``max_backoff``; ``timeout`` seconds per request (for a stream: until its
    answer starts)."""

    def __init__(self, url=None, api_key=None, retries=4, backoff=0.25, max_backoff=10.0, timeout=600.0):
        url = url if url is not None else os.environ.get("DATALINE_URL")
        api_key = api_key if api_key is not None else os.environ.get("DATALINE_API_KEY")
        if not url or not re.match(r"^https?://\S+$", url):
            raise ValueError("dataset-service's URL is required: pass url= or set DATALINE_URL (http(s)://host:port)")
        if not api_key or not api_key.strip():
            raise ValueError("an API key is required: pass api_key= or set DATALINE_API_KEY")
        for name, value in (("retries", retries), ("backoff", backoff), ("max_backoff", max_backoff), ("timeout", timeout)):
            if not isinstance(value, (int, float)) or value < 0:
                raise ValueError("%s must be a non-negative number" % name)
        self.url = url.rstrip("/")
        self._key = api_key
        self.retries, self.backoff, self.max_backoff, self.timeout = int(retries), backoff, max_backoff, timeout
        self.urlopen = urllib.request.urlopen  # replaceable, like fetch in the TypeScript client

    def json(self, method, path, body=None, headers=None, idempotent=False):
        """Sends a call and answers its JSON body (None when it has none). A lost answer is retried like no answer when
        the call is safe to repeat: not a POST, or ``idempotent`` (staging), or carrying an Idempotency-Key."""
        status, data = self._exchange(method, path, body, headers, "application/json", stream=False, idempotent=idempotent)
        if not data:
            return None
        try:
            return json.loads(data.decode("utf-8"))
        except ValueError as e:
            raise Unavailable(status, "dataset-service answered %s %s with bad JSON" % (method, path)) from e

    def open(self, method, path, body=None, headers=None, accept="application/json"):
        """Sends a call and answers the open response once its status is 2xx (read it, then close it)."""
        return self._exchange(method, path, body, headers, accept, stream=True)

    def _exchange(self, method, path, body, headers, accept, stream, idempotent=False):
        safe = method != "POST" or idempotent or "Idempotency-Key" in (headers or {})
        payload = None if body is None else json.dumps(body, ensure_ascii=False).encode("utf-8")
        all_headers = {"Authorization": "Bearer " + self._key, "Accept": accept, "User-Agent": "dataline-python"}
        if payload is not None:
            all_headers["Content-Type"] = "application/json"
        all_headers.update(headers or {})
        attempt = 0
        while True:
            request = urllib.request.Request(self.url + path, data=payload, headers=all_headers, method=method)
            try:
                response = self.urlopen(request, timeout=self.timeout)
                if stream:
                    return response
                with response:
                    return response.status, response.read()
            except urllib.error.HTTPError as e:
                status, answer, retry_after = e.code, e.read(), e.headers.get("Retry-After")
                e.close()
                if (status in RETRIED or (status in RETRIED_IF_SAFE and safe)) and attempt < self.retries:
                    time.sleep(self._wait(attempt, retry_after))
                    attempt += 1
                    continue
                raise error_for(status, answer) from None
            except (urllib.error.URLError, http.client.HTTPException, OSError) as e:
                if attempt < self.retries and safe:
                    time.sleep(self._wait(attempt, None))
                    attempt += 1
                    continue
                reason = getattr(e, "reason", None) or e
                raise Unavailable(0, "dataset-service at %s is unreachable (%s)" % (self.url, reason)) from e

    def _wait(self, attempt, retry_after):
        """Exponential back-off with jitter; a server's Retry-After (seconds or an HTTP date) is honoured up to the cap."""
        if retry_after:
            try:
                seconds = float(retry_after)
            except ValueError:
                try:
                    seconds = email.utils.parsedate_to_datetime(retry_after).timestamp() - time.time()
                except (TypeError, ValueError):
                    seconds = -1
            if seconds >= 0:
                return min(seconds, self.max_backoff)
        ceiling = min(self.max_backoff, self.backoff * 2 ** attempt)
        return ceiling / 2 + random.random() * ceiling / 2


def segment(value):
    """One path segment, percent-encoded (names may hold spaces, slashes or anything else)."""
    if not isinstance(value, str) or not value:
        raise ValueError("a name, key or version must be a non-empty string")
    return urllib.parse.quote(value, safe="")
