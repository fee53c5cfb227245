"""python -m dataline export <dataset> <version> [--format ndjson|csv] [--out FILE]: a version's records, streamed."""
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
    args = parser.parse_args(argv)
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


if __name__ == "__main__":
    sys.exit(main())
