"""`cchc`: the command line. Declares the arguments and dispatches; the work lives in the
modules each command names, which the nightly tasks call too."""
from __future__ import annotations

import argparse
import sys
from typing import Sequence


def _add_article_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", help="an article, plain text or HTML ('-' for standard input)")
    p.add_argument("--published", help="publication date (YYYY-MM-DD) when the article does not give one")
    p.add_argument("--url", help="the article's URL (provenance, and the portal's locality if known)")
    p.add_argument("--locality", help='default locality, e.g. "huyện Thọ Xuân, tỉnh Thanh Hóa"')


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cchc", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("demo", help="run the nightly DAG once on the bundled sample portals and print a summary")
    p.add_argument("--keep-server", action="store_true", help="leave the sample server running afterwards")

    p = sub.add_parser("sample-portals", help="the bundled sample portals")
    sp = p.add_subparsers(dest="sample_command", required=True)
    serve = sp.add_parser("serve", help="serve the sample portals on loopback")
    serve.add_argument("--port", type=int, help="port (default: CCHC_SAMPLE_PORT or 8765)")
    serve.add_argument(
        "--fault",
        action="append",
        default=[],
        metavar="KIND[:PATH_REGEX[:ARG]]",
        help="switch a fault on (slow, http_500, http_503, reset, redirect_loop, no_charset, wrong_charset, oversized); repeatable",
    )
    sp.add_parser("list", help="list the sample portals and their addresses")

    p = sub.add_parser("registry", help="the portal registry")
    rp = p.add_subparsers(dest="registry_command", required=True)
    v = rp.add_parser("validate", help="validate a registry and name every malformed entry and field")
    v.add_argument("path", nargs="?", help="registry YAML (default: CCHC_REGISTRY or the sample registry)")

    p = sub.add_parser("crawl", help="crawl one portal into the landing folder (what one mapped task does)")
    p.add_argument("portal_id")
    p.add_argument("--run-id", default=None)

    p = sub.add_parser("load", help="load a run's landing files into the warehouse")
    p.add_argument("--run-id", required=True)

    p = sub.add_parser("summary", help="print the summary of a run (default: the latest)")
    p.add_argument("--run-id", default=None)

    p = sub.add_parser("facts", help="print the dossier facts of one article as JSON lines")
    _add_article_options(p)

    p = sub.add_parser("check", help="check the dossier arithmetic of one article; prints one JSON object per broken rule")
    _add_article_options(p)
    p.add_argument("--format", choices=("json", "text"), default="json")

    p = sub.add_parser("score", help="score extracted facts against gold labels (precision, recall, F1)")
    p.add_argument("--gold-dir", default=None, help="folder of <seed>.facts.jsonl gold files (default: tests/gold)")
    p.add_argument("--articles-dir", default=None, help="folder of the articles (default: ../shared/seeds)")
    p.add_argument("--gold", default=None, metavar="DIR",
                   help="score a folder of NNN.jsonl gold facts instead of the seeds (as ../shared/tools/score_facts.py)")
    p.add_argument("--texts", default=None, metavar="DIR",
                   help="folder of the NNN.txt texts of --gold (header lines, '---', the article; default: the gold folder)")
    p.add_argument("--articles", default=None, metavar="SPEC",
                   help="score only these articles: comma-separated ranges (001-023) or name prefixes (005)")
    p.add_argument("--breaks", default=None, metavar="FILE",
                   help="also score `cchc check` on the texts against these hand-found breaks (as ../shared/tools/score_breaks.py)")
    p.add_argument("--verbose", action="store_true",
                   help="list every pair with a wrong field, every missed and every invented fact (and break)")

    p = sub.add_parser("report", help="build the static HTML report (one folder, openable offline) and print its path")
    p.add_argument("--out", default=None, help="the report folder (default: <data dir>/report)")
    p.add_argument("--warehouse", default=None, help="the warehouse file (default: CCHC_WAREHOUSE)")

    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return _dispatch(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


def _dispatch(args: argparse.Namespace) -> int:
    cmd = args.command
    if cmd == "demo":
        from cchc.demo import run_demo

        return run_demo(keep_server=args.keep_server)
    if cmd == "sample-portals":
        from cchc.samples import server

        if args.sample_command == "serve":
            return server.run_serve(port=args.port, faults=args.fault)
        return server.run_list(port=args.port if hasattr(args, "port") else None)
    if cmd == "registry":
        from cchc.registry.registry import run_validate

        return run_validate(args.path)
    if cmd == "crawl":
        from cchc import nightly

        print(nightly.fetch_portal(args.portal_id, args.run_id or nightly.new_run_id()))
        return 0
    if cmd == "load":
        from cchc import nightly

        print(nightly.load_run(args.run_id))
        return 0
    if cmd == "summary":
        from cchc import nightly

        print(nightly.format_summary(nightly.run_summary(args.run_id)))
        return 0
    if cmd == "facts":
        from cchc.extract.command import run_facts

        return run_facts(args)
    if cmd == "check":
        from cchc.quality.command import run_check

        return run_check(args)
    if cmd == "score":
        from cchc.extract.score import run_score

        return run_score(args)
    if cmd == "report":
        from cchc.report import run_report

        return run_report(args)
    raise AssertionError(cmd)


if __name__ == "__main__":
    sys.exit(main())
