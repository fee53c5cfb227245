"""The Dataline client's commands.

python -m dataline export <dataset> <version> [--format ndjson|csv] [--out FILE]: a version's records, streamed.
python -m dataline checks <dataset> <pull request> [--wait SECONDS]: a data pull request's checks, one line per stage
and the summary; exit 0 when they succeeded, 1 when they failed (or on an error), 2 while they are still pending.
"""
import argparse
import os
import sys

from . import Dataset, DatalineError


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m dataline", description="The Dataline client (DATALINE_URL, DATALINE_API_KEY).")
    commands = parser.add_subparsers(dest="command", required=True)
    export = commands.add_parser("export", help="write a version's records (NDJSON or CSV) to a file or stdout")
    export.add_argument("dataset", help="the dataset's name or slug")
    export.add_argument("version", help="a version hash, or latest")
    export.add_argument("--format", choices=("ndjson", "csv"), default="ndjson")
    export.add_argument("--out", help="the file to write (default: stdout)")
    checks = commands.add_parser("checks", help="a data pull request's checks; exit 0 success, 1 failure, 2 pending")
    checks.add_argument("dataset", help="the dataset's name or slug")
    checks.add_argument("number", type=int, help="the pull request's number")
    checks.add_argument("--wait", type=float, default=0, metavar="SECONDS", help="wait up to this long while they are pending")
    args = parser.parse_args(argv)
    if args.command == "checks":
        return _checks(args)
    try:
        chunks = Dataset.load(args.dataset).version(args.version).export(args.format)
        if args.out:
            partial = args.out + ".partial"
            try:
                with open(partial, "wb") as out:
                    for chunk in chunks:
                        out.write(chunk)
                os.replace(partial, args.out)  # a failed export leaves no half-written file under the name asked for
            finally:
                if os.path.exists(partial):
                    os.remove(partial)
        else:
            for chunk in chunks:
                sys.stdout.buffer.write(chunk)
            sys.stdout.buffer.flush()
    except (DatalineError, ValueError) as e:
        print("dataline: %s" % e, file=sys.stderr)
        return 1
    return 0


def _checks(args):
    try:
        checks = Dataset.load(args.dataset).pull_request(args.number).checks(follow=args.wait > 0, timeout=args.wait)
    except (DatalineError, ValueError) as e:
        print("dataline: %s" % e, file=sys.stderr)
        return 1
    print("#%d  checks of %s on %s: %s" % (checks["number"], checks["from"], checks["head"], checks["state"]))
    for stage in checks.get("stages", []):
        print("  %-11s %s" % (stage["stage"], stage["status"]))
    print(checks["summary"])
    return {"success": 0, "failure": 1}.get(checks["state"], 2)


if __name__ == "__main__":
    sys.exit(main())
