"""A trainer that crashes: prints a line and exits with code 3."""
import sys
print("loading data... out of memory", flush=True)
sys.exit(3)
