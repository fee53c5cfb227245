#!/usr/bin/env python3
"""A user's training script, as the GitHub Actions example runs it: the Dataline Python client, nothing else.

    python3 train.py --dataset <name> --data-version <hash> --out model [--text feedback] [--label sentiment]
    python3 train.py --data data.ndjson --data-version <hash> --out model      (a file exported before)

Streams exactly the committed version's records with `dataline.load_version` (DATALINE_URL and DATALINE_API_KEY say
where and as whom), or reads one JSON record per line from a file, splits them
deterministically by primary key (every 5th hash bucket is held out), trains a multinomial naive Bayes classifier
on the words of the text field, and writes model/model.json and model/metrics.json (accuracy on the held-out part,
record counts, and the data version trained on, so the model can be traced back to its data).
"""
import argparse
import hashlib
import json
import math
import os
import re
import sys
from collections import Counter, defaultdict

WORD = re.compile(r"[^\w]+", re.UNICODE)


def words(text):
    return [w for w in WORD.split(str(text).lower()) if w]


def held_out(key):
    return int(hashlib.sha256(str(key).encode("utf-8")).hexdigest(), 16) % 5 == 0


def train(records, text, label):
    priors, counts, totals, vocab = Counter(), defaultdict(Counter), Counter(), set()
    for record in records:
        priors[record[label]] += 1
        for w in words(record[text]):
            counts[record[label]][w] += 1
            totals[record[label]] += 1
            vocab.add(w)
    return {"priors": dict(priors), "counts": {k: dict(v) for k, v in counts.items()}, "totals": dict(totals),
            "vocabulary": len(vocab)}


def predict(model, text):
    n = sum(model["priors"].values())
    best, best_score = None, -math.inf
    for label, prior in model["priors"].items():
        score = math.log(prior / n)
        counts, total = model["counts"].get(label, {}), model["totals"].get(label, 0)
        for w in words(text):
            score += math.log((counts.get(w, 0) + 1) / (total + model["vocabulary"] + 1))
        if score > best_score:
            best, best_score = label, score
    return best


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--dataset", help="the dataset to read the version from, with the Dataline client")
    source.add_argument("--data", help="an NDJSON file instead")
    parser.add_argument("--out", required=True)
    parser.add_argument("--data-version", required=True)
    parser.add_argument("--text", default="feedback")
    parser.add_argument("--label", default="sentiment")
    parser.add_argument("--key", default="id")
    args = parser.parse_args()

    if args.dataset:
        import dataline  # pip install <dataline repository>/clients/python

        records = list(dataline.load_version(args.dataset, args.data_version))
    else:
        with open(args.data, encoding="utf-8") as f:
            records = [json.loads(line) for line in f if line.strip()]
    usable = [r for r in records if isinstance(r.get(args.text), str) and r.get(args.label) is not None]
    training = [r for r in usable if not held_out(r.get(args.key))]
    testing = [r for r in usable if held_out(r.get(args.key))]
    if len({r[args.label] for r in training}) < 2:
        sys.exit("need at least two labels among %d training records" % len(training))

    model = train(training, args.text, args.label)
    correct = sum(1 for r in testing if predict(model, r[args.text]) == r[args.label])
    metrics = {"dataVersion": args.data_version, "records": len(records), "trainRecords": len(training),
               "heldOutRecords": len(testing), "accuracy": correct / len(testing) if testing else None}
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "model.json"), "w", encoding="utf-8") as f:
        json.dump(dict(model, dataVersion=args.data_version, text=args.text, label=args.label), f)
    with open(os.path.join(args.out, "metrics.json"), "w", encoding="utf-8") as f:
        json.dump(metrics, f, indent=2)
    print(json.dumps(metrics))


if __name__ == "__main__":
    main()
