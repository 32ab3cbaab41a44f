"""Formulas for the print edition: pandoc's MathML -> SVG images drawn by ziamath.

WeasyPrint cannot lay out MathML, so the print HTML's `<math>` elements are replaced
by SVG pictures of the formula (ziamath: pure Python, its own STIX Two Math font),
set on the text's baseline, with the TeX as their alternative text. The EPUB keeps
the MathML, which reading systems render. A formula ziamath cannot draw stays as
MathML (its text shows) and is reported.
"""

from __future__ import annotations

import base64
import html
import re

from lxml import etree

_MATH = re.compile(r"<math\b.*?</math>", re.DOTALL)
_TEX = re.compile(r'<annotation encoding="application/x-tex">(.*?)</annotation>', re.DOTALL)
_VIEWBOX = re.compile(r'viewBox="([-\d.]+) ([-\d.]+) ([-\d.]+) ([-\d.]+)"')
_SIZE_PX = 14.5  # about the body text's size, so a formula matches the words around it


def formulas_as_svg(page: str, failed: list[str] | None = None) -> str:
    """Return `page` with each `<math>` element replaced by an SVG image of it."""
    if "<math" not in page:
        return page
    return _MATH.sub(lambda match: _image(match.group(0), failed), page)


def _image(mathml: str, failed: list[str] | None) -> str:
    import ziamath

    found = _TEX.search(mathml)
    tex = html.unescape(found.group(1)).strip() if found else ""
    display = 'display="block"' in mathml
    try:
        svg = ziamath.Latex(tex, size=_SIZE_PX).svg() if tex else _from_mathml(mathml)
    except Exception:  # noqa: BLE001 - ziamath raises many kinds on TeX it does not know
        try:
            svg = _from_mathml(mathml)
        except Exception:  # noqa: BLE001
            if failed is not None:
                failed.append(tex or mathml)
            return mathml
    box = _VIEWBOX.search(svg)
    descent = float(box.group(4)) + float(box.group(2)) if box else 0.0
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    classes = "math display" if display else "math"
    alt = html.escape(tex or "formula", quote=True)
    style = f"vertical-align: {-descent:.2f}px"
    source = f"data:image/svg+xml;base64,{data}"
    image = f'<img class="{classes}" src="{source}" alt="{alt}" style="{style}"/>'
    return f'<span class="math-block">{image}</span>' if display else image


def _from_mathml(mathml: str) -> str:
    import ziamath

    root = etree.fromstring(mathml.encode("utf-8"))
    for annotation in root.iter("{*}annotation"):
        annotation.getparent().remove(annotation)
    return ziamath.Math(etree.tostring(root, encoding="unicode"), size=_SIZE_PX).svg()
