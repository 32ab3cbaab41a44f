"""One measured build, run by the runner in a fresh process; prints its stage times as JSON.

`pipeline PROJECT OUT` builds with the library API (`diaspora_book.build.build`), the
same call the CLI makes. To split the time by stage without changing the pipeline,
the worker wraps the functions `build()` calls (and its layout session's render and
write, around WeasyPrint's) with stopwatches; a function that another branch has renamed is simply
not split out: its time shows up as "other" and the results name it.

The print edition may be laid out in parts by forked processes (`render.pdf.parts.conduct`),
or whole by the press (`render.pdf.press`) and written in two halves by it and a
fork of it (`render.pdf.halves`), and the EPUB drafted in another (`render.epub.beside`).
They inherit the stopwatches; each writes what it timed to a file when its part is
done, and the parent adds those in. Wall-clock readings are comparable across
processes (`perf_counter` is the system's monotonic clock), so stages that ran at
the same time are counted once in the wall time (the report's overlap row).

`weasyprint HTML OUT` is the baseline's PDF step: WeasyPrint's own API on pandoc's
HTML, timed the same way (layout, then writing the PDF).

`typst SOURCE OUT` is the peer's PDF step: the `typst` package (Typst's own compiler,
as Python bindings) on the `.typ` file pandoc wrote from the same Markdown.

`--profile FILE` (pipeline only) runs the build under cProfile and dumps the stats.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import resource
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

STARTED = time.perf_counter()


class Stopwatch:
    """Wall seconds and memory high-water marks per stage."""

    def __init__(self) -> None:
        self.stages: dict[str, dict[str, float]] = {}
        self.intervals: list[tuple[float, float]] = []  # (start, end) of every timed call
        self.lock = threading.Lock()  # build() may run a stage in a background thread
        self.missing: list[str] = []  # functions not found (renamed?): their time is "other"

    def busy(self) -> float:
        """Return the seconds during which at least one stage was running."""
        total, reach = 0.0, float("-inf")
        for start, end in sorted(self.intervals):
            if end > reach:
                total += end - max(start, reach)
                reach = end
        return total

    def wrap(self, owner: object, name: str, stage) -> None:
        """Replace `owner.name` with a timed version; `stage` names it (or maps args to one)."""
        original = getattr(owner, name, None)
        if original is None:
            self.missing.append(f"{getattr(owner, '__name__', owner)}.{name}")
            return

        @functools.wraps(original)
        def timed(*args, **kwargs):
            label = stage(*args, **kwargs) if callable(stage) else stage
            wall = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                end = time.perf_counter()
                with self.lock:
                    self.intervals.append((wall, end))
                    entry = self.stages.setdefault(label, {"seconds": 0.0, "calls": 0})
                    entry["seconds"] += end - wall
                    entry["calls"] += 1
                    # High-water marks at the end of the stage: this process, its largest child.
                    entry["rss_self_kib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
                    entry["rss_children_kib"] = resource.getrusage(
                        resource.RUSAGE_CHILDREN
                    ).ru_maxrss

        setattr(owner, name, timed)

    def wrap_child(self, owner: object, name: str, records: Path) -> None:
        """Make the process-entry function `owner.name` report its stages into `records`."""
        original = getattr(owner, name, None)
        if original is None:
            self.missing.append(f"{getattr(owner, '__name__', owner)}.{name}")
            return

        @functools.wraps(original)
        def in_child(*args, **kwargs):
            self.stages, self.intervals = {}, []  # only what this process times
            try:
                return original(*args, **kwargs)
            finally:
                data = {"stages": self.stages, "intervals": self.intervals}
                (records / f"{os.getpid()}.json").write_text(json.dumps(data))

        setattr(owner, name, in_child)

    def add_children(self, records: Path) -> None:
        """Add in the stages the child processes timed."""
        for path in sorted(records.glob("*.json")):
            data = json.loads(path.read_text())
            self.intervals += [tuple(interval) for interval in data["intervals"]]
            for label, child in data["stages"].items():
                entry = self.stages.setdefault(label, {"seconds": 0.0, "calls": 0})
                entry["seconds"] += child["seconds"]
                entry["calls"] += child["calls"]
                for key in ("rss_self_kib", "rss_children_kib"):
                    entry[key] = max(entry.get(key, 0), child[key])


def _pandoc_stage(markdown, to, *args, **kwargs) -> str:
    return "pandoc epub" if to.startswith("epub") else "pandoc html"


def instrument_pipeline(watch: Stopwatch, records: Path) -> None:
    """Wrap the stages `build()` runs, where they are looked up at call time.

    WeasyPrint's layout and writing are timed where the pipeline calls them (its
    layout `Session`), not inside WeasyPrint: importing WeasyPrint here would take
    from the build what it does as a command, importing it in the press
    (`render.pdf.press`) while it converts.
    """
    import diaspora_book.build as build_module
    import diaspora_book.render.epub.beside as beside_module
    import diaspora_book.render.epub.write as epub_module
    import diaspora_book.render.html as pandoc_module
    import diaspora_book.render.pdf.halves as halves_module
    import diaspora_book.render.pdf.parts.conduct as parallel_module
    import diaspora_book.render.pdf.write as pdf_module
    from diaspora_book.render.pdf.layout import Session

    watch.wrap(build_module, "convert_articles", "parse + convert")
    watch.wrap(build_module, "write_chapters", "write chapters")
    watch.wrap(build_module, "assemble", "assemble")
    watch.wrap(pandoc_module, "convert", _pandoc_stage)
    watch.wrap(Session, "render", "layout")
    watch.wrap(Session, "write", "write pdf")
    watch.wrap(epub_module, "finish_text", "epub finish")
    watch.wrap(epub_module, "finish_pages", "epub finish")
    watch.wrap(pdf_module, "finish_pdf", "pdf finish")
    # Around the stages above, for the PDF's wall time when its parts run at once.
    watch.wrap(build_module, "write_pdf", "pdf wall")
    watch.wrap(parallel_module, "splice", "pdf finish")  # joining the parts' PDFs
    watch.wrap_child(parallel_module, "serve", records)  # a layout worker's main
    watch.wrap_child(beside_module, "_draft_and_complete", records)
    watch.wrap_child(halves_module, "_second_half", records)
    watch.wrap(halves_module, "splice", "pdf finish")  # joining a book's two halves


def run_pipeline(project_dir: Path, out_dir: Path, profile: Path | None) -> dict:
    watch = Stopwatch()
    records = Path(tempfile.mkdtemp(prefix="bench-children-"))
    # As the command does (`diaspora_book.__main__`): the press forked before the
    # package is imported, its main timed like the other processes'.
    import diaspora_book.render.pdf.press as press_module

    serve = press_module._serve

    def timed_serve(*args):  # forked before the layout is imported: it is timed in there
        import diaspora_book.render.pdf.halves as halves_module
        from diaspora_book.render.pdf.layout import Session

        watch.wrap(Session, "render", "layout")
        watch.wrap(Session, "write", "write pdf")
        watch.wrap_child(halves_module, "_second_half", records)  # a book written in halves
        watch.wrap(halves_module, "splice", "pdf finish")
        return serve(*args)

    press_module._serve = timed_serve
    watch.wrap_child(press_module, "_serve", records)
    press_module.press_ahead(["build"])
    instrument_pipeline(watch, records)
    from diaspora_book.build import BuildRequest, build
    from diaspora_book.project.config import load_project

    ready = time.perf_counter()
    if profile:
        import cProfile

        profiler = cProfile.Profile()
        report = profiler.runcall(build, load_project(project_dir), BuildRequest(out_dir=out_dir))
        profiler.dump_stats(profile)
    else:
        report = build(load_project(project_dir), BuildRequest(out_dir=out_dir))
    done = time.perf_counter()
    watch.add_children(records)
    shutil.rmtree(records)
    return {
        "stages": watch.stages,
        "busy": watch.busy(),
        "missing": watch.missing,
        "startup": ready - STARTED,
        "build": done - ready,
        "outputs": [str(p) for p in report.outputs],
    }


def run_weasyprint(html: Path, target: Path) -> dict:
    watch = Stopwatch()
    import weasyprint
    import weasyprint.document

    watch.wrap(weasyprint.HTML, "render", "layout")
    watch.wrap(weasyprint.document.Document, "write_pdf", "write pdf")
    ready = time.perf_counter()
    weasyprint.HTML(filename=str(html)).write_pdf(str(target))
    done = time.perf_counter()
    return {
        "stages": watch.stages,
        "busy": watch.busy(),
        "startup": ready - STARTED,
        "build": done - ready,
    }


def run_typst(source: Path, target: Path) -> dict:
    import typst

    ready = time.perf_counter()
    typst.compile(str(source), output=str(target))
    done = time.perf_counter()
    return {"startup": ready - STARTED, "build": done - ready}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.worker")
    commands = parser.add_subparsers(dest="command", required=True)
    pipeline = commands.add_parser("pipeline")
    pipeline.add_argument("project", type=Path)
    pipeline.add_argument("out", type=Path)
    pipeline.add_argument("--profile", type=Path)
    baseline = commands.add_parser("weasyprint")
    baseline.add_argument("html", type=Path)
    baseline.add_argument("out", type=Path)
    peer = commands.add_parser("typst")
    peer.add_argument("source", type=Path)
    peer.add_argument("out", type=Path)
    args = parser.parse_args(argv)
    if args.command == "pipeline":
        result = run_pipeline(args.project, args.out, args.profile)
    elif args.command == "typst":
        result = run_typst(args.source, args.out)
    else:
        result = run_weasyprint(args.html, args.out)
    json.dump(result, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
