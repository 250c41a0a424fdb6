"""``python -m xktracker.upstream build|check|docs``: rebuild, validate or document the
upstream-list database (checks/data/platforms.json).

\b
Examples:
  python -m xktracker.upstream build                  # every library, every registry
  python -m xktracker.upstream build --only pycountry # one library; the rest kept
  python -m xktracker.upstream check
  python -m xktracker.upstream docs                   # the tables of docs/upstream-lists.md
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from xktracker.upstream import build, docs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m xktracker.upstream",
                                     description=__doc__.split("\n", 1)[0])
    sub = parser.add_subparsers(dest="command", required=True)
    make = sub.add_parser("build", help="read the releases and write the JSON (and the docs)")
    make.add_argument("--cache", type=Path, default=build.DEFAULT_CACHE,
                      help="where downloaded packages are kept between builds")
    make.add_argument("--only", action="append", metavar="ID",
                      help="rebuild only this library (repeatable); the others are kept")
    make.add_argument("--out", type=Path, default=build.OUT)
    sub.add_parser("check", help="validate the committed JSON")
    sub.add_parser("docs", help="rewrite the generated tables of docs/upstream-lists.md")
    args = parser.parse_args(argv)

    if args.command == "check":
        doc = json.loads(build.OUT.read_text(encoding="utf-8"))
        problems = build.validate(doc)
        for problem in problems:
            print("problem:", problem)
        if not docs.up_to_date(doc):
            problems.append("docs/upstream-lists.md")
            print("problem: docs/upstream-lists.md is not the rendering of the JSON: "
                  "run python -m xktracker.upstream docs")
        print(f"{len(doc['libraries'])} libraries, {len(doc['lists'])} distinct lists, "
              f"{len(problems)} problems")
        return 1 if problems else 0
    if args.command == "docs":
        docs.write(json.loads(build.OUT.read_text(encoding="utf-8")))
        return 0

    previous = json.loads(args.out.read_text(encoding="utf-8")) if args.out.is_file() else None
    if previous is not None and previous.get("schema") != build.SCHEMA:
        previous = None
    only = set(args.only) if args.only else None
    doc = build.build(args.cache, only, lambda line: print(line, file=sys.stderr), previous)
    problems = build.validate(doc)
    for problem in problems:
        print("problem:", problem, file=sys.stderr)
    if problems:
        return 1
    args.out.write_text(build.dump(doc), encoding="utf-8")
    docs.write(doc)
    print(f"wrote {args.out}: {len(doc['libraries'])} libraries, {len(doc['lists'])} lists",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
