"""A trainer that writes a model but metrics without the required keys."""
import json, os, sys
out = sys.argv[1]
os.makedirs(out, exist_ok=True)
open(os.path.join(out, "model.bin"), "wb").write(b"weights")
json.dump({"accuracy": 1.7, "f1": 0.5}, open(os.path.join(out, "metrics.json"), "w"))
