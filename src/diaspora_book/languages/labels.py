"""Everything the book itself says, in the book's language: the message catalogues.

The articles bring their own words; the book adds its own around them: "Contents",
"Used on pages", "see", the copyright page, the EPUB's navigation and accessibility
summary, the handouts' "page 3 of 5". Those come from one catalogue per language,
shipped in `catalogues/<tag>.yml`: message name -> an ICU MessageFormat pattern, so
a translation can say `{count, plural, one {...} few {...} other {...}}` with CLDR's
plural rules for its language. Dates, language names and lists come from CLDR
through Babel, not from the catalogues.

The book's `language` picks the catalogue whose language and script match (CLDR's
likely subtags: `zh` and `zh-CN` are `zh-Hans`, `kk` is Kazakh in Cyrillic); a
language without one falls back to English, which `check` reports. `book.yml`
`labels:` overrides any message.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources

from diaspora_book.languages.book_language import direction_of
from diaspora_book.plumbing.yamlfile import compose, plain

FALLBACK = "en"
_SENTINEL = re.compile("\ue000(\\d+)\ue001")


@functools.cache
def catalogue(tag: str) -> dict[str, str]:
    """Return the shipped catalogue `tag` (a file name without `.yml`).

    The shipped catalogues are this package's own files, each a flat mapping of
    strings: libyaml reads one as strings only (its BaseLoader, no `yes` read as
    true) in a tenth of the time the line-keeping reader of project files takes,
    and a build reads all 21 to know every wiki's "See also". `strict_catalogue`
    reads one as project files are read; a test holds the two to the same values.
    """
    import yaml

    loader = getattr(yaml, "CBaseLoader", yaml.BaseLoader)
    values = yaml.load(_catalogue_text(tag), Loader=loader) or {}  # noqa: S506 - strings only
    return {str(k): str(v) for k, v in values.items()}


def strict_catalogue(tag: str) -> dict[str, str]:
    """Return the shipped catalogue `tag` as the project's YAML reader reads it
    (duplicate keys, tags and non-text keys refused, at their line)."""
    node = compose(_catalogue_text(tag), f"catalogues/{tag}.yml")
    values = plain(node) if node is not None else {}
    return {str(k): str(v) for k, v in values.items()}


def _catalogue_text(tag: str) -> str:
    return (resources.files("diaspora_book") / "catalogues" / f"{tag}.yml").read_text("utf-8")


@functools.cache
def shipped() -> tuple[str, ...]:
    """Return the tags of the shipped catalogues, e.g. ("de", "en", ..., "zh-Hans")."""
    folder = resources.files("diaspora_book") / "catalogues"
    return tuple(sorted(p.name[:-4] for p in folder.iterdir() if p.name.endswith(".yml")))


MESSAGE_NAMES = frozenset(catalogue(FALLBACK))


def catalogue_for(tag: str) -> str | None:
    """Return the shipped catalogue for the language `tag`, or None if there is none.

    Tags match on language and script once CLDR's likely subtags are added: `zh-CN`
    finds `zh-Hans`, `kk` finds `kk` (Cyrillic), but `kk-Latn` and `zh-TW` find none.
    """
    wanted = _language_and_script(tag)
    for name in shipped():
        if _language_and_script(name) == wanted:
            return name
    return None


@functools.cache
def _language_and_script(tag: str) -> tuple[str, str]:
    import icu

    locale = icu.Locale(icu.Locale.forLanguageTag(tag).getName())
    locale.addLikelySubtags()
    return locale.getLanguage(), locale.getScript()


def check_message(name: str, pattern: str) -> str:
    """Return what is wrong with `pattern` as message `name` ("" if nothing is)."""
    import icu

    try:
        icu.MessageFormat(pattern, icu.Locale("en"))
    except icu.ICUError:
        return "not a valid message (check its braces and plural forms)"
    allowed = _arguments(catalogue(FALLBACK)[name])
    unknown = sorted(_arguments(pattern) - allowed)
    if unknown:
        known = ", ".join("{" + a + "}" for a in sorted(allowed)) or "none"
        return f"unknown placeholder {{{unknown[0]}}} (this message has: {known})"
    return ""


def _arguments(pattern: str) -> set[str]:
    import icu

    return set(icu.MessageFormat(pattern, icu.Locale("en")).getFormatNames())


@dataclass(frozen=True)
class Labels:
    """The messages of one book: its language's catalogue, with book.yml's overrides."""

    language: str = FALLBACK  # BCP 47 tag of the book; plural rules and CLDR data use it
    messages: Mapping[str, str] = field(default_factory=lambda: catalogue(FALLBACK))

    def text(self, name: str, **args: object) -> str:
        """Return message `name` as plain text, with `args` put in its placeholders.

        In a right-to-left book each text argument is a bidi isolate (U+2068 ...
        U+2069), so an identifier, a file name or a Latin title keeps its own order
        and does not pull the words around it into its direction.
        """
        if direction_of(self.language) == "rtl":
            args = {k: f"\u2068{v}\u2069" if isinstance(v, str) else v for k, v in args.items()}
        return _format(self.language, self.messages[name], tuple(sorted(args.items())))

    def markdown(self, name: str, escape, **args: str | int) -> str:
        """Return message `name` as Markdown: its own text escaped by `escape`, the
        `args` (Markdown already) put in as they are. Numbers select plural forms."""
        plain = {k: v for k, v in args.items() if not isinstance(v, str)}
        marked = {k: f"\ue000{i}\ue001" for i, k in enumerate(args) if isinstance(args[k], str)}
        values = list(args.values())
        text = escape(self.text(name, **plain, **marked))
        return _SENTINEL.sub(lambda m: str(values[int(m.group(1))]), text)

    def css_content(self, name: str, **args: str) -> str:
        """Return message `name` as a CSS `content` value; `args` are CSS expressions
        such as `counter(page)` (for a page footer)."""
        marked = {k: f"\ue000{i}\ue001" for i, k in enumerate(args)}
        values = list(args.values())
        parts = []
        for index, piece in enumerate(_SENTINEL.split(self.text(name, **marked))):
            if index % 2:
                parts.append(values[int(piece)])
            elif piece:
                parts.append('"' + piece.replace("\\", "\\\\").replace('"', '\\"') + '"')
        return " ".join(parts)

    def join(self, items, separator: str = "separator") -> str:
        """Join `items` with the language's list punctuation (`separator`, `group_separator`)."""
        return self.text(separator).join(items)

    def date(self, iso: str) -> str:
        """Return an ISO date (`2024-05-01`) in the language's long format (CLDR); any
        other text as it is."""
        try:
            day = dt.date.fromisoformat(iso)
        except ValueError:
            return iso
        from babel.dates import format_date

        return format_date(day, "long", locale=_babel_locale(self.language))

    def language_names(self, tags: list[str]) -> str:
        """Return the names of the languages `tags` in the book's language (CLDR), as a
        list; `ug` and `ug-Latn` are one language. (CLDR's list patterns are not used:
        Uyghur has none, and ICU falls back to English.)"""
        locale = _babel_locale(self.language)
        names = dict.fromkeys(_language_name(tag.split("-")[0], locale) for tag in tags)
        return self.text("separator").join(names)


def load_labels(language: str, overrides: Mapping[str, str]) -> tuple[Labels, bool]:
    """Return the book's labels and whether a catalogue exists for its language."""
    name = catalogue_for(language)
    messages = {**catalogue(name or FALLBACK), **overrides}
    return Labels(language if name else FALLBACK, messages), name is not None


def book_labels(config) -> Labels:
    """Return the labels of the book `config` (a BookConfig) describes."""
    return load_labels(config.language, config.labels)[0]


def check_catalogue(config, diagnostics) -> None:
    """Report, once, a book language with no catalogue whose messages book.yml lacks."""
    labels, found = load_labels(config.language, config.labels)
    missing = sorted(MESSAGE_NAMES - set(config.labels))
    if found or not missing:
        return
    diagnostics.warn(
        config.language_span,
        f"no message catalogue for language '{config.language}': the text the book "
        f"adds (contents, glossary, index, copyright page, ...) will be in English",
        f"translate the {len(missing)} messages under 'labels:' in book.yml "
        f"(catalogues ship for: {', '.join(shipped())})",
    )


def handout_css(labels: Labels) -> str:
    """Return the handout footer rule: book, chapter and "page X of Y" in the language."""
    pages = labels.css_content("page_of_pages", page="counter(page)", pages="counter(pages)")
    content = f'string(book-title) " \\2022  " string(chapter-title) " \\2022  " {pages}'
    return f"@page {{ @bottom-center {{ content: {content}; }} }}\n"


@functools.lru_cache(maxsize=512)
def _format(language: str, pattern: str, args: tuple[tuple[str, object], ...]) -> str:
    import icu

    message = icu.MessageFormat(pattern, icu.Locale.forLanguageTag(language))
    names = [name for name, _ in args]
    values = [icu.Formattable(value) for _, value in args]
    return message.format(names, values) if names else message.format([], [])


def _babel_locale(tag: str):
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(tag, sep="-")
    except (UnknownLocaleError, ValueError):
        return Locale.parse(FALLBACK)


def _language_name(tag: str, locale) -> str:
    """Return "Kazakh (Latin)" for `kk-Latn`, in `locale`'s language (CLDR names)."""
    from babel.core import parse_locale

    try:
        language, _, script, _ = parse_locale(tag, sep="-")[:4]
    except ValueError:
        return tag
    name = locale.languages.get(language, tag)
    if script and script in locale.scripts:
        name = f"{name} ({locale.scripts[script]})"
    return name


def english_name(tag: str) -> str:
    """Return the English name of a language, for messages to editors ("Russian")."""
    from babel import Locale

    return _language_name(tag, Locale("en"))


@functools.cache
def _see_also_headings() -> frozenset[str]:
    return frozenset(
        " ".join(catalogue(tag)["see_also_heading"].casefold().split()) for tag in shipped()
    )


def is_see_also(heading: str) -> bool:
    """Return whether `heading` is "See also" in a language a catalogue ships for
    ("См. также", "Siehe auch", "参见"): the list under it links other articles."""
    return " ".join(heading.casefold().split()) in _see_also_headings()
