#!/usr/bin/env python3
"""Example Dataline process trainer: multinomial naive Bayes, Python standard library only.

The orchestrator runs it through an operator-configured template, e.g.

    dataline.trainers.process.python-example.command=python3 examples/python-trainer/train.py \
        --train {trainFile} --heldout {heldOutFile} --spec {specFile} --out {outDir}

It reads the training and held-out splits (NDJSON, one record per line) and the training spec, trains on the
training split, evaluates on the held-out split, and writes {outDir}/metrics.json (the exact keys Dataline
requires) and {outDir}/model.json. Features: text fields become lower-cased words, categorical fields one token
per value, numeric fields the quartile (of the training split) their value falls in. Spec params: "alpha"
(Laplace smoothing, default 1.0).
"""
import argparse
import json
import math
import os
import re
import sys
from collections import Counter, defaultdict

WORD = re.compile(r"[^\w]+", re.UNICODE)


def read_ndjson(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def label_of(record, field):
    value = record.get(field)
    if value is None or isinstance(value, (dict, list)):
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return value if isinstance(value, str) else json.dumps(value)


def quartiles(records, field):
    values = sorted(v for v in (r.get(field) for r in records) if isinstance(v, (int, float)) and not isinstance(v, bool))
    if not values:
        return []
    return [values[min(len(values) - 1, int(len(values) * q))] for q in (0.25, 0.5, 0.75)]


def tokens(record, features, cuts):
    out = []
    for feature in features:
        name, kind = feature["field"], feature["type"]
        value = record.get(name)
        if value is None:
            continue
        if kind == "text" and isinstance(value, str):
            out += [name + ":" + w for w in WORD.split(value.lower()) if w]
        elif kind == "categorical":
            out.append(name + "=" + (value if isinstance(value, str) else json.dumps(value)))
        elif kind == "numeric" and isinstance(value, (int, float)) and not isinstance(value, bool):
            out.append(name + "#q" + str(sum(1 for c in cuts.get(name, []) if value > c)))
    return out


def train(records, spec, alpha):
    features, field = spec["features"], spec["labelField"]
    cuts = {f["field"]: quartiles(records, f["field"]) for f in features if f["type"] == "numeric"}
    priors, counts, totals, vocab = Counter(), defaultdict(Counter), Counter(), set()
    for record in records:
        label = label_of(record, field)
        if label is None:
            continue
        priors[label] += 1
        for t in tokens(record, features, cuts):
            counts[label][t] += 1
            totals[label] += 1
            vocab.add(t)
    if len(priors) < 2:
        sys.exit("need at least two labels in the training split, found %s" % sorted(priors))
    return {"kind": "multinomial-naive-bayes", "alpha": alpha, "features": features, "labelField": field, "cuts": cuts,
            "priors": dict(priors), "counts": {k: dict(v) for k, v in counts.items()}, "totals": dict(totals), "vocabulary": len(vocab)}


def predict(model, record):
    n = sum(model["priors"].values())
    alpha, v = model["alpha"], max(1, model["vocabulary"])
    toks = tokens(record, model["features"], model["cuts"])
    logs = {}
    for label, prior in model["priors"].items():
        counts, total = model["counts"].get(label, {}), model["totals"].get(label, 0)
        logs[label] = math.log(prior / n) + sum(math.log((counts.get(t, 0) + alpha) / (total + alpha * v)) for t in toks)
    top = max(logs.values())
    z = sum(math.exp(x - top) for x in logs.values())
    scores = {k: math.exp(x - top) / z for k, x in logs.items()}
    return max(sorted(scores), key=lambda k: scores[k]), scores


def evaluate(model, records):
    truth, predicted, loss = [], [], 0.0
    for record in records:
        label = label_of(record, model["labelField"])
        if label is None:
            continue
        guess, scores = predict(model, record)
        truth.append(label)
        predicted.append(guess)
        loss -= math.log(min(1.0, max(1e-15, scores.get(label, 0.0))))
    if not truth:
        sys.exit("no held-out record has a label")
    labels = sorted(set(truth) | set(predicted))
    index = {l: i for i, l in enumerate(labels)}
    matrix = [[0] * len(labels) for _ in labels]
    for t, p in zip(truth, predicted):
        matrix[index[t]][index[p]] += 1
    per_class, f1s = {}, []
    for l in labels:
        k = index[l]
        tp = matrix[k][k]
        pred = sum(row[k] for row in matrix)
        support = sum(matrix[k])
        precision = tp / pred if pred else 0.0
        recall = tp / support if support else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_class[l] = {"precision": precision, "recall": recall, "f1": f1, "support": support}
        f1s.append(f1)
    return {"accuracy": sum(1 for t, p in zip(truth, predicted) if t == p) / len(truth), "macroF1": sum(f1s) / len(f1s),
            "logLoss": loss / len(truth), "perClass": per_class, "confusionMatrix": {"labels": labels, "matrix": matrix}}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--train", required=True)
    parser.add_argument("--heldout", required=True)
    parser.add_argument("--spec", required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    with open(args.spec, encoding="utf-8") as f:
        spec = json.load(f)
    alpha = float(spec.get("params", {}).get("alpha", 1.0))
    if not alpha > 0:
        sys.exit("params.alpha must be > 0")
    training = read_ndjson(args.train)
    print("training naive Bayes on %d records (alpha %s)" % (len(training), alpha), flush=True)
    model = train(training, spec, alpha)
    metrics = evaluate(model, read_ndjson(args.heldout))
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "model.json"), "w", encoding="utf-8") as f:
        json.dump(model, f, sort_keys=True)
    with open(os.path.join(args.out, "metrics.json"), "w", encoding="utf-8") as f:
        json.dump(metrics, f, indent=2)
    print("held-out accuracy %.4f, macroF1 %.4f" % (metrics["accuracy"], metrics["macroF1"]), flush=True)


if __name__ == "__main__":
    main()
