"""Run the benchmark: for each book size, build with the pipeline and with the bare baseline.

For every size N the runner writes a generated project (`corpus.py`) and the
baseline's inputs (`baseline.py`), warms the caches once, then builds both ways
`repeats` times, alternating which side goes first, each build in a fresh process.
Pairing the two sides within a repeat and taking the median of the paired ratios
keeps the comparison fair on a noisy, shared machine. The results are written to
`bench/RESULTS.md` by `report.py`.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from bench import baseline, corpus, measure, peer

REPO = Path(__file__).resolve().parent.parent
SOURCE_DATE_EPOCH = "1700000000"  # fixed, so repeated builds give identical books

# The stages reported, in order; "pdf" and "full" are totals.
ROWS = ("convert", "assemble", "html", "layout", "write", "epub", "overlap", "other", "pdf", "full")


@dataclass(frozen=True)
class StageSample:
    seconds: float
    peak_rss_kib: int | None  # None when the stage is not separately measurable


@dataclass(frozen=True)
class BuildSample:
    """One build of one side: a sample per stage (a missing key: the side has no such stage)."""

    stages: dict[str, StageSample]
    cpu: float  # CPU seconds of the whole build, children included
    outputs: dict[str, Path]  # "pdf" / "epub" -> file
    unsplit: tuple[str, ...] = ()  # stage functions the worker could not find to time


@dataclass(frozen=True)
class SizeResult:
    """Every sample of both sides at one book size."""

    articles: int
    pipeline: tuple[BuildSample, ...]
    baseline: tuple[BuildSample, ...]
    pages: dict[str, int]  # side -> PDF pages (the last build; every build is identical)
    sizes: dict[str, dict[str, int]]  # side -> format -> bytes
    peer: tuple[BuildSample, ...] = ()  # pandoc -> Typst (`peer.py`); empty: not installed


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    env["SOURCE_DATE_EPOCH"] = SOURCE_DATE_EPOCH
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    return env


def build_pipeline(project: Path, out: Path, profile: Path | None = None) -> BuildSample:
    """Build `project` with `diaspora_book.build.build` in a fresh process."""
    cmd = [sys.executable, "-m", "bench.worker", "pipeline", str(project), str(out)]
    if profile:
        cmd += ["--profile", str(profile)]
    done = measure.run(cmd, child_env())
    detail = json.loads(done.stdout)
    s = detail["stages"]

    def seconds(*names: str) -> float:
        return sum(s[name]["seconds"] for name in names if name in s)

    def rss(name: str, key: str = "rss_self_kib") -> int | None:
        return s[name][key] if name in s else None

    stages = {
        "convert": StageSample(seconds("parse + convert", "write chapters"), rss("write chapters")),
        "assemble": StageSample(seconds("assemble"), None),  # runs twice, between others
        "html": StageSample(seconds("pandoc html"), rss("pandoc html", "rss_children_kib")),
        "layout": StageSample(seconds("layout"), rss("layout")),
        # writing the PDF includes the finishing pass (structure tree, XMP)
        "write": StageSample(seconds("write pdf", "pdf finish"), rss("write pdf")),
        "epub": StageSample(
            seconds("pandoc epub", "epub finish"), rss("pandoc epub", "rss_children_kib")
        ),
    }
    staged = sum(stage.seconds for stage in stages.values())
    # Stages that ran at the same time (the EPUB beside the PDF) count once in the wall time.
    stages["overlap"] = StageSample(staged - detail["busy"], None)
    stages["other"] = StageSample(done.seconds - detail["busy"], None)
    stages["pdf"] = (
        StageSample(seconds("pdf wall"), rss("pdf wall"))
        if "pdf wall" in s  # its parts ran at once: the wall time, not the sum of stages
        else _pdf_total(stages)
    )
    stages["full"] = StageSample(done.seconds, done.peak_rss_kib)
    outputs = {Path(p).suffix.lstrip("."): Path(p) for p in detail["outputs"]}
    return BuildSample(stages, done.cpu, outputs, tuple(detail["missing"]))


def build_baseline(inputs: dict[str, Path], out: Path) -> BuildSample:
    """Build the baseline: pandoc -> HTML, WeasyPrint -> PDF, pandoc -> EPUB; one process each."""
    import pypandoc

    pandoc = pypandoc.get_pandoc_path()
    out.mkdir(parents=True, exist_ok=True)
    html, pdf, epub = out / "book.html", out / "book.pdf", out / "book.epub"
    source = str(inputs["markdown"])
    env = child_env()
    to_html = measure.run(
        [
            pandoc,
            source,
            "-s",
            "--toc",
            "--section-divs",
            "--css",
            str(inputs["pdf_css"]),
            "-o",
            str(html),
        ],
        env,
    )
    to_pdf = measure.run(
        [sys.executable, "-m", "bench.worker", "weasyprint", str(html), str(pdf)], env
    )
    to_epub = measure.run(
        [pandoc, source, "--toc", "--css", str(inputs["epub_css"]), "-o", str(epub)], env
    )
    s = json.loads(to_pdf.stdout)["stages"]
    stages = {
        "html": StageSample(to_html.seconds, to_html.peak_rss_kib),
        "layout": StageSample(s["layout"]["seconds"], s["layout"]["rss_self_kib"]),
        "write": StageSample(s["write pdf"]["seconds"], s["write pdf"]["rss_self_kib"]),
        "epub": StageSample(to_epub.seconds, to_epub.peak_rss_kib),
    }
    full = to_html.seconds + to_pdf.seconds + to_epub.seconds
    stages["other"] = StageSample(full - sum(stage.seconds for stage in stages.values()), None)
    stages["pdf"] = _pdf_total(stages)
    stages["full"] = StageSample(
        full, max(to_html.peak_rss_kib, to_pdf.peak_rss_kib, to_epub.peak_rss_kib)
    )
    cpu = to_html.cpu + to_pdf.cpu + to_epub.cpu
    return BuildSample(stages, cpu, {"pdf": pdf, "epub": epub})


def _pdf_total(stages: dict[str, StageSample]) -> StageSample:
    parts = [stages[name] for name in ("html", "layout", "write")]
    peaks = [p.peak_rss_kib for p in parts if p.peak_rss_kib is not None]
    return StageSample(sum(p.seconds for p in parts), max(peaks) if peaks else None)


def prepare(work: Path, n: int, seed: int) -> tuple[Path, dict[str, Path]]:
    """Write the generated project and the baseline's inputs for `n` articles."""
    project = work / str(n) / "project"
    corpus.write_project(project, n, seed)
    inputs = baseline.write_inputs(project, work / str(n) / "baseline-input")
    return project, inputs


def measure_size(work: Path, n: int, repeats: int, seed: int, log=print) -> SizeResult:
    """Build `n` articles `repeats` times with each side, alternating which goes first.

    The peer (pandoc -> Typst) follows the two sides in every repeat.
    """
    project, inputs = prepare(work, n, seed)
    samples: dict[str, list[BuildSample]] = {"pipeline": [], "baseline": [], "peer": []}
    with_peer = peer.available()
    for r in range(repeats):
        order = ("baseline", "pipeline") if r % 2 == 0 else ("pipeline", "baseline")
        for side in (*order, "peer") if with_peer else order:
            out = work / str(n) / side
            if side == "pipeline":
                sample = build_pipeline(project, out)
            elif side == "baseline":
                sample = build_baseline(inputs, out)
            else:
                sample = peer.build_peer(inputs["markdown"], out, child_env())
            samples[side].append(sample)
            log(
                f"  {n} articles, run {r + 1}/{repeats}, {side}: "
                f"{sample.stages['full'].seconds:.1f} s"
            )
    last = {side: runs[-1].outputs for side, runs in samples.items() if runs}
    return SizeResult(
        articles=n,
        pipeline=tuple(samples["pipeline"]),
        baseline=tuple(samples["baseline"]),
        pages={side: measure.pdf_pages(outputs["pdf"]) for side, outputs in last.items()},
        sizes={
            side: {fmt: path.stat().st_size for fmt, path in outputs.items()}
            for side, outputs in last.items()
        },
        peer=tuple(samples["peer"]),
    )


def warm_up(work: Path, seed: int) -> None:
    """Build a two-article book both ways, untimed: fills the page and font caches."""
    project, inputs = prepare(work, 2, seed)
    build_pipeline(project, work / "2" / "pipeline")
    build_baseline(inputs, work / "2" / "baseline")
