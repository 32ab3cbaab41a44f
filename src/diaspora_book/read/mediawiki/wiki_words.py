"""The wiki's own words: namespaces, image options, redirects, switches, language links.

Every Wikipedia writes `[[File:...]]`, `thumb` and `#REDIRECT` in its own language
(`[[Dosya:X.jpg|küçükresim|sol]]`, `[[Datei:X.jpg|mini|hochkant]]`,
`#перенаправление`), and still accepts the English words. The words are not
guessed: `wiki_words.json` is generated from MediaWiki's own files (its `source`
names them: MediaWiki 1.43.9's `languages/messages/Messages*.php` and Wikimedia's
`wmf-config`; the generator is `scripts/wikiwords/generate.py`). A page is read with
the words of the book's language, of the wiki its export names, of any wiki whose
File or Category names the page itself uses, and English's; an export's
`<siteinfo>` adds the namespace names it lists.

Namespace names match as MediaWiki matches them: whole name, any case, `_` as a space.
Image options match as MediaWiki's magic words do: `$1` stands for a value, and the
case counts where MediaWiki says it does (`thumb` is an option, `Thumb` a caption).
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from importlib import resources

FILE, CATEGORY, MEDIA = 6, 14, -2
# The ids a page's own links are searched for to tell which wiki it comes from.
_TELLING = (FILE, CATEGORY, MEDIA)
# The behaviour switches (`__NOTOC__`): what they do is the wiki's page layout, not text.
_SWITCHES = (
    "notoc",
    "nogallery",
    "forcetoc",
    "toc",
    "noeditsection",
    "newsectionlink",
    "nonewsectionlink",
    "hiddencat",
    "index",
    "noindex",
    "staticredirect",
    "notitleconvert",
    "nocontentconvert",
    "expectunusedcategory",
    "expectunusedtemplate",
    "disambiguation",
)
# A width option's value: `300`, `300x200`, `x200` (then `px` or its local form).
_WIDTH = re.compile(r"^\s*\d*(x\d*)?\s*$")
# A value that is nothing but a media file's name (`Flag_of_Berlin.svg`, `Skyline 2.jpg`).
_FILE_VALUE = re.compile(
    r"^[^\n|\[\]{}<>]{1,240}\.(jpe?g|png|svg|gif|tiff?|webp|xcf|pdf|djvu|og[gva]|webm|mp3|wav|mid)$",
    re.IGNORECASE,
)


def fold(name: str) -> str:
    """Return a name as MediaWiki compares namespace names: any case, `_` read as a space."""
    folded = name.replace("_", " ").casefold().replace("\u0307", "")  # Turkish İ -> i
    return " ".join(folded.split())


@functools.cache
def _data() -> dict:
    text = resources.files(__package__).joinpath("wiki_words.json").read_text("utf-8")
    return json.loads(text)


def known_wikis() -> tuple[str, ...]:
    """The language codes of the Wikipedias whose words the data holds."""
    return tuple(sorted(_data()["languages"]))


def wiki_of(language: str) -> str | None:
    """Return the data's wiki for a BCP 47 tag (`tr`, `zh-Hans`, `kk-Cyrl`), or None."""
    primary = language.split("-")[0].lower()
    return primary if primary in _data()["languages"] else None


@functools.cache
def _interlanguage() -> frozenset[str]:
    data = _data()
    prefixes = (*data["interlanguage_prefixes"], *data["wikipedia_langlist"])
    return frozenset(prefix.lower() for prefix in prefixes)


@dataclass(frozen=True)
class _Word:
    """One synonym of a magic word: the text around its `$1`, and whether case counts."""

    before: str
    after: str
    has_value: bool
    case_sensitive: bool

    def value(self, text: str) -> str | None:
        """Return the value `text` gives this word ("" for a word without one), or None."""
        probe = text if self.case_sensitive else text.casefold()
        if not self.has_value:
            return "" if probe == self.before else None
        if len(probe) < len(self.before) + len(self.after):
            return None
        if probe.startswith(self.before) and probe.endswith(self.after):
            return text[len(self.before) : len(text) - len(self.after)]
        return None


def _words(synonyms: list[str], case_sensitive: bool) -> list[_Word]:
    found = []
    for synonym in synonyms:
        word = synonym if case_sensitive else synonym.casefold()
        before, sep, after = word.partition("$1")
        found.append(_Word(before, after, bool(sep), case_sensitive))
    return found


@dataclass(frozen=True)
class WikiWords:
    """The words one page is read with (those of one or more wikis, always English's)."""

    wikis: tuple[str, ...]
    namespaces: dict[str, int]  # folded name -> namespace id
    image_options: tuple[tuple[str, tuple[_Word, ...]], ...]  # (img_* id, its synonyms)
    redirects: tuple[str, ...]  # folded `#REDIRECT` words
    switches: tuple[_Word, ...]  # `__NOTOC__` and the like
    # `{{DEFAULTSORT:…}}`, `{{DISPLAYTITLE:…}}` in every form (folded, without the colon)
    page_settings: frozenset[str] = frozenset()

    def namespace(self, prefix: str) -> int | None:
        """Return the id of the namespace `prefix` names (before a `:`), or None."""
        return self.namespaces.get(fold(prefix))

    def names(self, namespace: int) -> frozenset[str]:
        """Return the folded names (and aliases) of one namespace."""
        return frozenset(name for name, space in self.namespaces.items() if space == namespace)

    def image_option(self, text: str) -> str | None:
        """Return the option (`img_thumbnail`, `img_width`...) a file link's part is, or None.

        None means the part is caption text; a width that is not a number is text too.
        """
        part = text.strip()
        for option, words in self.image_options:
            for word in words:
                value = word.value(part)
                if value is None:
                    continue
                if option == "img_width" and not _WIDTH.match(value):
                    continue
                return option
        return None

    def is_furniture(self, value: str) -> bool:
        """Whether a template's value is only a file (`Dosya:X.jpg`, `X.svg`) or a width
        (`280px`): what the wiki draws, never words a reader reads."""
        text = " ".join(value.split())
        head, sep, _ = text.partition(":")
        if sep and self.namespace(head) in (FILE, MEDIA):
            return True
        return bool(_FILE_VALUE.match(text)) or self.image_option(text) == "img_width"

    def is_page_setting(self, template: str) -> bool:
        """Whether `{{template}}` sets the page's sort key or shown title (`{{DEFAULTSORT:X}}`,
        `{{СОРТИРОВКА_ПО_УМОЛЧАНИЮ:X}}`, `{{デフォルトソート:X}}`): nothing a reader sees."""
        head, sep, _ = template.partition(":")
        return bool(sep) and fold(head) in self.page_settings

    def is_redirect(self, text: str) -> bool:
        """Whether a page's text is a redirect (`#REDIRECT [[X]]`, `#YÖNLENDİRME [[X]]`)."""
        head = fold(text.lstrip()[:60])
        return any(
            head.startswith(word) and head[len(word) :].lstrip(" :").startswith("[[")
            for word in self.redirects
        )

    def switch_pattern(self) -> re.Pattern[str]:
        """The behaviour switches (`__NOTOC__`, `__ОБЯЗАТЕЛЬНОЕ_ОГЛАВЛЕНИЕ__`) as one pattern."""
        return _switch_pattern(self.switches)

    @staticmethod
    def is_interlanguage(prefix: str) -> bool:
        """Whether `[[prefix:Title]]` is a link to another language's article (`de`, `zh-yue`)."""
        return prefix.strip().lower() in _interlanguage()


@functools.cache
def _switch_pattern(switches: tuple[_Word, ...]) -> re.Pattern[str]:
    def longest_first(case_sensitive: bool) -> list[str]:
        words = {w.before for w in switches if w.case_sensitive == case_sensitive}
        return sorted(words, key=len, reverse=True)

    sensitive, insensitive = longest_first(True), longest_first(False)
    parts = []
    if sensitive:
        parts.append("|".join(re.escape(w) for w in sensitive))
    if insensitive:
        parts.append("(?i:" + "|".join(re.escape(w) for w in insensitive) + ")")
    return re.compile("|".join(parts) or r"(?!)")


def wiki_words(
    wikis: tuple[str, ...], site_namespaces: tuple[tuple[int, str], ...] = ()
) -> WikiWords:
    """Return the words of `wikis` (codes the data knows) and English, with an export's names."""
    chosen = tuple(dict.fromkeys(w for w in (*wikis, "en") if w in _data()["languages"]))
    return _merged(chosen, site_namespaces)


@functools.cache
def _merged(wikis: tuple[str, ...], site_namespaces: tuple[tuple[int, str], ...]) -> WikiWords:
    languages = _data()["languages"]
    namespaces: dict[str, int] = {}
    options: dict[str, list[_Word]] = {}
    redirects: list[str] = []
    switches: list[_Word] = []
    settings: set[str] = set()
    for wiki in wikis:
        entry = languages[wiki]
        for space, names in entry["namespaces"].items():
            for name in names:
                namespaces.setdefault(fold(name), int(space))
        for space, names in entry.get("namespaces_fallback_only", {}).items():
            for name in names:  # not valid on the wiki, but unambiguous when read
                namespaces.setdefault(fold(name), int(space))
        magic, case = entry["magic_words"], entry["case_sensitive"]
        for option in sorted(k for k in magic if k.startswith("img_")):
            options.setdefault(option, []).extend(_words(magic[option], case[option]))
        redirects.extend(fold(word) for word in magic.get("redirect", ()))
        for setting in ("defaultsort", "displaytitle"):
            settings.update(fold(word.removesuffix(":")) for word in magic.get(setting, ()))
        for switch in _SWITCHES:
            switches.extend(_words(magic.get(switch, []), case.get(switch, False)))
    for space, name in site_namespaces:
        if name.strip():
            namespaces.setdefault(fold(name), space)
    ordered = tuple(
        (option, tuple(dict.fromkeys(words)))
        for option, words in sorted(options.items(), key=lambda item: _option_order(item[0]))
    )
    return WikiWords(
        wikis,
        namespaces,
        ordered,
        tuple(sorted(set(redirects), key=len, reverse=True)),
        tuple(dict.fromkeys(switches)),
        frozenset(settings),
    )


def _option_order(option: str) -> tuple[int, str]:
    """Options without a value first: `thumb` is the word, before `thumb=$1`'s prefix."""
    return (1 if option in ("img_manualthumb", "img_alt", "img_link") else 0, option)


_LINK_PREFIX = re.compile(r"\[\[\s*([^\[\]|:#\n]{1,40}?)\s*:")
_GALLERY = re.compile(r"<gallery[^>]*>(.*?)</gallery\s*>", re.IGNORECASE | re.DOTALL)
_LINE_PREFIX = re.compile(r"^\s*([^\[\]|:#\n]{1,40}?)\s*:", re.MULTILINE)


def page_wikis(text: str, book_language: str, site_language: str = "") -> tuple[str, ...]:
    """Return the wikis a page is read with: the book's, its export's, those it shows.

    A page shows its wiki by the File and Category names it uses (`[[Kategori:`,
    `[[پرونده:`, a gallery's `Dosya:` lines): the words of every wiki that names one
    of them locally are added (English's are always there). A shared export's siteinfo
    may name another wiki than the page's (SOURCES.md of the Berlin exports), so it
    never decides alone.
    """
    wikis = [w for w in (wiki_of(book_language), wiki_of(site_language)) if w]
    head = text[:2_000_000]
    prefixes = {fold(found) for found in _LINK_PREFIX.findall(head)}
    for gallery in _GALLERY.findall(head):  # `Dosya:X.jpg|...` lines
        prefixes.update(fold(found) for found in _LINE_PREFIX.findall(gallery))
    english = _telling_names(("en",))
    for wiki in known_wikis():
        if wiki not in wikis and (prefixes & (_telling_names((wiki,)) - english)):
            wikis.append(wiki)
    return tuple(wikis)


@functools.cache
def _telling_names(wikis: tuple[str, ...]) -> frozenset[str]:
    words = _merged(wikis, ())
    return frozenset(name for name, space in words.namespaces.items() if space in _TELLING)


def every_file_name() -> frozenset[str]:
    """The File namespace's names (folded) in every wiki the data knows."""
    return _merged(known_wikis(), ()).names(FILE)


def is_redirect_page(text: str) -> bool:
    """Whether a page is a redirect, in any wiki's words (no article starts `#YÖNLENDİRME [[`)."""
    return _merged(known_wikis(), ()).is_redirect(text)


@dataclass(frozen=True)
class SiteInfo:
    """What an export's `<siteinfo>` says: its wiki's language and its namespace names."""

    language: str = ""  # from `<dbname>` (`trwiki` -> `tr`); may be wrong (shared exports)
    namespaces: tuple[tuple[int, str], ...] = ()
