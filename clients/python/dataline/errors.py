"""The typed errors of the Dataline client: one per kind of answer, each carrying the problem+json body."""


class DatalineError(Exception):
    """Any error the API answered, or the reason no answer came.

    ``status`` is the HTTP status (0: no answer), ``problem`` the problem+json body when there was one (a dict),
    ``errors`` each invalid record or field the server named, ``str(error)`` the problem's detail.
    """

    def __init__(self, status, message, problem=None):
        super().__init__(message)
        self.status = status
        self.problem = problem
        errors = problem.get("errors") if isinstance(problem, dict) else None
        self.errors = errors if isinstance(errors, list) else []


class Unauthorized(DatalineError):
    """401: no key, or a key the server does not know."""


class Forbidden(DatalineError):
    """403: the key may not do this (e.g. a read key committing)."""


class NotFound(DatalineError):
    """404: no such dataset, version or change set."""


class Conflict(DatalineError):
    """409: the head moved (``expected_parent`` is stale), or an Idempotency-Key was reused for another request."""


class Invalid(DatalineError):
    """400, 413, 415, 422: the request or a record is invalid; ``errors`` names each."""


class Unavailable(DatalineError):
    """No answer, 429 or 5xx, still so after the retries."""


_BY_STATUS = {401: Unauthorized, 403: Forbidden, 404: NotFound, 409: Conflict, 400: Invalid, 413: Invalid, 415: Invalid,
              422: Invalid}


def error_for(status, body, what="dataset-service"):
    """The typed error for an answer with a non-2xx status and its body (bytes or str)."""
    import json

    problem = None
    try:
        parsed = json.loads(body.decode("utf-8") if isinstance(body, (bytes, bytearray)) else body)
        if isinstance(parsed, dict):
            problem = parsed
    except (ValueError, UnicodeDecodeError):
        pass  # not a problem document: the status line says it
    detail = problem.get("detail") if problem and isinstance(problem.get("detail"), str) else "%s answered %d" % (what, status)
    kind = _BY_STATUS.get(status)
    if kind is None:
        kind = Unavailable if status == 429 or status >= 500 else DatalineError
    return kind(status, detail, problem)
