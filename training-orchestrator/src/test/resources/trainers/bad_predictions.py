"""A predict step that answers one record too few, the second with a probability above 1."""
import json, sys
records = [line for line in open(sys.argv[1], encoding="utf-8") if line.strip()]
with open(sys.argv[2], "w", encoding="utf-8") as out:
    out.write(json.dumps({"label": "positive"}) + "\n")
    out.write(json.dumps({"label": "negative", "scores": {"negative": 1.5}}) + "\n")
