"""Draw the benchmark's scaling as an SVG: seconds and pages per second against book size.

Two panels side by side, the pipeline and the baseline in each, one point per book
size, on a log scale of articles (the sizes grow by factors). Written directly as
SVG text (no plotting library): a reader of `bench/RESULTS.md` sees at a glance how
the build time grows with the book and whether pages per second hold up.
"""

from __future__ import annotations

import math
from html import escape

WIDTH, HEIGHT = 820, 330
PANEL = 340  # width of each panel's plot area
TOP, BOTTOM, LEFT = 40, 260, 60
COLOURS = {"pipeline": "#1f5fa8", "baseline": "#c2561a"}


def chart(points: dict[str, list[tuple[int, float, float]]]) -> str:
    """Return the SVG; `points` maps a side to (articles, seconds, pages/s) per size."""
    sizes = sorted({n for series in points.values() for n, _, _ in series})
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" font-family="sans-serif" font-size="11">',
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="white"/>',
    ]
    for panel, (title, column) in enumerate(
        (("full build, seconds", 1), ("full build, pages per second", 2))
    ):
        x0 = LEFT + panel * (PANEL + 50)
        values = [point[column] for series in points.values() for point in series]
        top = _nice(max(values) if values else 1.0)
        parts += _axes(x0, title, sizes, top)
        for side, series in points.items():
            coords = [
                (_x(x0, sizes, n), _y(point[column], top))
                for point in sorted(series)
                for n in [point[0]]
            ]
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
            colour = COLOURS.get(side, "black")
            parts.append(
                f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>'
            )
            parts += [
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}"/>' for x, y in coords
            ]
    for i, side in enumerate(points):
        x = LEFT + i * 120
        colour = COLOURS.get(side, "black")
        parts.append(f'<rect x="{x}" y="{HEIGHT - 14}" width="14" height="4" fill="{colour}"/>')
        parts.append(f'<text x="{x + 20}" y="{HEIGHT - 8}">{escape(side)}</text>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def _x(x0: float, sizes: list[int], n: int) -> float:
    if len(sizes) < 2:
        return x0 + PANEL / 2
    low, high = math.log(sizes[0]), math.log(sizes[-1])
    return x0 + 10 + (PANEL - 20) * (math.log(n) - low) / (high - low)


def _y(value: float, top: float) -> float:
    return BOTTOM - (BOTTOM - TOP) * value / top


def _nice(value: float) -> float:
    """Round `value` up to 1, 2 or 5 times a power of ten."""
    power = 10 ** math.floor(math.log10(value)) if value > 0 else 1
    return next(m * power for m in (1, 2, 5, 10) if m * power >= value)


def _axes(x0: float, title: str, sizes: list[int], top: float) -> list[str]:
    lines = [
        f'<text x="{x0}" y="{TOP - 16}" font-size="13" font-weight="bold">{escape(title)}</text>',
        f'<line x1="{x0}" y1="{BOTTOM}" x2="{x0 + PANEL}" y2="{BOTTOM}" stroke="#444"/>',
        f'<line x1="{x0}" y1="{TOP}" x2="{x0}" y2="{BOTTOM}" stroke="#444"/>',
    ]
    for tick in range(5):
        value = top * tick / 4
        y = _y(value, top)
        lines.append(f'<line x1="{x0}" y1="{y:.1f}" x2="{x0 + PANEL}" y2="{y:.1f}" stroke="#ddd"/>')
        lines.append(f'<text x="{x0 - 6}" y="{y + 4:.1f}" text-anchor="end">{value:g}</text>')
    for n in sizes:
        x = _x(x0, sizes, n)
        lines.append(f'<text x="{x:.1f}" y="{BOTTOM + 16}" text-anchor="middle">{n}</text>')
    middle = x0 + PANEL / 2
    label = "articles (log scale)"
    lines.append(f'<text x="{middle}" y="{BOTTOM + 32}" text-anchor="middle">{label}</text>')
    return lines
