"""Every colour of a PDF in CMYK (or grayscale), for a PDF/X-1a print shop.

WeasyPrint writes the colours of the stylesheets, the cover and the SVG drawings as
they are given, in RGB (`r g b rg`); PDF/X-1a allows only CMYK and gray. So the
content streams are rewritten operator by operator (pikepdf parses and writes
them; nothing is redrawn): a grey becomes black ink alone (K), the way a
black-and-white book is printed; a colour becomes CMYK with its grey component in
black ink (full grey component replacement, so no colour takes more than 200 %
ink, under IngramSpark's 240 % limit); text that is nearly black becomes 100 % K
("black fonts printed too light ... due to RGB or CMYK 'black' text",
IngramSpark). Transparency groups, images (flattened onto white when they have an
alpha channel) and colour-space resources follow.
"""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pikepdf
from pikepdf import Array, Dictionary, Name, Operator

from diaspora_book.plumbing.errors import ToolError

TEXT_SHOWING = {"Tj", "TJ", "'", '"'}
RGB_SPACES = {Name.DeviceRGB, Name.CalRGB}
NEAR_BLACK = 0.3  # text at most this light (0 black, 1 white) is printed in black ink alone
KEPT_SPACES = {Name.DeviceCMYK, Name.DeviceGray, Name.Pattern}


def cmyk(red: float, green: float, blue: float) -> tuple[float, float, float, float]:
    """Return the CMYK of an RGB colour, its grey component in black ink."""
    c, m, y = 1 - red, 1 - green, 1 - blue
    k = min(c, m, y)
    return c - k, m - k, y - k, k


def to_cmyk(pdf: pikepdf.Pdf, black_text: bool = True) -> None:
    """Rewrite every colour in `pdf` as CMYK: content streams, forms, groups and images."""
    done: set[tuple[int, int]] = set()
    for page in pdf.pages:
        _group(page.obj)
        _stream(pdf, page.obj, page.obj.get("/Resources"), done, black_text)
        page.obj.Contents = pdf.make_stream(_rewritten(page.obj, black_text))


def _stream(pdf, owner, resources, done: set, black_text: bool) -> None:
    """Rewrite the forms and images that `resources` name, and their colour spaces."""
    if not isinstance(resources, Dictionary):
        return
    _colour_spaces(resources)
    for xobject in resources.get("/XObject", Dictionary()).values():
        key = xobject.objgen
        if key in done:
            continue
        done.add(key)
        if xobject.get("/Subtype") == Name.Form:
            _group(xobject)
            _stream(pdf, xobject, xobject.get("/Resources"), done, black_text)
            xobject.write(_rewritten(xobject, black_text))
        elif xobject.get("/Subtype") == Name.Image:
            _image(xobject)
    for pattern in resources.get("/Pattern", Dictionary()).values():
        if pattern.get("/PatternType") == 1 and pattern.objgen not in done:
            done.add(pattern.objgen)
            _stream(pdf, pattern, pattern.get("/Resources"), done, black_text)
            pattern.write(_rewritten(pattern, black_text))
        elif pattern.get("/PatternType") == 2:
            raise ToolError("a gradient cannot be printed in CMYK yet; remove it from the styles")


def _colour_spaces(resources: Dictionary) -> None:
    """Drop named colour spaces other than CMYK and gray (WeasyPrint names Lab ones unused)."""
    spaces = resources.get("/ColorSpace")
    if not isinstance(spaces, Dictionary):
        return
    for name in list(spaces.keys()):
        space = spaces[name]
        family = space[0] if isinstance(space, Array) else space
        if family not in KEPT_SPACES:
            del spaces[name]


def _group(obj: Any) -> None:
    group = obj.get("/Group")
    if isinstance(group, Dictionary) and "/CS" in group:
        group.CS = Name.DeviceCMYK


def _rewritten(obj, black_text: bool) -> bytes:
    """Return the content stream of `obj` with every colour operator in CMYK."""
    operations: list[Any] = list(pikepdf.parse_content_stream(obj))
    text_colours = _text_colours(operations) if black_text else set()
    # Whether the fill and the stroke colour space (as written) is RGB or gray, per q level.
    fill_rgb, stroke_rgb = [True], [True]
    out: list[Any] = []
    for index, (operands, operator) in enumerate(operations):
        op = str(operator)
        values = [float(v) for v in operands] if op in ("rg", "RG", "g", "G") else []
        if op in ("rg", "RG"):
            ink = _ink(values, index in text_colours)
            (fill_rgb if op == "rg" else stroke_rgb)[-1] = True  # as written: DeviceRGB
            out.append((ink, Operator("k" if op == "rg" else "K")))
        elif op in ("k", "K"):  # CMYK already: fill and stroke are now in DeviceCMYK
            (fill_rgb if op == "k" else stroke_rgb)[-1] = False
            out.append((operands, operator))
        elif op in ("g", "G"):
            ink = _ink([values[0]] * 3, index in text_colours)
            (fill_rgb if op == "g" else stroke_rgb)[-1] = True
            out.append((ink, Operator("k" if op == "g" else "K")))
        elif op in ("cs", "CS"):
            space = operands[0]
            converted = space in RGB_SPACES or space == Name.DeviceGray
            if converted:
                operands = [Name.DeviceCMYK]
            elif space not in KEPT_SPACES:
                raise ToolError(f"the colour space {space} cannot be printed in CMYK")
            (fill_rgb if op == "cs" else stroke_rgb)[-1] = converted
            out.append((operands, operator))
        elif (
            op in ("sc", "scn", "SC", "SCN")
            and (fill_rgb if op.islower() else stroke_rgb)[-1]
            and all(isinstance(v, (int, Decimal)) for v in operands)
        ):
            values = [float(v) for v in operands]
            rgb = values * 3 if len(values) == 1 else values
            out.append((_ink(rgb, index in text_colours), operator))
        elif op == "q":
            fill_rgb.append(fill_rgb[-1])
            stroke_rgb.append(stroke_rgb[-1])
            out.append((operands, operator))
        elif op == "Q":
            if len(fill_rgb) > 1:
                fill_rgb.pop()
                stroke_rgb.pop()
            out.append((operands, operator))
        elif op == "BI":
            raise ToolError("an inline image cannot be printed in CMYK yet")
        else:
            out.append((operands, operator))
    return pikepdf.unparse_content_stream(out)


def _ink(rgb: list[float], text: bool) -> list[Decimal]:
    red, green, blue = rgb
    if text and 0.299 * red + 0.587 * green + 0.114 * blue <= NEAR_BLACK:
        values: tuple[float, ...] = (0, 0, 0, 1)
    elif red == green == blue:
        values = (0, 0, 0, 1 - red)
    else:
        values = cmyk(red, green, blue)
    return [Decimal(f"{v:.4f}").normalize() for v in values]


def _text_colours(operations) -> set[int]:
    """Return the indexes of the fill-colour operators in effect when text is shown."""
    current: list[int | None] = [None]
    found: set[int] = set()
    for index, (_, operator) in enumerate(operations):
        op = str(operator)
        if op in ("rg", "g", "sc", "scn", "k"):
            current[-1] = index
        elif op == "q":
            current.append(current[-1])
        elif op == "Q" and len(current) > 1:
            current.pop()
        elif op in TEXT_SHOWING and current[-1] is not None:
            found.add(current[-1])
    return found


def _image(image: Any) -> None:
    """Turn an RGB (or ICC-based RGB) image into CMYK, its grey in black ink."""
    space = image.get("/ColorSpace")
    family = space[0] if isinstance(space, Array) else space
    if family in (Name.DeviceCMYK, Name.DeviceGray) or image.get("/ImageMask", False):
        return
    from PIL import Image, ImageChops

    picture = pikepdf.PdfImage(image).as_pil_image().convert("RGB")
    mask = image.get("/SMask")
    if mask is not None:  # PDF/X-1a has no transparency: flatten the image onto white paper
        alpha = pikepdf.PdfImage(mask).as_pil_image().convert("L").resize(picture.size)
        picture = Image.composite(picture, Image.new("RGB", picture.size, "white"), alpha)
        del image.SMask
    # `cmyk()` for every pixel, with Pillow's channel operations.
    cyan, magenta, yellow = (ImageChops.invert(band) for band in picture.split())
    black = ImageChops.darker(cyan, ImageChops.darker(magenta, yellow))
    inks = [ImageChops.subtract(band, black) for band in (cyan, magenta, yellow)]
    converted = Image.merge("CMYK", (*inks, black))
    buffer = io.BytesIO()
    converted.save(buffer, "JPEG", quality=95)
    image.write(buffer.getvalue(), filter=Name.DCTDecode)
    image.ColorSpace = Name.DeviceCMYK
    image.BitsPerComponent = 8
    for key in ("/DecodeParms", "/Decode"):
        if key in image:
            del image[key]
