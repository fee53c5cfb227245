"""The Python client for Dataline's dataset-service (standard library only, Python 3.9+).

    import dataline
    dataset = dataline.Dataset.load("Customer Feedback Analysis")   # DATALINE_URL, DATALINE_API_KEY
    dataset.add([{"id": "usr_125", "feedback": "The new UI is fantastic!", "sentiment": "positive"}])
    version = dataset.commit("Added Q4 2023 feedback data")
    for record in dataline.load_version("Customer Feedback Analysis", version.hash):
        ...
"""
from .dataset import Dataset, Pipeline, PullRequest, Version, VersionRef
from .errors import Conflict, DatalineError, Forbidden, Invalid, NotFound, Unauthorized, Unavailable
from .http import Http

__version__ = "0.1.0"
__all__ = ["Dataset", "Version", "VersionRef", "Pipeline", "PullRequest", "Http", "load_version", "DatalineError", "Unauthorized",
           "Forbidden", "NotFound", "Conflict", "Invalid", "Unavailable"]


def load_version(dataset, version, **options):
    """Streams the records of one version of a dataset (by name or slug; version by hash or ``latest``), in key order:
    what a training script iterates. ``options`` as for :class:`Http` (``url``, ``api_key``, ``retries``, ...)."""
    return Dataset.load(dataset, **options).version(version).records()
