"""The command line: a thin layer over the library.

Exit codes, so that CI can tell bad content from a bug in the tool:
0 ok; 1 a problem with the input or the machine (one line per problem, naming
`path:line`); 2 a usage error; 70 an internal error, a bug in diaspora-book
(EX_SOFTWARE: one line asking for a report; DIASPORA_BOOK_DEBUG=1 shows the
traceback); 130 interrupted (Ctrl-C), the last complete book left in place.
No input ever produces a Python traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import traceback
from pathlib import Path

from diaspora_book import __version__
from diaspora_book.annotate.glossary import load_glossary
from diaspora_book.annotate.index import load_index
from diaspora_book.annotate.suggest import suggest_glossary, suggest_index
from diaspora_book.build import (
    FORMATS,
    BuildFailed,
    BuildRequest,
    build,
    build_handouts,
    convert_project,
    read_articles,
)
from diaspora_book.chapters.convert import stale_chapters, write_chapters
from diaspora_book.check import run_checks
from diaspora_book.plumbing.cache import BuildCache
from diaspora_book.plumbing.errors import BookError, Diagnostics
from diaspora_book.plumbing.processes import adopting_orphans, stop_descendants
from diaspora_book.plumbing.progress import Level, Progress, for_terminal
from diaspora_book.plumbing.shard import Shard, estimated_pages, read_catalogue, share
from diaspora_book.plumbing.strict_text import display_path
from diaspora_book.plumbing.summary import CHECK_KEEPS, summarised
from diaspora_book.project.config import load_project
from diaspora_book.project.print_settings import SHOP_NAMES

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2
EXIT_INTERNAL = 70  # EX_SOFTWARE (sysexits.h): a bug in this tool
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as a shell reports a command stopped by Ctrl-C
_VERBOSE = False  # --verbose: every diagnostic, none grouped


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--project",
        type=Path,
        default=argparse.SUPPRESS,
        metavar="DIR",
        help="the book project directory (default: the current directory)",
    )
    loudness = common.add_mutually_exclusive_group()
    loudness.add_argument(
        "-q", "--quiet", action="store_true", default=argparse.SUPPRESS, help="print only problems"
    )
    loudness.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        default=argparse.SUPPRESS,
        help="also print each stage and its time",
    )
    parser = argparse.ArgumentParser(
        prog="diaspora-book",
        description="Build a print PDF and an EPUB 3 from encyclopedia articles.",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"diaspora-book {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    outputs = argparse.ArgumentParser(add_help=False)
    outputs.add_argument(
        "--out", type=Path, metavar="DIR", help="output directory (default: dist/)"
    )
    outputs.add_argument(
        "--format",
        action="append",
        choices=FORMATS,
        dest="formats",
        help="render only this format (repeatable; default: pdf and epub)",
    )

    build_cmd = commands.add_parser(
        "build",
        parents=[common, outputs],
        help="convert the articles and render the PDF and EPUB into dist/",
    )
    build_cmd.add_argument("--strict", action="store_true", help="treat warnings as errors")
    build_cmd.add_argument(
        "--no-cache",
        action="store_true",
        help="ignore the incremental cache: a full build (recorded for the next one)",
    )
    build_cmd.add_argument(
        "--print",
        nargs="?",
        const="",
        default=None,
        type=_shop,
        dest="press",
        metavar="SHOP",
        help="the PDF for a print shop: kdp, ingramspark or lulu (an interior and "
        "<title>-cover.pdf), or marks (3 mm bleed and crop marks); "
        "default: book.yml print: shop, else marks",
    )
    build_cmd.add_argument(
        "--jobs",
        type=_positive_int,
        metavar="N",
        help="lay out N parts of the print edition at a time "
        "(default: one per CPU core, a small book in one process; "
        "1: the whole book in one process)",
    )
    build_cmd.add_argument(
        "--catalogue",
        type=Path,
        metavar="FILE",
        help="build every book a catalogue.yml lists (a YAML list of project folders)",
    )
    build_cmd.add_argument("--shard", type=_shard, metavar="I/N", help=_SHARD_HELP)

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
    handouts_cmd.add_argument("--shard", type=_shard, metavar="I/N", help=_SHARD_HELP)
    handouts_cmd.add_argument("--strict", action="store_true", help="treat warnings as errors")
    handouts_cmd.add_argument(
        "--no-cache", action="store_true", help="render every handout, changed or not"
    )

    convert_cmd = commands.add_parser(
        "convert", parents=[common], help="write the annotated Markdown chapters into chapters/"
    )
    convert_cmd.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if chapters/ is out of date"
    )

    commands.add_parser(
        "watch",
        parents=[common, outputs],
        help="build, then rebuild whenever an input changes (Ctrl+C stops)",
    )

    check_cmd = commands.add_parser(
        "check", parents=[common], help="report problems as path:line: message without rendering"
    )
    check_cmd.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        dest="output_format",
        help="text (path:line: severity: message) or a JSON report on stdout",
    )

    fetch_cmd = commands.add_parser(
        "fetch",
        parents=[common],
        help="fetch articles, their images and credits from a wiki into articles/ and media/",
        description="Fetch wiki articles as Special:Export files into articles/, the images "
        "they show into media/ (with media/credits.yml), and pin all of it in articles.lock. "
        "Without --update, nothing already fetched changes; a second run fetches only what "
        "is missing.",
    )
    fetch_cmd.add_argument("titles", nargs="*", metavar="TITLE", help="an article's title")
    fetch_cmd.add_argument(
        "--wiki",
        default="",
        metavar="HOST",
        help="the wiki: a host (en.wikipedia.org) or the URL of its api.php "
        "(default: 'wiki:' in book.yml)",
    )
    fetch_cmd.add_argument(
        "--category", default="", metavar="NAME", help="also fetch the articles of a category"
    )
    fetch_cmd.add_argument(
        "--depth",
        type=_whole_number,
        default=0,
        metavar="N",
        help="with --category: also its subcategories, N levels down (default: 0)",
    )
    fetch_cmd.add_argument(
        "--update",
        action="store_true",
        help="fetch newer revisions of the fetched articles (or the TITLEs); say what changed",
    )

    for name, what in (
        ("glossary", "append the articles' new glossary candidates to glossary.yml for review"),
        ("index", "append the articles' proper nouns that are not yet indexed to index.yml"),
    ):
        curated = commands.add_parser(name, parents=[common], help=f"curate {name}.yml")
        actions = curated.add_subparsers(dest="action", required=True, metavar="ACTION")
        actions.add_parser("suggest", parents=[common], help=what)
    return parser


_SHARD_HELP = (
    "render only share I of N (1/4 ... 4/4), balanced by estimated pages: "
    "N CI jobs together render everything, each file once"
)


def _shard(text: str) -> Shard:
    try:
        return Shard.parse(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _whole_number(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"expected a whole number of 0 or more, got {text!r}")
    return int(text)


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
        with adopting_orphans():
            try:
                return _run(args, project_dir)
            except KeyboardInterrupt:
                stop_descendants()  # what a stopped worker had started (a pandoc) ends too
                raise
    except BuildFailed as failed:
        _print_diagnostics(failed.diagnostics)
        print(f"error: {failed.message}", file=sys.stderr)
        return EXIT_CONTENT
    except BookError as exc:
        print(exc, file=sys.stderr)
        return EXIT_CONTENT
    except KeyboardInterrupt:
        if args.command == "fetch":  # the lock was written after each file fetched
            print("interrupted; articles.lock keeps what was fetched", file=sys.stderr)
            return EXIT_INTERRUPTED
        print(
            f"interrupted; {_kept(args, project_dir)} keeps the last complete book", file=sys.stderr
        )
        return EXIT_INTERRUPTED
    except Exception as exc:  # a bug in this tool: say so in one line, never a traceback
        if os.environ.get("DIASPORA_BOOK_DEBUG"):
            traceback.print_exc()
        print(
            f"error: internal error (a bug in diaspora-book, not in your book): "
            f"{type(exc).__name__}: {exc} "
            "(please report it; DIASPORA_BOOK_DEBUG=1 shows the traceback)",
            file=sys.stderr,
        )
        return EXIT_INTERNAL


def _kept(args: argparse.Namespace, project_dir: Path) -> str:
    """Return the output folder an interrupted command leaves as it was, as the user named it."""
    out = getattr(args, "out", None)
    if out is not None:
        return f"{out}/"
    return "dist/handouts/" if args.command == "handouts" else "dist/"


def _run(args: argparse.Namespace, project_dir: Path) -> int:
    global _VERBOSE
    _VERBOSE = _level(args) == "verbose"
    if args.command == "fetch":
        from diaspora_book.read.fetch.run import usage_problem

        problem = usage_problem(_fetch_request(args), project_dir)
        if problem:
            print(f"diaspora-book fetch: error: {problem}", file=sys.stderr)
            return EXIT_USAGE
        if project_dir.is_dir():  # a new book starts with a fetch
            (project_dir / "articles").mkdir(exist_ok=True)
    project = load_project(project_dir)
    progress = for_terminal(_level(args))
    if args.command == "build" and (args.catalogue or args.shard):
        return _build_catalogue(args, project_dir, progress)
    if args.command == "build":
        formats = _formats(args)
        cache = BuildCache(project.root, reuse=not args.no_cache)
        request = _request(args, formats, args.out)
        report = build(project, request, progress, cache)
        _print_diagnostics(report.diagnostics)
        for path in report.outputs:
            progress.note(f"wrote {display_path(path, project.root)}")
        progress.note(
            f"built {_counted(len(report.chapters), 'chapter')} in {report.seconds:.1f} s"
        )
        return EXIT_OK
    if args.command == "handouts":
        return _handouts(project, args, progress)
    if args.command == "convert":
        diagnostics = Diagnostics()
        chapters = convert_project(project, diagnostics)
        _print_diagnostics(diagnostics)
        if args.check:
            problems = stale_chapters(chapters, project.chapters_dir, "chapters")
            _print_diagnostics(problems)
            return EXIT_CONTENT if problems else EXIT_OK
        for path in write_chapters(chapters, project.chapters_dir):
            progress.note(f"wrote {display_path(path, project.root)}")
        return EXIT_OK
    if args.command == "watch":
        from diaspora_book.watch import rebuild_reporting, watch_and_build

        formats = _formats(args)
        rebuild = rebuild_reporting(project.root, progress, formats, args.out, _print_diagnostics)
        try:
            watch_and_build(project.root, rebuild)
        except KeyboardInterrupt:  # how watching normally ends: exit 0
            stop_descendants()
            progress.note("stopped watching")
        return EXIT_OK
    if args.command == "check":
        diagnostics = run_checks(project)
        if args.output_format == "json":
            summary = {
                "errors": len(diagnostics.errors),
                "warnings": len(diagnostics.warnings),
                "notes": len([d for d in diagnostics if d.severity == "note"]),
                "diagnostics": [d.to_json() for d in diagnostics],
            }
            print(json.dumps(summary, ensure_ascii=False, indent=2))
        else:
            _print_diagnostics(diagnostics, CHECK_KEEPS)
        return EXIT_CONTENT if diagnostics.errors or diagnostics.warnings else EXIT_OK
    if args.command == "fetch":
        return _fetch(project, args, progress)
    if args.command in ("glossary", "index"):
        return _suggest(project, args.command)
    raise AssertionError(f"unhandled command {args.command}")  # argparse allows no other


def _formats(args: argparse.Namespace) -> tuple[str, ...]:
    """The formats asked for with --format, each once, in order; all when none."""
    return tuple(dict.fromkeys(args.formats)) if args.formats else FORMATS


def _counted(count: int, noun: str, many: str | None = None) -> str:
    """Return '1 chapter', '2 chapters' (`many` for an irregular plural)."""
    return f"{count} {noun if count == 1 else many or noun + 's'}"


def _level(args: argparse.Namespace) -> Level:
    if getattr(args, "quiet", False):
        return "quiet"
    return "verbose" if getattr(args, "verbose", False) else "normal"


def _suggest(project, what: str) -> int:
    """Append new glossary candidates or index entries; list what was added."""
    diagnostics = Diagnostics()
    articles = read_articles(project, diagnostics)
    glossary = load_glossary(project.root, diagnostics)
    index = load_index(project.root, diagnostics)
    if diagnostics.errors:
        raise BuildFailed(diagnostics)
    if what == "glossary":
        added = [
            f"{c.span}: '{c.term}'" + (f' ("{c.gloss}")' if c.gloss else "")
            for c in suggest_glossary(project, articles, glossary)
        ]
        noun = "candidate"
    else:
        added = [f"{s.span}: '{s.term}'" for s in suggest_index(project, articles, glossary, index)]
        noun = "entry"
    for line in added:
        print(line)
    many = {"candidate": "candidates", "entry": "entries"}[noun]
    print(
        f"{what}.yml: added {_counted(len(added), noun, many)}"
        if added
        else f"{what}.yml: nothing new"
    )
    return EXIT_OK


def _fetch_request(args: argparse.Namespace):
    from diaspora_book.read.fetch.run import FetchRequest

    return FetchRequest(tuple(args.titles), args.wiki, args.category, args.depth, args.update)


def _fetch(project, args: argparse.Namespace, progress: Progress) -> int:
    """Fetch articles and images; print what was written, what changed, the warnings."""
    from diaspora_book.read.fetch.run import fetch

    report = fetch(project, _fetch_request(args), progress)
    _print_diagnostics(report.diagnostics)
    for line in report.changes:
        progress.note(line)
    progress.note(report.summary())
    return EXIT_OK


def _build_catalogue(args: argparse.Namespace, project_dir: Path, progress: Progress) -> int:
    """Build every book of the catalogue (or the one project) in this shard."""
    projects = read_catalogue(args.catalogue) if args.catalogue else [project_dir]
    pages = [estimated_pages(load_project(p).articles()) for p in projects]
    mine = share(projects, pages, args.shard) if args.shard else projects
    for folder in mine:
        project = load_project(folder)
        out = args.out / folder.name if args.out and args.catalogue else args.out
        request = _request(args, _formats(args), out)
        report = build(project, request, progress, BuildCache(project.root, not args.no_cache))
        _print_diagnostics(report.diagnostics)
        for path in report.outputs:
            progress.note(f"wrote {path}")
    progress.note(f"built {_counted(len(mine), 'book')} of {len(projects)}")
    return EXIT_OK


def _handouts(project, args: argparse.Namespace, progress: Progress) -> int:
    cache = BuildCache(project.root, reuse=not args.no_cache)
    slugs = args.slugs
    if args.shard:
        articles = [p for p in project.articles() if not slugs or p.stem in slugs]
        pages = [estimated_pages([p]) for p in articles]
        slugs = [p.stem for p in share(articles, pages, args.shard)]
        if not slugs:
            progress.note(f"no handout in shard {args.shard.index}/{args.shard.count}")
            return EXIT_OK
    report = build_handouts(project, slugs, args.out, args.jobs, strict=args.strict, cache=cache)
    _print_diagnostics(report.diagnostics)
    for handout in report.handouts:
        progress.note(f"wrote {display_path(handout.path, project.root)}")
    count, workers = len(report.handouts), report.workers
    rendered = sum(1 for stage in cache.misses if stage.startswith("handout:"))
    progress.note(
        f"rendered {rendered} of {_counted(count, 'handout')} in {report.seconds:.1f} s "
        f"({_counted(workers, 'process', 'processes')})"
        if rendered
        else f"{_counted(count, 'handout')} up to date"
    )
    return EXIT_OK


def _request(args: argparse.Namespace, formats, out: Path | None) -> BuildRequest:
    press = args.press is not None
    return BuildRequest(formats, out, args.strict, press, args.jobs, shop=args.press or "")


def _shop(value: str) -> str:
    """Check --print's shop: one of SHOP_NAMES, or "" (book.yml's)."""
    if value and value not in SHOP_NAMES:
        raise argparse.ArgumentTypeError(
            f"invalid shop {value!r} (choose from {', '.join(SHOP_NAMES)})"
        )
    return value


def _print_diagnostics(diagnostics, keep: frozenset[str] = frozenset()) -> None:
    """Print the diagnostics, long lists of one kind as one line each (`plumbing/summary.py`),
    all of them with --verbose."""
    shown = diagnostics if _VERBOSE else summarised(diagnostics, keep)
    for diagnostic in shown:
        print(diagnostic, file=sys.stderr)
