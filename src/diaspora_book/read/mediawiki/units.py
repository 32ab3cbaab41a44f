"""`{{convert}}`: a value in its unit and, in parentheses, in the other system.

`{{convert|16|m|ft}}` -> "16 m (52 ft)"; without a target unit the usual one
(metres -> feet, km -> miles, ...). The result keeps as many decimals as the value
was given with. An unknown unit prints the value and unit as written.
"""

from __future__ import annotations

import re

from babel import Locale, UnknownLocaleError
from babel.numbers import format_decimal

# unit -> (symbol, factor to the base unit, base kind, default target)
_UNITS: dict[str, tuple[str, float, str, str]] = {
    "m": ("m", 1.0, "length", "ft"),
    "km": ("km", 1000.0, "length", "mi"),
    "cm": ("cm", 0.01, "length", "in"),
    "mm": ("mm", 0.001, "length", "in"),
    "ft": ("ft", 0.3048, "length", "m"),
    "mi": ("mi", 1609.344, "length", "km"),
    "in": ("in", 0.0254, "length", "cm"),
    "yd": ("yd", 0.9144, "length", "m"),
    "km2": ("km²", 1e6, "area", "sqmi"),
    "sqmi": ("sq mi", 2_589_988.11, "area", "km2"),
    "ha": ("ha", 1e4, "area", "acre"),
    "acre": ("acres", 4046.856, "area", "ha"),
    "kg": ("kg", 1.0, "mass", "lb"),
    "lb": ("lb", 0.45359237, "mass", "kg"),
    "t": ("t", 1000.0, "mass", "LT"),
    "l": ("L", 1.0, "volume", "USgal"),
    "usgal": ("US gal", 3.785411784, "volume", "l"),
    "km/h": ("km/h", 1 / 3.6, "speed", "mph"),
    "mph": ("mph", 0.44704, "speed", "km/h"),
}
_RANGE = {"-": "–", "–": "–", "to": " to ", "and": " and ", "or": " or "}


def convert_text(params: list[str], language: str = "en") -> str:
    """Return what `{{convert|...}}` prints for its positional parameters.

    The converted value is written as the book's language writes numbers ("11,483"
    in English, "11.483" in German).
    """
    if not params:
        return ""
    values = [params[0]]
    rest = params[1:]
    while len(rest) >= 2 and rest[0] in _RANGE:
        values += [rest[0], rest[1]]
        rest = rest[2:]
    unit = rest[0] if rest else ""
    target = rest[1] if len(rest) > 1 else ""
    written = _join(values)
    known = _UNITS.get(unit.lower()) or _UNITS.get(unit)
    if known is None:
        return f"{written} {unit}".strip()
    symbol, factor, kind, default = known
    other = _UNITS.get((target or default).lower())
    numbers = [_number(v) for v in values[::2]]
    if other is None or other[2] != kind or any(n is None for n in numbers):
        return f"{written} {symbol}"
    converted = []
    for value, number in zip(values[::2], numbers, strict=True):
        assert number is not None
        decimals = len(value.split(".", 1)[1]) if "." in value else 0
        result = number * factor / other[1]
        converted.append(_number_text(result, decimals, language))
    shown = [converted[i // 2] if i % 2 == 0 else values[i] for i in range(len(values))]
    return f"{written} {symbol} ({_join(shown)} {other[0]})"


def _number_text(value: float, decimals: int, language: str) -> str:
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    try:
        locale = Locale.parse(language, sep="-")
    except (ValueError, UnknownLocaleError):
        locale = Locale("en")
    return format_decimal(round(value, decimals), format=pattern, locale=locale)


def _join(values: list[str]) -> str:
    return "".join(v if i % 2 == 0 else _RANGE[v] for i, v in enumerate(values))


def _number(text: str) -> float | None:
    cleaned = text.replace(",", "")
    return float(cleaned) if re.fullmatch(r"-?\d+(\.\d+)?", cleaned) else None
