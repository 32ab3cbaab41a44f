"""Dates of citation templates, written as each wiki writes them, -> ISO 8601.

A citation's `date=`/`erişimtarihi=`/`дата обращения=` is free text: `2004-03-05`,
`5 March 2004`, `12 Mart 2020`, `3 mars 2020`, `9 ноября 2025` (Russian genitive),
`۱۴ ژوئن ۲۰۲۰` (Persian digits), `1 de enero de 2020`, `2020年3月5日`. Month names
come from CLDR through Babel (wide and abbreviated, format and stand-alone forms)
for the book's language first, then for the other languages of the Wikipedias the
diaspora reads; a name two of those languages give different months is not used.
citeproc prints the ISO date in the book's language.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata

from babel import Locale, UnknownLocaleError

# The languages whose month names are known in any book (the wikis' languages).
WIKI_LANGUAGES = (
    "en de ru kk ky uz tg tt ba uk tr zh ja ko fa he ur ar ug fr es it pt pl nl az be"
).split()
# Words around a date that say nothing about it: "1 de enero de 2020", "2020 г.", "5-го".
_FILLER = frozenset(
    "de del d of the le la г г. года год гг yılı yil ci cü cı cu inci ıncı inchi".split()
)
_CJK = re.compile(r"^(\d{4})\s*[年년]\s*(?:(\d{1,2})\s*[月월]\s*(?:(\d{1,2})\s*[日일])?)?$")
_ARABIC_FOLD = str.maketrans({"ك": "ک", "ي": "ی", "ى": "ی"})


def _ascii_digits(text: str) -> str:
    return "".join(str(unicodedata.digit(c)) if c.isdigit() else c for c in text)


def _fold(word: str) -> str:
    return unicodedata.normalize("NFC", word).lower().translate(_ARABIC_FOLD).rstrip(".")


@functools.cache
def _months_of(language: str) -> dict[str, int]:
    try:
        locale = Locale.parse(language.replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        return {}
    found: dict[str, int] = {}
    for context in ("format", "stand-alone"):
        for width in ("wide", "abbreviated"):
            for number, name in locale.months[context][width].items():
                for word in (_fold(name), _fold(name).replace("\u200c", "")):
                    if not word.isdigit() and not any(c.isdigit() for c in word):
                        found.setdefault(word, number)
    return found


@functools.cache
def month_names(language: str) -> dict[str, int]:
    """Month name (lower case, no final dot) -> number, for a book in `language`."""
    names = dict(_months_of(language.split("-")[0]))
    clash: set[str] = set()
    others: dict[str, int] = {}
    for other in WIKI_LANGUAGES:
        for word, number in _months_of(other).items():
            if others.setdefault(word, number) != number:
                clash.add(word)
    for word, number in others.items():
        if word not in clash:
            names.setdefault(word, number)
    return names


def iso_date(text: str, language: str = "en") -> str:
    """Return `text` as an ISO 8601 date (YYYY, YYYY-MM or YYYY-MM-DD), or "" if unknown.

    Accepts the forms Wikipedia's citation templates accept in the wikis' languages:
    `2004-03-05`, `5 March 2004`, `March 5, 2004`, `March 2004`, `2004`, `5. März
    2004`, `05.03.2004`, `12 Mart 2020`, `9 ноября 2025 года`, `۱۴ ژوئن ۲۰۲۰`.
    """
    text = _ascii_digits(text).strip().rstrip(".")
    if re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", text):
        return text if _valid(text) else ""
    if re.fullmatch(r"\d{1,2}\.\d{1,2}\.\d{4}", text):  # 05.03.2004
        day, month, year = text.split(".")
        return _checked(int(year), int(month), int(day))
    if cjk := _CJK.match(text):
        y, m, d = (int(g) if g else 0 for g in cjk.groups())
        return _checked(y, m, d) if m else str(y)
    months = month_names(language)
    words = [
        w
        for w in re.findall(r"[^\W\d_][\w\u200c]*\.?|\d+", text)
        if _fold(w) not in _FILLER or _fold(w) in months
    ]
    numbers = [int(w) for w in words if w.isdigit()]
    found = [months[_fold(w)] for w in words if not w.isdigit() and _fold(w) in months]
    if len(found) != 1 or not numbers or len(words) != len(numbers) + 1:
        return ""
    return _from_parts([n for n in numbers if n > 31], found[0], [n for n in numbers if n <= 31])


def join_parts(year: str, month: str, day: str, language: str = "en") -> str:
    """A date given in parts (`année/mois/jour`, `год/месяц/число`, `yıl/ay/gün`)."""
    if not year.strip():
        return ""
    month_text = _ascii_digits(month).strip()
    if month_text.isdigit():
        return iso_date(
            f"{year}-{int(month_text):02d}" + (f"-{int(day):02d}" if _digits(day) else "")
        )
    return iso_date(" ".join(p for p in (day, month, year) if p.strip()), language)


def _digits(text: str) -> bool:
    return _ascii_digits(text).strip().isdigit()


def _from_parts(years: list[int], month: int, days: list[int]) -> str:
    if len(years) != 1 or len(days) > 1:
        return ""
    return _checked(years[0], month, days[0] if days else 0)


def _checked(year: int, month: int, day: int) -> str:
    try:
        dt.date(year, month, day or 1)
    except ValueError:
        return ""
    return f"{year:04d}-{month:02d}" + (f"-{day:02d}" if day else "")


def _valid(text: str) -> bool:
    parts = [int(p) for p in text.split("-")]
    return not (
        len(parts) > 1 and _checked(parts[0], parts[1], parts[2] if len(parts) > 2 else 0) == ""
    )
