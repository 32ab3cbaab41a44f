"""A real-size book: the English articles of ../shared/wikipedia/wiki/en, as one book size.

Generated books recombine two short sample articles; real encyclopedia articles are
long, with thousands of references for citeproc, tables, templates and lists. The
runner copies the `.wiki` files into a project under `--work` (never into this
repository), then measures, each in a fresh process with SOURCE_DATE_EPOCH set:

1. a full build with the library API and the worker's stopwatches (stage times,
   peak RSS), like the generated sizes;
2. with the CLI and the cache on: a full build, then one sentence of one article
   edited and the book built again (the one-article rebuild);
3. one more full build under cProfile, for where the time goes.

There is no baseline at this size: the bare tools cannot read wikitext. Where
../shared is absent the section says so and nothing is measured.
"""

from __future__ import annotations

import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from bench import measure, run

SHARED_EN = run.REPO.parent / "shared" / "wikipedia" / "wiki" / "en"
_LEAD = re.compile(r"^'''", flags=re.MULTILINE)  # the lead sentence names the subject in bold


@dataclass(frozen=True)
class RealResult:
    source: Path
    articles: int
    pages: int
    references: int  # entries of the References list (the generated bibliography)
    full: run.BuildSample  # the library build, its stages timed
    cli_full: float  # seconds: CLI full build, cache on, nothing cached
    edit: float  # seconds: CLI rebuild after one sentence of one article changed
    edit_kept: str
    edited: str  # the article edited
    profile: Path | None  # the cProfile dump of one more full build


def prepare(work: Path, source: Path) -> Path:
    """Write a project of `source`'s `.wiki` articles under `work`; return its folder."""
    project = work / "real-en" / "project"
    shutil.rmtree(project, ignore_errors=True)
    (project / "articles").mkdir(parents=True)
    for article in sorted(source.glob("*.wiki")):
        shutil.copy(article, project / "articles" / article.name)
    (project / "book.yml").write_text("title: Thirteen Articles\nlanguage: en\n", encoding="utf-8")
    return project


def measure_real(work: Path, source: Path, profile: bool, log=print) -> RealResult:
    """Run the scenario of the module docstring on the articles in `source`."""
    project = prepare(work, source)
    articles = sorted((project / "articles").glob("*.wiki"))
    full = run.build_pipeline(project, work / "real-en" / "library")
    pages = measure.pdf_pages(full.outputs["pdf"])
    seconds = full.stages["full"].seconds
    log(f"  real-size book ({len(articles)} articles, {pages} pages): {seconds:.1f} s")
    cli = [sys.executable, "-m", "diaspora_book", "--project", str(project)]
    out, env = work / "real-en" / "cli", run.child_env()
    cli_full = measure.run([*cli, "build", "-v", "--out", str(out)], env)
    edited = articles[len(articles) // 2]
    _edit(edited)
    edit = measure.run([*cli, "build", "-v", "--out", str(out)], env)
    log(f"  real-size book: full {cli_full.seconds:.1f} s, one article edited {edit.seconds:.1f} s")
    dump = None
    if profile:
        dump = work / "profile-real-en.prof"
        run.build_pipeline(project, work / "real-en" / "profiled", dump)
    return RealResult(
        source,
        len(articles),
        pages,
        _references(project),
        full,
        cli_full.seconds,
        edit.seconds,
        _kept(edit.stderr),
        edited.name,
        dump,
    )


def _edit(article: Path) -> None:
    """Put a word before the lead sentence (the first line opening in bold)."""
    text = article.read_text(encoding="utf-8")
    lead = _LEAD.search(text)
    if lead is None:
        raise measure.MeasureError(f"no lead sentence to edit in {article}")
    article.write_text(text[: lead.start()] + "Truly " + text[lead.start() :], encoding="utf-8")


def _kept(log: str) -> str:
    from bench.incremental import _KEPT

    match = _KEPT.search(log)
    return f"{match.group(1)} of {match.group(2)}" if match else "none (laid out whole)"


def _references(project: Path) -> int:
    """Count the works of the bibliography the build generated from the articles' refs."""
    from diaspora_book.annotate.wiki_bibliography import GENERATED_BIB_DIR

    found = sorted((project / GENERATED_BIB_DIR).glob("wikipedia-*.bib"), key=_modified)
    if not found:
        return 0
    text = found[-1].read_text(encoding="utf-8")
    return sum(1 for line in text.splitlines() if line.startswith("@"))


def _modified(path: Path) -> float:
    return path.stat().st_mtime


_STAGES = ("convert", "html", "layout", "write", "epub", "overlap", "other", "pdf", "full")


def section(source: Path, result: RealResult | None, profile_rows: list[str] | None) -> list[str]:
    """The results' section on the real-size book (`result` None: `source` is absent)."""
    if result is None:
        return [
            f"Not measured: `{source}` is absent (the real articles live in ../shared, "
            "beside the repository, never in it)."
        ]
    from bench.report import LABELS

    rows = []
    for row in _STAGES:
        stage = result.full.stages.get(row)
        if stage is None:
            continue
        rss = f"{stage.peak_rss_kib / 1024:.0f}" if stage.peak_rss_kib else "—"
        rows.append(f"| {LABELS[row]} | {stage.seconds:.2f} | {rss} |")
    share = result.edit / result.cli_full
    lines = [
        f"The {result.articles} English articles of `../shared/wikipedia/wiki/en` as one book: "
        f"{result.pages} PDF pages, {result.references:,} works in the References (citeproc). "
        "Library build with the stopwatches (fresh process, cache off):",
        "",
        "| stage | s | peak RSS MiB |",
        "|---|---|---|",
        *rows,
        "",
        "| rebuild (CLI, cache on, fresh process) | s | of full | parts kept |",
        "|---|---|---|---|",
        f"| full build, nothing cached | {result.cli_full:.1f} | 100% | — |",
        f"| one sentence of `{result.edited}` edited | {result.edit:.1f} | {share:.0%} | "
        f"{result.edit_kept} |",
        "",
    ]
    if profile_rows:
        lines += ["Profile of one more full build:", "", *profile_rows, ""]
    return lines
