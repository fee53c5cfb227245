"""A trainer that never finishes (the template's timeout must kill it)."""
import time
print("training forever", flush=True)
time.sleep(600)
