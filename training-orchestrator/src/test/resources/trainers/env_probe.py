"""A trainer that reports what it was given: its environment's names, its working directory and its limits; then fails."""
import os, resource, sys
print("ENV " + ",".join(sorted(os.environ)), flush=True)
print("CWD " + os.getcwd(), flush=True)
limits = [resource.getrlimit(r)[0] for r in (resource.RLIMIT_AS, resource.RLIMIT_FSIZE, resource.RLIMIT_NOFILE, resource.RLIMIT_CORE)]
print("LIMITS as=%d fsize=%d nofile=%d core=%d" % tuple(limits), flush=True)
sys.exit(4)
