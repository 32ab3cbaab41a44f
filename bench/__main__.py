"""`python -m bench`: build scale books with the pipeline and the bare baseline; write RESULTS.md.

Run from the repository root after `scripts/setup.sh` (or `make bench`). The 200-article
case takes a few minutes on two cores; `--sizes 2 --repeats 1` is a smoke run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shlex
import sys
from pathlib import Path

from bench import chart, incremental, real, report, run
from bench.corpus import DEFAULT_SEED
from bench.measure import MeasureError, machine

REPO = Path(__file__).resolve().parent.parent


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="Benchmark the pipeline against bare pandoc + WeasyPrint at several sizes.",
    )
    parser.add_argument(
        "--sizes",
        type=int,
        nargs="+",
        default=[10, 50, 200],
        metavar="N",
        help="book sizes in articles (default: 10 50 200)",
    )
    parser.add_argument(
        "--repeats",
        type=int,
        nargs="+",
        default=[5, 3, 2],
        metavar="R",
        help="builds per side, one number per size or one for all (default: 5 3 2)",
    )
    parser.add_argument(
        "--profile-size",
        type=int,
        default=50,
        metavar="N",
        help="profile one pipeline build of N articles with cProfile; 0: no profile",
    )
    parser.add_argument(
        "--incremental-size",
        type=int,
        default=None,
        metavar="N",
        help="measure rebuilds (an edit, a grown chapter, watch) and the PDF's size at N "
        "articles (default: the largest size; 0: not at all)",
    )
    parser.add_argument(
        "--real",
        type=Path,
        default=real.SHARED_EN,
        metavar="DIR",
        help="a folder of .wiki articles built as the real-size book (default: "
        "../shared/wikipedia/wiki/en; skipped with a note when absent)",
    )
    parser.add_argument(
        "--no-real", dest="real", action="store_const", const=None, help="no real-size book"
    )
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument(
        "--no-warm-up",
        dest="warm_up",
        action="store_false",
        help="skip the untimed two-article build that fills the caches first",
    )
    parser.add_argument(
        "--work",
        type=Path,
        default=REPO / "bench" / "out",
        help="where the books are generated and built (default: bench/out, git-ignored)",
    )
    parser.add_argument(
        "--results",
        type=Path,
        default=REPO / "bench" / "RESULTS.md",
        help="the results file to write (default: bench/RESULTS.md)",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if min(args.sizes) < 1 or min(args.repeats) < 1:
        print("bench: error: sizes and repeats must be at least 1", file=sys.stderr)
        return 2
    if len(args.repeats) == 1:
        args.repeats *= len(args.sizes)
    if len(args.repeats) != len(args.sizes):
        print("bench: error: give one --repeats for all sizes or one per size", file=sys.stderr)
        return 2
    command = "python -m bench " + shlex.join(argv if argv is not None else sys.argv[1:])

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    when = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    about = machine()
    try:
        if args.warm_up:
            log("warming up (2 articles, untimed)")
            run.warm_up(args.work, args.seed)
        results = []
        for n, repeats in zip(args.sizes, args.repeats, strict=True):
            log(f"{n} articles, {repeats} run(s) per side")
            results.append(run.measure_size(args.work, n, repeats, args.seed, log))
        rebuilds = None
        rebuild_size = max(args.sizes) if args.incremental_size is None else args.incremental_size
        if rebuild_size:
            log(f"incremental rebuilds at {rebuild_size} articles")
            rebuilds = incremental.measure_incremental(args.work, rebuild_size, args.seed, log)
        real_result, real_profile = None, None
        if args.real is not None and args.real.is_dir():
            log(f"real-size book: {_shown(args.real)}")
            real_result = real.measure_real(args.work, args.real, bool(args.profile_size), log)
            if real_result.profile is not None:
                real_profile = report.profile(_shown(real_result.profile), real_result.articles)
        real_section = (
            real.section(args.real, real_result, real_profile) if args.real is not None else None
        )
        profile_section = None
        if args.profile_size:
            log(f"profiling the pipeline at {args.profile_size} articles")
            project, _ = run.prepare(args.work, args.profile_size, args.seed)
            dump = args.work / f"profile-{args.profile_size}.prof"
            run.build_pipeline(project, args.work / str(args.profile_size) / "profiled", dump)
            profile_section = report.profile(_shown(dump), args.profile_size)
    except MeasureError as exc:
        print(f"bench: error: {exc}", file=sys.stderr)
        return 1
    about["load average at end"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    figure = args.results.with_name("scaling.svg")
    text = report.render(
        results, about, when, command.strip(), args.seed, profile_section, rebuilds, figure.name
    )
    if real_section is not None:
        text = report.with_section(text, "A real-size book", real_section)
    args.results.parent.mkdir(parents=True, exist_ok=True)
    figure.write_text(chart.chart(report.chart_points(results)), encoding="utf-8")
    args.results.write_text(text, encoding="utf-8")
    print("\n".join(report.goals(results)))
    print(f"wrote {_shown(args.results)}")
    return 0


def _shown(path: Path) -> Path:
    """Return `path` relative to the repository when it is inside it."""
    try:
        return path.resolve().relative_to(REPO)
    except ValueError:
        return path


if __name__ == "__main__":
    sys.exit(main())
