"""The command line: a thin layer over the library.

Exit codes: 0 ok, 1 content error (a message naming `path:line`), 2 usage error.
No input ever produces a Python traceback; an unexpected failure is reported as an
internal error in one line (set DIASPORA_BOOK_DEBUG=1 to see the traceback).
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from pathlib import Path

from diaspora_book import __version__
from diaspora_book.build import FORMATS, BuildFailed, build, build_handouts, convert_project
from diaspora_book.config import load_project
from diaspora_book.convert import stale_chapters, write_chapters
from diaspora_book.errors import BookError, Diagnostics

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--project",
        type=Path,
        default=argparse.SUPPRESS,
        metavar="DIR",
        help="the book project directory (default: the current directory)",
    )
    parser = argparse.ArgumentParser(
        prog="diaspora-book",
        description="Build a print PDF and an EPUB 3 from encyclopedia articles.",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"diaspora-book {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    build_cmd = commands.add_parser(
        "build",
        parents=[common],
        help="convert the articles and render the PDF and EPUB into dist/",
    )
    build_cmd.add_argument(
        "--out", type=Path, metavar="DIR", help="output directory (default: dist/)"
    )
    build_cmd.add_argument(
        "--format",
        action="append",
        choices=FORMATS,
        dest="formats",
        help="render only this format (repeatable; default: pdf and epub)",
    )
    build_cmd.add_argument("--strict", action="store_true", help="treat warnings as errors")
    build_cmd.add_argument(
        "--print",
        action="store_true",
        dest="press",
        help="for a print shop: give the PDF 3 mm bleed and crop marks",
    )

    handouts_cmd = commands.add_parser(
        "handouts",
        parents=[common],
        help="render each chapter as a PDF handout into dist/handouts/",
    )
    handouts_cmd.add_argument(
        "--chapter",
        action="append",
        default=[],
        metavar="SLUG",
        dest="slugs",
        help="only this chapter (its article's file name without .txt; repeatable)",
    )
    handouts_cmd.add_argument(
        "--out", type=Path, metavar="DIR", help="output directory (default: dist/handouts/)"
    )
    handouts_cmd.add_argument(
        "--jobs",
        type=_positive_int,
        metavar="N",
        help="render N handouts at a time (default: one per CPU core)",
    )
    handouts_cmd.add_argument("--strict", action="store_true", help="treat warnings as errors")

    convert_cmd = commands.add_parser(
        "convert", parents=[common], help="write the annotated Markdown chapters into chapters/"
    )
    convert_cmd.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if chapters/ is out of date"
    )

    commands.add_parser(
        "check", parents=[common], help="report problems as path:line: message without rendering"
    )
    return parser


def _positive_int(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of 1 or more, got {text!r}")
    return int(text)


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    parser = _parser()
    args = parser.parse_args(argv)  # exits 2 on a usage error
    project_dir = getattr(args, "project", Path.cwd())
    try:
        return _run(args, project_dir)
    except BuildFailed as failed:
        _print_diagnostics(failed.diagnostics)
        print(f"error: {failed.message}", file=sys.stderr)
        return EXIT_CONTENT
    except BookError as exc:
        print(exc, file=sys.stderr)
        return EXIT_CONTENT
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug in this tool: say so in one line, never a traceback
        if os.environ.get("DIASPORA_BOOK_DEBUG"):
            traceback.print_exc()
        print(
            f"error: internal error: {type(exc).__name__}: {exc} "
            "(please report it; DIASPORA_BOOK_DEBUG=1 shows the traceback)",
            file=sys.stderr,
        )
        return EXIT_CONTENT


def _run(args: argparse.Namespace, project_dir: Path) -> int:
    project = load_project(project_dir)
    if args.command == "build":
        formats = tuple(dict.fromkeys(args.formats)) if args.formats else FORMATS
        report = build(project, formats, args.out, strict=args.strict, press=args.press)
        _print_diagnostics(report.diagnostics)
        for path in report.outputs:
            print(f"wrote {path}")
        print(f"built {len(report.chapters)} chapters in {report.seconds:.1f} s")
        return EXIT_OK
    if args.command == "handouts":
        return _handouts(project, args)
    if args.command == "convert":
        diagnostics = Diagnostics()
        chapters = convert_project(project, diagnostics)
        _print_diagnostics(diagnostics)
        if args.check:
            problems = stale_chapters(chapters, project.chapters_dir, "chapters")
            for problem in problems:
                print(problem, file=sys.stderr)
            return EXIT_CONTENT if problems else EXIT_OK
        for path in write_chapters(chapters, project.chapters_dir):
            print(f"wrote {path.relative_to(project.root)}")
        return EXIT_OK
    if args.command == "check":
        diagnostics = Diagnostics()
        try:
            chapters = convert_project(project, diagnostics)
        except BuildFailed:
            chapters = None
        _print_diagnostics(diagnostics)
        problems = stale_chapters(chapters, project.chapters_dir, "chapters") if chapters else []
        for problem in problems:
            print(problem, file=sys.stderr)
        return EXIT_CONTENT if diagnostics or problems else EXIT_OK
    raise AssertionError(f"unhandled command {args.command}")  # argparse allows no other


def _handouts(project, args: argparse.Namespace) -> int:
    report = build_handouts(project, args.slugs, args.out, args.jobs, strict=args.strict)
    _print_diagnostics(report.diagnostics)
    for handout in report.handouts:
        print(f"wrote {_shown(handout.path, project.root)}")
    count, workers = len(report.handouts), report.workers
    print(
        f"rendered {count} handout{'s' if count != 1 else ''} in {report.seconds:.1f} s "
        f"({workers} process{'es' if workers != 1 else ''})"
    )
    return EXIT_OK


def _shown(path: Path, root: Path) -> str:
    return str(path.relative_to(root)) if path.is_relative_to(root) else str(path)


def _print_diagnostics(diagnostics) -> None:
    for diagnostic in diagnostics:
        print(diagnostic, file=sys.stderr)
