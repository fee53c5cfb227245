#!/usr/bin/env python3
"""The reference for the built-in trainer's accuracy: scikit-learn's LogisticRegression on the same split.

    python3 logistic_regression.py JOB.json

JOB.json: {"datasets": [{"name": ..., "train": "train.ndjson", "test": "test.ndjson", "spec": <Dataline training spec>}]}.
For each data set it fits the standard pipeline a practitioner would use on the spec's features: numeric fields
standardised (missing values imputed with the training mean), categorical fields one-hot encoded (unknown values
ignored), text fields TF-IDF weighted words and, with params.ngrams = 2 (the default), word pairs; then
LogisticRegression with scikit-learn's defaults (L2, C = 1.0, lbfgs, multinomial) and enough iterations to converge.
Prints {"sklearn": version, "results": [{"name", "accuracy", "macroF1", "heldOut"}]} as JSON on stdout.
Needs scikit-learn (Debian: apt-get install python3-sklearn).
"""
import json
import sys

import numpy
import sklearn
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler


def read(path, spec):
    rows = [json.loads(line) for line in open(path, encoding="utf-8") if line.strip()]
    label = spec["labelField"]
    rows = [r for r in rows if r.get(label) is not None]
    columns = {}
    for feature in spec["features"]:
        name, kind = feature["field"], feature["type"]
        if kind == "numeric":
            columns[name] = [float(r[name]) if isinstance(r.get(name), (int, float)) else float("nan") for r in rows]
        elif kind == "text":
            columns[name] = [r.get(name) if isinstance(r.get(name), str) else "" for r in rows]
        else:
            columns[name] = [str(r.get(name)) for r in rows]
    return columns, [str(r[label]) for r in rows]


class Features:
    """The standard preprocessing, fitted on the training split and applied to both."""

    def __init__(self, spec):
        self.numeric = [f["field"] for f in spec["features"] if f["type"] == "numeric"]
        self.categorical = [f["field"] for f in spec["features"] if f["type"] == "categorical"]
        self.text = [f["field"] for f in spec["features"] if f["type"] == "text"]
        ngrams = int(spec.get("params", {}).get("ngrams", 2))
        self.scaler = make_pipeline(SimpleImputer(), StandardScaler())
        self.encoder = OneHotEncoder(handle_unknown="ignore")
        self.vectorizers = {field: TfidfVectorizer(ngram_range=(1, ngrams)) for field in self.text}

    def transform(self, columns, fit=False):
        parts = []
        if self.numeric:
            x = numpy.array([columns[f] for f in self.numeric]).T
            parts.append(sparse.csr_matrix(self.scaler.fit_transform(x) if fit else self.scaler.transform(x)))
        if self.categorical:
            x = numpy.array([columns[f] for f in self.categorical], dtype=object).T
            parts.append(self.encoder.fit_transform(x) if fit else self.encoder.transform(x))
        for field, vectorizer in self.vectorizers.items():
            parts.append(vectorizer.fit_transform(columns[field]) if fit else vectorizer.transform(columns[field]))
        return sparse.hstack(parts).tocsr()


def main():
    job = json.load(open(sys.argv[1], encoding="utf-8"))
    results = []
    for dataset in job["datasets"]:
        spec = dataset["spec"]
        train_x, train_y = read(dataset["train"], spec)
        test_x, test_y = read(dataset["test"], spec)
        features = Features(spec)
        model = LogisticRegression(max_iter=10000).fit(features.transform(train_x, fit=True), train_y)
        predicted = model.predict(features.transform(test_x))
        results.append({"name": dataset["name"], "accuracy": accuracy_score(test_y, predicted),
                        "macroF1": f1_score(test_y, predicted, average="macro"), "heldOut": len(test_y)})
    json.dump({"sklearn": sklearn.__version__, "results": results}, sys.stdout, indent=2)


if __name__ == "__main__":
    main()
