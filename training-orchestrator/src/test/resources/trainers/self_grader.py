"""A trainer that grades itself: "train" claims perfect metrics in a metrics.json (which Dataline ignores) and reports
what it can see; "predict" answers "positive" for every record and reports whether any record still had its label.
  self_grader.py train OUT_DIR ARG...     self_grader.py predict INPUT OUTPUT"""
import json, os, sys

if sys.argv[1] == "train":
    out = sys.argv[2]
    os.makedirs(out, exist_ok=True)
    print("ARGS " + " ".join(sys.argv[3:]), flush=True)
    print("HELDOUT_VISIBLE " + str(any("heldout" in name for _, _, files in os.walk(".") for name in files)), flush=True)
    per_class = {l: {"precision": 1.0, "recall": 1.0, "f1": 1.0, "support": 1} for l in ("negative", "positive")}
    json.dump({"accuracy": 1.0, "macroF1": 1.0, "logLoss": 0.0, "perClass": per_class,
               "confusionMatrix": {"labels": ["negative", "positive"], "matrix": [[1, 0], [0, 1]]}}, open(os.path.join(out, "metrics.json"), "w"))
    open(os.path.join(out, "model.txt"), "w").write("always positive")
else:
    records = [json.loads(line) for line in open(sys.argv[2], encoding="utf-8") if line.strip()]
    print("PREDICT %d records, %d with a sentiment field" % (len(records), sum(1 for r in records if "sentiment" in r)), flush=True)
    with open(sys.argv[3], "w", encoding="utf-8") as out:
        for _ in records:
            out.write(json.dumps({"label": "positive", "scores": {"positive": 0.9, "negative": 0.1}}) + "\n")
