"""Write `bench/RESULTS.md`: goals, a summary per book size, stages, profile, method.

Seconds are medians over the repeats; a ratio is the median of the per-repeat ratios
(pipeline / baseline, the two sides built back to back), which cancels most of the
drift of a shared machine. Every figure comes from this run; nothing is carried over.
"""

from __future__ import annotations

import pstats
import statistics
from pathlib import Path

from bench import peer
from bench.incremental import IncrementalResult
from bench.run import ROWS, BuildSample, SizeResult

LABELS = {
    "convert": "parse, lint, convert, write chapters/",
    "assemble": "assemble manuscripts (Jinja2)",
    "html": "pandoc → HTML",
    "layout": "WeasyPrint layout",
    "write": "WeasyPrint write PDF",
    "epub": "pandoc → EPUB (pipeline: + repackage)",
    "overlap": "− time stages ran at once (PDF parts; EPUB beside the PDF)",
    "other": "start-up, imports, the rest",
    "pdf": "**PDF rendering** (HTML + layout + write)",
    "full": "**full build** (PDF + EPUB)",
}
_NO_RATE = ("overlap", "other")  # not work on pages: no pages per second
GOAL_RATIO = 1.10  # a book size without a goal of its own
GOAL_RATIOS = {2: 1.30, 10: 1.10, 50: 1.00, 200: 0.70}  # issues 12 and 22
GOAL_INCREMENTAL = 0.15  # edit one article: at most this share of the full build
GOAL_PDF_SIZE = 1.15  # the PDF in parts against the one-process layout
GOAL_GROWTH = 0.20


def _median_seconds(samples: list[BuildSample], row: str) -> float | None:
    values = [s.stages[row].seconds for s in samples if row in s.stages]
    return statistics.median(values) if values else None


def _median_rss(samples: list[BuildSample], row: str) -> float | None:
    values = [s.stages[row].peak_rss_kib for s in samples if row in s.stages]
    values = [v for v in values if v is not None]
    return statistics.median(values) / 1024 if values else None


def paired_ratios(result: SizeResult, row: str) -> list[float]:
    """The per-repeat ratios pipeline / baseline for `row` (the two built back to back)."""
    return [
        p.stages[row].seconds / b.stages[row].seconds
        for p, b in zip(result.pipeline, result.baseline, strict=True)
        if row in p.stages and row in b.stages and b.stages[row].seconds > 0
    ]


def ratio(result: SizeResult, row: str) -> float | None:
    """Median of the paired per-repeat ratios pipeline / baseline for `row`."""
    pairs = paired_ratios(result, row)
    return statistics.median(pairs) if pairs else None


def _ratio_range(result: SizeResult) -> str:
    pairs = paired_ratios(result, "full")
    text = _fmt(statistics.median(pairs))
    return f"{text} ({min(pairs):.2f}–{max(pairs):.2f})" if len(pairs) > 1 else text


def cpu_ratio(result: SizeResult) -> float:
    pairs = [p.cpu / b.cpu for p, b in zip(result.pipeline, result.baseline, strict=True)]
    return statistics.median(pairs)


def pages_per_second(result: SizeResult, side: str, row: str = "full") -> float:
    seconds = _median_seconds(getattr(result, side), row)
    return result.pages[side] / seconds if seconds else 0.0


def _fmt(value: float | None, digits: int = 2) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def _table_rows(rows: list[list[str]]) -> list[str]:
    """Rows to append to a table already started."""
    return ["| " + " | ".join(row) + " |" for row in rows]


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return lines + ["| " + " | ".join(row) + " |" for row in rows]


def goals(results: list[SizeResult]) -> list[str]:
    rows: list[list[str]] = []
    for result in results:
        r = ratio(result, "full")
        goal = GOAL_RATIOS.get(result.articles, GOAL_RATIO)
        rows.append(
            [
                f"full build ≤ {goal:.2f} × baseline, {result.articles} articles",
                f"{_fmt(r)} (CPU time: {_fmt(cpu_ratio(result))})",
                "yes" if r is not None and r <= goal else "**no**",
            ]
        )
    if len(results) > 1:
        small, large = results[0], results[-1]
        first, last = pages_per_second(small, "pipeline"), pages_per_second(large, "pipeline")
        change = last / first - 1 if first else 0.0
        layout = [pages_per_second(r, "pipeline", "layout") for r in (small, large)]
        rows.append(
            [
                f"pages/s at {large.articles} articles within {GOAL_GROWTH:.0%} of pages/s at "
                f"{small.articles} (not slower: growth no worse than linear)",
                f"full build {last:.1f} vs {first:.1f} pages/s ({change:+.0%}); "
                f"WeasyPrint layout alone {layout[1]:.1f} vs {layout[0]:.1f} "
                f"({layout[1] / layout[0] - 1:+.0%})",
                "yes" if change >= -GOAL_GROWTH else "**no**",
            ]
        )
    for result in results:
        p, b = _median_rss(result.pipeline, "full"), _median_rss(result.baseline, "full")
        rows.append(
            [
                f"peak RSS no worse than the baseline, {result.articles} articles",
                f"{_fmt(p, 0)} vs {_fmt(b, 0)} MiB ({p / b - 1:+.1%})" if p and b else "—",
                "yes" if p is not None and b is not None and p <= b else "**no**",
            ]
        )
    return _table(["goal", "measured", "met"], rows)


def incremental_goals(result: IncrementalResult) -> list[list[str]]:
    """Rows of the goals table for the incremental rebuild and the PDF's size."""
    share = result.edit / result.full
    size = result.pdf_bytes / result.one_process_pdf_bytes
    rows = [
        [
            f"edit one article of {result.articles}, rebuild PDF + EPUB: "
            f"≤ {GOAL_INCREMENTAL:.0%} of the full build",
            f"{result.edit:.1f} s of {result.full:.1f} s ({share:.0%})",
            "yes" if share <= GOAL_INCREMENTAL else "**no**",
        ],
        [
            f"PDF ≤ {GOAL_PDF_SIZE:.2f} × the one-process layout ({result.articles} articles), "
            "each face embedded once",
            f"{size:.3f} ×; pdffonts lists each face once: {'yes' if result.faces_once else 'no'}",
            "yes" if size <= GOAL_PDF_SIZE and result.faces_once else "**no**",
        ],
    ]
    if result.watch is not None:
        rows.append(
            [
                "`watch`: an edited sentence in the PDF within the incremental figure",
                f"{result.watch:.1f} s (the rebuild: {result.edit:.1f} s)",
                "yes" if result.watch <= result.full * GOAL_INCREMENTAL else "**no**",
            ]
        )
    return rows


def incremental(result: IncrementalResult) -> list[str]:
    """The section on rebuilds: what was changed, the seconds, the parts kept."""
    rows = [
        ["full build, nothing cached", f"{result.full:.1f}", "100%", "—"],
        [
            "one sentence of one article edited",
            f"{result.edit:.1f}",
            f"{result.edit / result.full:.0%}",
            result.edit_kept,
        ],
        [
            f"that chapter grown by about a page (book: {result.grow_pages:+d} pages)",
            f"{result.grow:.1f}",
            f"{result.grow / result.full:.0%}",
            result.grow_kept,
        ],
    ]
    if result.watch is not None:
        rows.append(["`watch`: edit saved → PDF replaced", f"{result.watch:.1f}", "", ""])
    sizes = [
        ["laid out in parts (one subset per face)", f"{result.pdf_bytes / 1e6:.3f}"],
        ["laid out in one process (`--jobs 1`)", f"{result.one_process_pdf_bytes / 1e6:.3f}"],
    ]
    return [
        *_table(["rebuild (CLI, cache on, fresh process)", "s", "of full", "parts kept"], rows),
        "",
        *_table(["PDF", "MB"], sizes),
    ]


def pages_per_hour(results: list[SizeResult]) -> list[str]:
    """On paper: pages per hour for one machine like this one, and for N CI jobs (shards)."""
    largest = results[-1]
    hourly = pages_per_second(largest, "pipeline") * 3600
    rows = [[str(jobs), f"{hourly * jobs:,.0f}"] for jobs in (1, 2, 4, 8, 16)]
    return [
        f"From the full build's pages per second at {largest.articles} articles "
        f"({hourly / 3600:.1f} pages/s, PDF and EPUB), one machine per job (`--shard I/N`, "
        "`.github/workflows/shards.yml`). Shards share no work, so the rate scales with the "
        "jobs; each job also pays its set-up (`scripts/setup.sh`, minutes on a fresh runner, "
        "not counted here) and a book is never split across jobs.",
        "",
        *_table(["jobs (2-core machines)", "pages per hour"], rows),
    ]


def chart_points(results: list[SizeResult]) -> dict[str, list[tuple[int, float, float]]]:
    """(articles, seconds, pages/s) per size for each side, for `chart.chart`."""
    return {
        side: [
            (
                r.articles,
                _median_seconds(r.pipeline if side == "pipeline" else r.baseline, "full") or 0.0,
                pages_per_second(r, side),
            )
            for r in results
        ]
        for side in ("pipeline", "baseline")
    }


def _megabytes(result: SizeResult, fmt: str) -> str:
    return " / ".join(f"{result.sizes[side][fmt] / 1e6:.2f}" for side in ("pipeline", "baseline"))


def summary(results: list[SizeResult]) -> list[str]:
    rows = []
    for r in results:
        p, b = r.pipeline, r.baseline
        rows.append(
            [
                str(r.articles),
                str(len(p)),
                f"{r.pages['pipeline']} / {r.pages['baseline']}",
                f"{_fmt(_median_seconds(p, 'full'))} / {_fmt(_median_seconds(b, 'full'))}",
                _ratio_range(r),
                f"{statistics.median(s.cpu for s in p):.2f} / "
                f"{statistics.median(s.cpu for s in b):.2f}",
                _fmt(cpu_ratio(r)),
                f"{pages_per_second(r, 'pipeline'):.1f} / {pages_per_second(r, 'baseline'):.1f}",
                f"{_fmt(_median_rss(p, 'full'), 0)} / {_fmt(_median_rss(b, 'full'), 0)}",
                _megabytes(r, "pdf"),
                _megabytes(r, "epub"),
            ]
        )
    header = [
        "articles",
        "runs",
        "PDF pages",
        "full build s",
        "ratio (range)",
        "CPU s",
        "CPU ratio",
        "pages/s",
        "peak RSS MiB",
        "PDF MB",
        "EPUB MB",
    ]
    return _table(header, rows)


def stages(result: SizeResult) -> list[str]:
    rows = []
    for row in ROWS:
        p, b = _median_seconds(result.pipeline, row), _median_seconds(result.baseline, row)
        rows.append(
            [
                LABELS[row],
                _fmt(p),
                _fmt(b),
                _fmt(ratio(result, row)),
                _fmt(result.pages["pipeline"] / p, 1) if p and row not in _NO_RATE else "—",
                _fmt(result.pages["baseline"] / b, 1) if b and row not in _NO_RATE else "—",
                _fmt(_median_rss(result.pipeline, row), 0),
                _fmt(_median_rss(result.baseline, row), 0),
            ]
        )
    header = [
        "stage",
        "pipeline s",
        "baseline s",
        "ratio",
        "pipeline pages/s",
        "baseline pages/s",
        "pipeline peak RSS MiB",
        "baseline peak RSS MiB",
    ]
    return _table(header, rows)


def profile(path: Path, articles: int, limit: int = 15) -> list[str]:
    """Summarise a cProfile dump: own time, and the pipeline's own functions by cumulative."""
    stats = pstats.Stats(str(path))
    entries = stats.stats  # type: ignore[attr-defined]  # {(file, line, name): (cc, nc, tt, ct, callers)}
    total = stats.total_tt  # type: ignore[attr-defined]

    def where(key: tuple[str, int, str]) -> str:
        file, line, name = key
        short = file.split("site-packages/")[-1].split("/src/")[-1]
        return f"`{short}:{line} {name}`" if line else f"`{name}`"

    def rows(keys) -> list[list[str]]:
        return [
            [where(k), str(entries[k][1]), f"{entries[k][2]:.3f}", f"{entries[k][3]:.3f}"]
            for k in keys
        ]

    by_own = sorted(entries, key=lambda k: entries[k][2], reverse=True)[:limit]
    ours = [k for k in entries if "diaspora_book" in k[0]]
    by_cumulative = sorted(ours, key=lambda k: entries[k][3], reverse=True)[:limit]
    header = ["function", "calls", "own s", "cumulative s"]
    return [
        f"One pipeline build of {articles} articles under cProfile "
        f"({total:.2f} s of Python time in the main thread; pandoc runs in child processes "
        "and shows up as waiting in `subprocess`). The dump is kept at "
        f"`{path.as_posix()}` for `python -m pstats`.",
        "",
        f"Most own time ({limit} functions):",
        "",
        *_table(header, rows(by_own)),
        "",
        "The pipeline's own functions by cumulative time:",
        "",
        *_table(header, rows(by_cumulative)),
    ]


METHOD = """\
- **Corpus**: `bench/corpus.py` recombines the paragraphs and sections of the two sample
  articles (seed {seed}) into N articles with distinct titles, an infobox, a lead, 3-6
  sections and a "See also" list; every article keeps an Uyghur (Arabic script) and a
  Chinese run. The same N and seed always give the same bytes.
- **Pipeline**: `diaspora_book.build.build()` (what `diaspora-book build` runs), PDF and
  EPUB, in a fresh process (`bench/worker.py`). Stage times come from stopwatches wrapped
  around the functions `build()` calls (the layout and the write around the pipeline's
  layout session, which calls WeasyPrint's). The print edition is laid out in parts,
  one process per core at a time (`render/pdf/parts/`), a small book whole in the
  press (`render/pdf/press.py`), and the EPUB is drafted in another process
  meanwhile (`render/epub/beside.py`; it is finished once the print pages are
  known). Those processes time their own stages, so the layout, write and
  EPUB rows add up the seconds of every process, and the overlap row subtracts the
  time during which stages ran at once.
  Joining the parts' PDFs counts as writing. "Start-up, imports, the rest" is the wall
  time during which no stage ran. The rows add up to the full build.
- **Baseline**: the same articles as one Markdown file made with line rules (no
  escaping, no language tags, no title page), then `pandoc -s --toc --section-divs
  --css` to HTML (the sections give chapters their right-hand page break),
  WeasyPrint (its Python API, in a fresh process) to PDF, and `pandoc --toc --css` to
  EPUB, with the same stylesheet layers as the pipeline. Its full build is the sum of
  the three processes.
- **Pages** are each side's own PDF pages: the pipeline's book adds a title page, a
  copyright page and a contents list with page numbers and fact boxes; the baseline's
  has pandoc's contents list. Pages/s for the EPUB rows is only a size-normalised speed.
- **What the pipeline does differently**: it lays the print edition out on every core
  (the baseline's WeasyPrint uses one), which is why its CPU ratio is higher than its
  wall-clock ratio. Beyond the baseline it has escaped, language-tagged Markdown and
  a block-id Lua filter (pandoc → HTML), citeproc, a tagged PDF with /Lang and a
  finishing pass (writing the PDF), a second layout of the back matter when the
  Glossary or Index has page numbers to deduplicate, and an EPUB finished with subset
  fonts, a cover, the print page list and accessibility metadata. The full build and
  the CPU ratio are the fair comparison.
- **Growth**: the goal guards against cost growing faster than the book. Pages/s of
  the full build rise with size because start-up is paid once; the WeasyPrint layout
  rate, which has no fixed part, shows whether layout itself stays linear.
- **Peak RSS**: for a whole build, `ru_maxrss` from `os.wait4` (the largest of the process
  and its children); per stage, the high-water mark at the end of the stage, of the
  Python process (convert, layout, write) or of its largest pandoc child so far (pandoc
  rows; so the EPUB row of the pipeline is the larger of both pandoc runs).
- **Noise**: every size is built `repeats` times, the two sides back to back in
  alternating order; seconds are medians and ratios are medians of the paired ratios.
  CPU time (user + system, children included) is less sensitive to other load than wall
  time, so its ratio is shown too. A two-article book is built both ways first, untimed.
"""


def render(
    results: list[SizeResult],
    machine: dict[str, str],
    when: str,
    command: str,
    seed: int,
    profile_section: list[str] | None,
    rebuilds: IncrementalResult | None = None,
    chart_name: str | None = None,
) -> str:
    lines = [
        "# Benchmark results",
        "",
        f"Written by `{command}` on {when}. The runner rewrites this file; do not edit it.",
        "",
        "## Machine",
        "",
        *_table(["", ""], [[key, value] for key, value in machine.items()]),
        "",
        "## Goals",
        "",
        *goals(results),
        *(_table_rows(incremental_goals(rebuilds)) if rebuilds else []),
        "",
        *(
            [f"![Seconds and pages per second against book size]({chart_name})", ""]
            if chart_name
            else []
        ),
        "## Summary (pipeline / baseline)",
        "",
        *summary(results),
        "",
        f"## The peer: {peer.PEER}",
        "",
        *peer.section(results),
        "",
    ]
    for result in results:
        lines += [f"## {result.articles} articles, per stage", "", *stages(result), ""]
        unsplit = sorted({name for sample in result.pipeline for name in sample.unsplit})
        if unsplit:
            lines += [
                "Not found to time (renamed?), so counted in the rest: "
                + ", ".join(f"`{name}`" for name in unsplit),
                "",
            ]
    lines += [
        "## Pages per hour, one machine and N jobs (on paper)",
        "",
        *pages_per_hour(results),
        "",
    ]
    if rebuilds is not None:
        lines += [f"## Incremental rebuilds ({rebuilds.articles} articles)", ""]
        lines += [*incremental(rebuilds), ""]
    if profile_section:
        lines += ["## Profile", "", *profile_section, ""]
    lines += ["## Method", "", METHOD.format(seed=seed)]
    return "\n".join(lines)


def with_section(text: str, title: str, body: list[str]) -> str:
    """Return the results `text` with a section inserted before the profile (or the method)."""
    anchor = "## Profile\n" if "## Profile\n" in text else "## Method\n"
    before, after = text.split(anchor, 1)
    return before + "\n".join([f"## {title}", "", *body, ""]) + "\n" + anchor + after
