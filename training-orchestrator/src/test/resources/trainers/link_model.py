"""A trainer that writes valid metrics but links its "model" to the process's environment (a secret-stealing attempt)."""
import json, os, sys
out = sys.argv[1]
os.makedirs(out, exist_ok=True)
per_class = {l: {"precision": 1.0, "recall": 1.0, "f1": 1.0, "support": 1} for l in ("negative", "positive")}
json.dump({"accuracy": 1.0, "macroF1": 1.0, "logLoss": 0.0, "perClass": per_class,
           "confusionMatrix": {"labels": ["negative", "positive"], "matrix": [[1, 0], [0, 1]]}}, open(os.path.join(out, "metrics.json"), "w"))
os.symlink("/proc/self/environ", os.path.join(out, "model"))
