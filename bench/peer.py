"""The peer: pandoc -> Typst on the baseline's same Markdown, the tool a user would pick for speed.

`pandoc -s --toc -t typst` writes a `.typ` file, and Typst's own compiler (the PyPI
`typst` package, Python bindings to it, in a fresh process) makes the PDF. It makes
no EPUB, uses Typst's default page design (not the book's stylesheets) and typesets
with its own engine, so its pages differ from both other sides; it is reported
beside them, not in the ratios, to say where the project stands against the fast
alternative. Where `typst` is not installed the row is left out and the results
say so.
"""

from __future__ import annotations

import importlib.util
import statistics
import sys
from pathlib import Path

from bench import measure

PEER = "pandoc → Typst"


def available() -> bool:
    return importlib.util.find_spec("typst") is not None


def build_peer(markdown: Path, out: Path, env: dict[str, str]):
    """Build the peer's PDF from `markdown` into `out`; return its BuildSample."""
    import pypandoc

    from bench.run import BuildSample, StageSample

    out.mkdir(parents=True, exist_ok=True)
    source, pdf = out / "book.typ", out / "book.pdf"
    pandoc = pypandoc.get_pandoc_path()
    to_typst = measure.run(
        [pandoc, str(markdown), "-s", "--toc", "-t", "typst", "-o", str(source)], env
    )
    compiled = measure.run(
        [sys.executable, "-m", "bench.worker", "typst", str(source), str(pdf)], env
    )
    full = to_typst.seconds + compiled.seconds
    stages = {
        "html": StageSample(to_typst.seconds, to_typst.peak_rss_kib),
        "layout": StageSample(compiled.seconds, compiled.peak_rss_kib),
        "full": StageSample(full, max(to_typst.peak_rss_kib, compiled.peak_rss_kib)),
    }
    return BuildSample(stages, to_typst.cpu + compiled.cpu, {"pdf": pdf})


def section(results) -> list[str]:
    """The peer's table: its seconds, pages and memory beside the pipeline's PDF and full build."""
    rows = []
    for r in results:
        if not r.peer:
            continue

        def median(samples, row, rss=False):
            values = [s.stages[row].peak_rss_kib if rss else s.stages[row].seconds for s in samples]
            return statistics.median(values)

        typst_s = median(r.peer, "full")
        pdf_s, full_s = median(r.pipeline, "pdf"), median(r.pipeline, "full")
        rows.append(
            [
                str(r.articles),
                str(r.pages["peer"]),
                f"{median(r.peer, 'html'):.2f} + {median(r.peer, 'layout'):.2f} = {typst_s:.2f}",
                f"{r.pages['peer'] / typst_s:.1f}",
                f"{median(r.peer, 'full', rss=True) / 1024:.0f}",
                f"{pdf_s:.2f} / {full_s:.2f}",
                f"{full_s / typst_s:.1f} ×",
            ]
        )
    if not rows:
        return ["Not measured: the `typst` package is not installed (`pip install typst`)."]
    header = [
        "articles",
        "Typst PDF pages",
        "pandoc → .typ + typst compile = s",
        "pages/s",
        "peak RSS MiB",
        "pipeline: PDF rendering / full build s",
        "pipeline full build / Typst",
    ]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return [
        f"{PEER} (PyPI `typst`, in a fresh process) on the baseline's Markdown, built in the "
        "same run, after the other two sides of each repeat; medians. PDF only: Typst makes "
        "no EPUB, and lays the pages out with its own design and engine, so its page count "
        "differs.",
        "",
        *lines,
    ]
