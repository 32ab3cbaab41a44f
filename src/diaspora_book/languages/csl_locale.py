"""The References in the book's language: CSL locales for languages pandoc has none for.

pandoc's citeproc words the citations and the References ("and", "edited by", "n.d.",
"Accessed", month names) from the CSL locale of the book's `lang`. It ships locales for
Russian, German, Turkish, French, Chinese and some fifty more, but none for Kazakh,
Uyghur, Kyrgyz, Uzbek, Tajik, Tatar, Bashkir or Urdu: there it falls back to en-US, and
a Kazakh book would say "Accessed June 3".

This package ships the missing locales (`csl/locales-<lang>.xml`, complete: every term
and form of en-US, so nothing falls back; each says in its opening comment where its
words come from). citeproc reads no locale file, and pandoc's `--sandbox` lets it read
only the files named on the command line; but a CSL style may carry
`<locale xml:lang="kk">` overrides, which citeproc lays over its fallback locale.
So the style pandoc is given is the book's style with the locale added, written once
under the project's `.cache/` (its name carries a hash of what it holds) and named on
the command line like any style. A book whose language pandoc covers gets the style as
it is.
"""

from __future__ import annotations

import functools
import hashlib
import re
from importlib import resources
from pathlib import Path

from diaspora_book.plumbing.errors import BookError
from diaspora_book.plumbing.outputs import write_text

CSL_NS = "http://purl.org/net/xbiblio/csl"
GENERATED_DIR = Path(".cache") / "diaspora-book" / "csl"  # under the project's root

# The CSL locales built into pandoc's citeproc (pandoc 3.9), by language subtag. citeproc
# takes a bare language to its primary dialect (zh -> zh-CN, de -> de-DE) and ignores the
# script, so `zh-Hans` gets zh-CN; a language not here gets en-US.
PANDOC_LOCALES = frozenset(
    "af ar bal bg brh ca cs cy da de el en es et eu fa fi fr gl he hi hr hu id is it ja "
    "km ko la lij lt lv mn ms nb nl nn pa pl pt ro ru sk sl sr sv th tr uk vi zh".split()
)

_STYLE_START = re.compile(r"<style\b[^>]*>")
_FIRST_BODY = re.compile(r"<(?:macro|citation|bibliography)\b")
_AFFIX = re.compile(r'\b([a-z-]*delimiter|prefix|suffix|sort-separator)="([^"]*)"')


@functools.cache
def shipped_locales() -> dict[tuple[str, str], str]:
    """Return (language, script) -> the text of each locale shipped in `csl/`.

    The script is the one CLDR's likely subtags give the locale's language (Kazakh:
    Cyrillic, Uyghur: Arabic, Uzbek: Latin), so a book in `kk-Latn`, `ug-Cyrl` or
    `uz-Cyrl` is not given them.
    """
    folder = resources.files("diaspora_book") / "csl"
    locales = {}
    for entry in folder.iterdir():
        if entry.name.startswith("locales-") and entry.name.endswith(".xml"):
            tag = entry.name[len("locales-") : -len(".xml")]
            locales[language_and_script(tag)] = entry.read_text(encoding="utf-8")
    return locales


@functools.cache
def language_and_script(tag: str) -> tuple[str, str]:
    """Return the language and script of a BCP 47 tag, likely subtags added (ICU)."""
    import icu

    locale = icu.Locale(icu.Locale.forLanguageTag(tag).getName())
    locale.addLikelySubtags()
    return locale.getLanguage(), locale.getScript()


def locale_for(language: str) -> str | None:
    """Return the text of the shipped CSL locale for the book language, if there is one."""
    return shipped_locales().get(language_and_script(language))


def has_csl_locale(language: str) -> bool:
    """Tell whether citeproc words a book in `language` in that language (not en-US)."""
    primary = language_and_script(language)[0]
    return primary in PANDOC_LOCALES or locale_for(language) is not None


def with_locale(style: str, locale: str) -> str:
    """Return the CSL `style` with the `locale` element added among its own locales.

    It goes after the style's own `<locale>` elements: citeproc lets the first locale
    of a language win, so a project style that words a term its own way keeps it.
    """
    element = _locale_element(locale)
    body = _FIRST_BODY.search(style)
    start = _STYLE_START.search(style)
    if start is None or body is None or body.start() < start.end():
        raise ValueError("not a CSL style (no <style> with macros, a citation or a bibliography)")
    at = body.start()
    return f"{style[:at]}{element}\n  {style[at:]}"


def with_punctuation(style: str, locale: str) -> str:
    """Return `style` with its literal commas and semicolons in the locale's own.

    Styles write the punctuation between the parts of an entry as literal text
    (`delimiter=", "`), not with CSL's `comma` and `semicolon` terms; a language that
    writes them otherwise (Uyghur: "،" and "؛") gets them in every delimiter, prefix
    and suffix.
    """
    marks = {",": _term(locale, "comma") or ",", ";": _term(locale, "semicolon") or ";"}
    if marks == {",": ",", ";": ";"}:
        return style

    def localize(match: re.Match[str]) -> str:
        value = "".join(marks.get(c, c) for c in match.group(2))
        return f'{match.group(1)}="{value}"'

    # Names are joined with ", " where the style says nothing: say it on <style>.
    start = _STYLE_START.search(style)
    if start is not None:
        tag = start.group(0)
        for name in ("name-delimiter", "sort-separator"):
            if f"{name}=" not in tag:
                tag = tag[:-1] + f' {name}=", ">'
        style = style[: start.start()] + tag + style[start.end() :]
    return _AFFIX.sub(localize, style)


def _term(locale: str, name: str) -> str | None:
    match = re.search(rf'<term name="{name}">([^<]*)</term>', locale)
    return match.group(1) if match else None


def _locale_element(locale: str) -> str:
    """Return the `<locale>` element of a locale file, without its XML declaration."""
    start = locale.index("<locale")
    end = locale.rindex("</locale>") + len("</locale>")
    return locale[start:end]


def citeproc_style(style: Path, language: str, directory: Path) -> Path:
    """Return the style file citeproc should read for a book in `language`.

    That is `style` itself unless this package ships the language's locale; then it is
    a copy of `style` with the locale added, written to `directory` under a name that
    hashes both, so a changed style or locale gets a file of its own.
    """
    locale = locale_for(language)
    if locale is None:
        return style
    try:
        text = style.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise BookError(f"cannot read the citation style {style}: {exc}") from None
    try:
        combined = with_punctuation(with_locale(text, locale), locale)
    except ValueError as exc:
        raise BookError(f"{style.name}: {exc}", hint="give 'csl' a CSL 1.0 style") from None
    lang = language_and_script(language)[0]
    digest = hashlib.sha256(combined.encode("utf-8")).hexdigest()[:16]
    target = directory / f"{style.stem}.{lang}.{digest}.csl"
    if not _holds(target, combined):
        try:
            directory.mkdir(parents=True, exist_ok=True)
            for old in directory.glob(f"{style.stem}.{lang}.*.csl"):
                if old != target:  # an older style or locale's; never one a build may read now
                    old.unlink(missing_ok=True)
            write_text(target, combined, durable=False)  # `_holds` checks it
        except OSError as exc:
            raise BookError(
                f"cannot write the citation style for the book's language: {exc}",
                hint=f"make {directory} writable",
            ) from None
    return target


def _holds(path: Path, text: str) -> bool:
    try:
        return path.read_text(encoding="utf-8") == text
    except (OSError, UnicodeDecodeError):
        return False


def check_csl_locale(config, diagnostics) -> None:
    """Report, once, a book with a bibliography whose References citeproc words in English.

    `config` is the BookConfig; called only when the project has a bibliography.
    """
    if has_csl_locale(config.language):
        return
    diagnostics.warn(
        config.language_span,
        f"no CSL locale for language '{config.language}': the citations and References "
        "will use English terms ('and', 'edited by', 'n.d.', month names)",
        f'add a <locale xml:lang="{config.language}"> with its terms to a CSL style '
        "of your own and name it under 'csl:' in book.yml",
    )
