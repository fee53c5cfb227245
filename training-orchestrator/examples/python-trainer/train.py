#!/usr/bin/env python3
"""Example Dataline process trainer: multinomial naive Bayes, Python standard library only.

The orchestrator runs its two entry points through an operator-configured template, e.g.

    dataline.trainers.process.python-example.command=python3 examples/python-trainer/train.py train \
        --train {trainFile} --spec {specFile} --out {outDir}
    dataline.trainers.process.python-example.predict-command=python3 examples/python-trainer/train.py predict \
        --model {modelFile} --input {inputFile} --output {outputFile}

"train" reads the training split (NDJSON, one record per line) and the training spec and writes {outDir}/model.json.
"predict" reads a model and records without their labels and writes one line per record, in order:
{"label": ..., "scores": {label: probability}}. Dataline computes every metric from those predictions on held-out
records this script never sees with their labels. Features: text fields become lower-cased words, categorical fields
one token per value, numeric fields the quartile (of the training split) their value falls in. Spec params: "alpha"
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


def run_train(args):
    with open(args.spec, encoding="utf-8") as f:
        spec = json.load(f)
    alpha = float(spec.get("params", {}).get("alpha", 1.0))
    if not alpha > 0:
        sys.exit("params.alpha must be > 0")
    training = read_ndjson(args.train)
    print("training naive Bayes on %d records (alpha %s)" % (len(training), alpha), flush=True)
    model = train(training, spec, alpha)
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "model.json"), "w", encoding="utf-8") as f:
        json.dump(model, f, sort_keys=True)
    print("trained on labels %s" % sorted(model["priors"]), flush=True)


def run_predict(args):
    with open(args.model, encoding="utf-8") as f:
        model = json.load(f)
    count = 0
    with open(args.input, encoding="utf-8") as records, open(args.output, "w", encoding="utf-8") as out:
        for line in records:
            if not line.strip():
                continue
            label, scores = predict(model, json.loads(line))
            out.write(json.dumps({"label": label, "scores": scores}) + "\n")
            count += 1
    print("predicted %d records" % count, flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    steps = parser.add_subparsers(dest="step", required=True)
    training = steps.add_parser("train", help="train on the training split")
    training.add_argument("--train", required=True)
    training.add_argument("--spec", required=True)
    training.add_argument("--out", required=True)
    predicting = steps.add_parser("predict", help="predict records without labels")
    predicting.add_argument("--model", required=True)
    predicting.add_argument("--input", required=True)
    predicting.add_argument("--output", required=True)
    args = parser.parse_args()
    run_train(args) if args.step == "train" else run_predict(args)


if __name__ == "__main__":
    main()
