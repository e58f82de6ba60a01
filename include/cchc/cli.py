"""`cchc`: the command line. Declares the arguments and dispatches; the work lives in the
modules each command names, which the nightly tasks call too.

Input a command cannot use is answered here, for every command alike: one line on standard
error naming the input and what is wrong, exit 2; the commands themselves just raise."""
from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import Sequence

# Exit statuses: 2 for input a command cannot use, 1 for a command that could not run now
# (another process holds the warehouse; `cchc report` and `cchc sample-portals serve` say 1 too).
BAD_INPUT, COULD_NOT_RUN = 2, 1


class BadInput(Exception):
    """Input a command cannot use. ``str()`` names the input (path, line, option) and what
    is wrong with it; ``command`` is the command that refused it when ``main`` cannot know."""

    def __init__(self, message: str, command: str | None = None):
        super().__init__(message)
        self.command = command


# Other modules' exceptions that mean the same, each naming its input, by module and class:
# looked up among the modules already imported (a class never imported was never raised,
# and importing duckdb only to compare would cost a second).
_REFUSED = {
    ("cchc.extract.article", "ArticleReadError"): BAD_INPUT,  # a file that is no article
    ("cchc.registry.registry", "RegistryError"): BAD_INPUT,   # no such portal, a registry that is no YAML
    ("duckdb", "IOException"): BAD_INPUT,                     # a warehouse path that is no DuckDB file
    ("cchc.warehouse", "WarehouseLockedError"): COULD_NOT_RUN,
    ("cchc.backfill", "BackfillError"): COULD_NOT_RUN,  # the portal cannot be crawled now
}
# Missing files, folders where files should be and the like: the path is in the message.
_REFUSED_OS_ERRORS = (FileNotFoundError, IsADirectoryError, NotADirectoryError, PermissionError)


class _Parser(argparse.ArgumentParser):
    """A usage error is bad input like any other: one line, through ``main``."""

    def error(self, message: str):
        raise BadInput(f"{message} (see '{self.prog} --help')", command=self.prog)


def _iso_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date (expected YYYY-MM-DD)") from None


def _port(value: str) -> int:
    if not value.isdigit() or int(value) > 65535:
        raise argparse.ArgumentTypeError(f"{value!r} is not a port (0 to 65535)")
    return int(value)


def _add_article_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", help="an article, plain text or HTML ('-' for standard input)")
    p.add_argument("--published", type=_iso_date, help="publication date (YYYY-MM-DD) when the article does not give one")
    p.add_argument("--url", help="the article's URL (provenance, and the portal's locality if known)")
    p.add_argument("--locality", help='default locality, e.g. "huyện Thọ Xuân, tỉnh Thanh Hóa"')


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="cchc", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("demo", help="run the nightly DAG once on the bundled sample portals and print a summary")
    p.add_argument("--keep-server", action="store_true", help="leave the sample server running afterwards")

    p = sub.add_parser("sample-portals", help="the bundled sample portals")
    sp = p.add_subparsers(dest="sample_command", required=True)
    serve = sp.add_parser("serve", help="serve the sample portals on loopback")
    serve.add_argument("--port", type=_port, help="port (default: CCHC_SAMPLE_PORT or 8765)")
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

    p = sub.add_parser("backfill", help="walk a portal's archive once, politely, resumable (lands and loads each listing page)")
    p.add_argument("portal_id")
    stop = p.add_mutually_exclusive_group()
    stop.add_argument("--pages", type=int, metavar="N", help="walk the listing up to its page N (default: to its end)")
    stop.add_argument("--since", type=_iso_date, metavar="DATE", help="stop after the first page whose articles are all older than DATE")

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
    command = "cchc"
    try:
        args = build_parser().parse_args(argv)
        command = f"cchc {args.command}"
        _check_inputs(args)
        return _dispatch(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:
        status = _refusal_status(exc)
        if status is None:
            raise  # a bug: its traceback is what helps
        message = " ".join(_describe(exc).split())  # one line, whatever the message held
        where = exc.command if isinstance(exc, BadInput) and exc.command else command
        print(f"{where}: {message}", file=sys.stderr)
        return status


def _refusal_status(exc: Exception) -> int | None:
    """The exit status when ``exc`` means the command refused its input, else None."""
    if isinstance(exc, BadInput):
        return BAD_INPUT
    for (module, name), status in _REFUSED.items():
        cls = getattr(sys.modules.get(module), name, None)
        if isinstance(cls, type) and isinstance(exc, cls):
            return status
    return BAD_INPUT if isinstance(exc, _REFUSED_OS_ERRORS) else None


def _describe(exc: Exception) -> str:
    if isinstance(exc, OSError) and exc.filename is not None and exc.strerror:
        return f"'{exc.filename}': {exc.strerror}"
    return str(exc) or type(exc).__name__


def _check_inputs(args: argparse.Namespace) -> None:
    """Refuse, before any work, the files and names a command is given that it cannot use."""
    cmd = args.command
    if cmd in ("facts", "check") and args.file != "-":
        _readable(args.file)  # how it decodes is the article reader's business
    elif cmd in ("registry", "crawl", "backfill"):
        from cchc.settings import get_settings

        _text_file(getattr(args, "path", None) or str(get_settings().registry_path))
    elif cmd == "load":
        from cchc.landing import run_dir
        from cchc.settings import get_settings

        folder = run_dir(get_settings().landing_dir, args.run_id)
        if not folder.is_dir():
            raise BadInput(f"--run-id {args.run_id!r}: no landing folder {folder}")
    elif cmd == "score" and args.gold:  # without --gold, `cchc score` says what is missing
        for path in sorted(Path(args.gold).glob("*.jsonl")) + ([Path(args.breaks)] if args.breaks else []):
            _text_file(str(path))
    elif cmd == "report" and args.out and Path(args.out).exists() and not Path(args.out).is_dir():
        raise BadInput(f"--out '{args.out}': not a folder (the report would replace it)")


def _readable(path: str) -> bytes:
    try:
        with open(path, "rb") as fh:
            return fh.read()
    except OSError as exc:
        raise BadInput(f"cannot read '{path}': {exc.strerror or exc}") from None


def _text_file(path: str) -> None:
    """A file read as UTF-8 text (a registry, gold facts): refused with the line of its first bad byte."""
    data = _readable(path)
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise BadInput(f"cannot read '{path}': line {line} is not UTF-8 (byte 0x{data[exc.start]:02x})") from None


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
    if cmd == "backfill":
        from cchc.backfill import backfill

        print(backfill(args.portal_id, pages=args.pages, since=args.since))
        return 0
    if cmd == "load":
        from cchc import nightly

        print(nightly.load_run(args.run_id))
        return 0
    if cmd == "summary":
        from cchc import nightly

        summary = nightly.run_summary(args.run_id)
        if args.run_id and not summary["portals"]:
            raise BadInput(f"--run-id {args.run_id!r}: no such night in the warehouse")
        print(nightly.format_summary(summary))
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
