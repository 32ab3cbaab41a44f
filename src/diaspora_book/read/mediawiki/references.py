"""An article's references: `<ref>`s and citation templates -> `WikiCitation`s.

The MediaWiki reader calls `read_ref` for every `<ref>` and `<references>` tag and
`read_citation_template` for every other template, in text order, with one
`RefState` per article; at the end `state.citations(diagnostics)` returns every
citation, resolved:

- a named ref (`<ref name="x">...</ref>`, then `<ref name="x" />`) is one set of
  sources cited several times; a reuse may come before the definition, and a
  definition may sit in `<references>` or `{{reflist|refs=...}}` (list-defined);
- `{{sfn|Smith|2004|p=5}}` and `{{harvnb}}` cite the full entry the article gives
  elsewhere (by family names and year, or `ref={{sfnref|...}}`);
- `{{rp|12}}` after a ref gives it its page;
- a `<ref>` of free text becomes an entry of type misc with that text as its note;
- explanatory notes (`<ref group=...>`, `{{efn}}`, `{{refn}}`) are not sources: the
  inline reader makes them footnotes.

Nothing here fetches anything or expands a template: a template is read, never run.
"""

from __future__ import annotations

import re
from dataclasses import replace
from urllib.parse import urlsplit

import mwparserfromhell
from mwparserfromhell.nodes import Node, Tag, Template
from mwparserfromhell.wikicode import Wikicode

from diaspora_book.model import Name, Source, SourceSpan, WikiCitation, year_of
from diaspora_book.plumbing.errors import Diagnostics
from diaspora_book.read.mediawiki.cite_templates import (
    is_full_citation,
    is_short_citation,
    read_full,
    read_generic,
    read_short,
)
from diaspora_book.read.mediawiki.cite_values import plain, template_name
from diaspora_book.read.mediawiki.local_templates import (
    normal_name,
    ref_template,
    reference_lists,
)

__all__ = [
    "REFERENCE_HEADINGS",
    "Name",
    "RefState",
    "Source",
    "WikiCitation",
    "is_reference_furniture",
    "is_reference_list",
    "read_citation_template",
    "read_ref",
    "read_ref_template",
]

# Headings of an article's own reference sections (lower case): the book prints
# its References once, at the end, so these go when nothing else is under them.
REFERENCE_HEADINGS = frozenset(
    {
        "references", "notes", "footnotes", "citations", "sources", "bibliography",
        "works cited", "notes and references", "references and notes", "cited sources",
        "general references", "inline citations", "reference notes", "literature",
        "einzelnachweise", "anmerkungen", "quellen", "literatur", "belege", "fußnoten",
        "quellen und anmerkungen", "примечания", "литература", "источники",
        "kaynakça", "kaynaklar", "notlar", "dipnotlar", "примітки", "джерела", "дереккөздер",
        "искәрмәләр", "иҫкәрмәләр", "эзоҳ", "manbalar", "izohlar", "ескертпелер",
        "پانویس", "منابع", "پانوشت", "حوالہ جات", "حوالے", "المراجع", "مراجع", "مصادر",
        "הערות שוליים", "מקורות", "脚注", "出典", "注釈", "参考文献", "参考资料", "注释",
        "각주", "참고 문헌", "références", "notes et références", "referencias", "notas",
    }
)  # fmt: skip
# Templates (and the <references> tag) that only place or format reference lists.
FURNITURE = frozenset(
    {
        "reflist", "references", "refbegin", "refend", "notelist", "notes", "rp",
        "notelist-ua", "notelist-lr", "notelist-la", "sfnref", "harvid", "reflist-talk",
        "cite check",
        "more citations needed", "citation needed", "cn", "fact", "better source needed",
        "page needed", "full citation needed", "unreliable source?", "by whom", "when",
        "who", "which", "dubious", "verify source", "failed verification",
    }
)  # fmt: skip
_LIST_TAGS = ("references",)
_LIST_TEMPLATES = frozenset({"reflist", "references", "notelist", "refs", "einzelnachweise"})
# A free-text reference written as "Family, Given (2004). The rest.": one author, a year.
_AUTHOR_YEAR = re.compile(
    r"^(?P<last>[^\W\d][\w'’ -]{0,40}?), (?P<first>[^();,.]{1,30}\.?) "
    r"\((?P<year>1[5-9]\d\d|20\d\d)[a-z]?\)[.,:]?\s+(?P<rest>\S.{2,})$"
)
# Explanatory notes written as templates ({{efn}}, {{refn}}): footnotes with their text
# (the first parameter), not sources; `inline.note` reads them.
NOTE_TEMPLATES = frozenset({"efn", "refn", "efn-ua", "efn-lr", "efn-la", "efn-lg", "cnote"})
# Templates in a <ref> beside its text that are not works: language marks ({{ref-de}},
# {{en icon}}), archive links ({{webarchive}}), dead-link tags, text templates.
_NOT_A_WORK = re.compile(
    r"^(ref-\w+|\w+ icon|icon \w+|lang(-\w+)?|webarchiv\w*|webarşiv|wayback\w*|archive\w*"
    r"|dead link|deadlink|リンク切れ|недоступная ссылка|ölü bağlantı|پیوند مرده|пайванди мурда"
    r"|nowrap|small|sfnref|harvid|rp|!|-|nbsp|[a-z]{2,3}"
    r"|isbn|issn|doi|oclc|lccn|jstor|pmid|pmc|asin|bibcode|arxiv|hdl|sfn\w*|harv\w*)$"
)
_FURNITURE_TAIL = re.compile(r"^[\s.,;:()\[\]–—-]*$")


def is_reference_furniture(name: str) -> bool:
    """Whether template or tag `name` only places or formats references (dropped silently)."""
    return name.strip().replace("_", " ").lower() in FURNITURE or is_reference_list(name)


def is_reference_list(name: str) -> bool:
    """Whether template `name` places the article's list of references, in any wiki's
    words ({{reflist}}, {{kaynakça}}, {{примечания}}, {{پانویس}}, {{הערות שוליים}})."""
    return normal_name(name) in reference_lists() or normal_name(name) in _LIST_TEMPLATES


class RefState:
    """The references of one article as they are read: named refs, full entries, citations.

    Mutable while one article is read (it is the reader's notebook); what leaves it,
    `citations()`, is frozen.
    """

    def __init__(self, path: str, language: str = "en"):
        self.path = path  # the article as shown in messages
        self.language = language  # the book's: its wiki's parameter names and months first
        self._citations: list[WikiCitation] = []
        self._named: dict[str, WikiCitation] = {}  # name -> the citation that defined it
        self._full: list[Source] = []  # every full citation template, for {{sfn}}
        self._by_short: dict[tuple[str, ...], Source] | None = None  # _full by names, year
        self._problems: list[tuple[SourceSpan, str]] = []
        self._pages: dict[int, tuple[str, SourceSpan]] = {}  # {{rp}}: citation -> page

    def add(self, citation: WikiCitation) -> WikiCitation:
        numbered = replace(citation, number=len(self._citations))
        self._citations.append(numbered)
        return numbered

    def problem(self, span: SourceSpan, message: str) -> None:
        self._problems.append((span, message))

    def define(self, name: str, citation: WikiCitation) -> None:
        """Remember the sources of `<ref name=...>`; a second, different body is reported."""
        first = self._named.get(name)
        if first is None:
            self._named[name] = citation
        elif first.sources != citation.sources:
            self.problem(
                citation.span,
                f'<ref name="{name}"> is defined again with other content; '
                f"the definition on line {first.span.line} is used",
            )

    def full_entry(self, source: Source) -> None:
        self._full.append(source)
        self._by_short = None

    def set_page(self, locator: str, span: SourceSpan) -> None:
        """{{rp|12}}: the page of the citation just read (given to a source at the end)."""
        if not self._citations or self._citations[-1].kind != "cite":
            self.problem(span, "{{rp}} follows no <ref>; its page is dropped")
            return
        self._pages[len(self._citations) - 1] = (locator, span)

    def _with_page(self, citation: WikiCitation, page: tuple[str, SourceSpan]) -> WikiCitation:
        """Give {{rp}}'s page to the one source it can be for.

        A footnote citing one work: that work. Citing several: the one without a page
        of its own; if that is not exactly one, the page is reported, not guessed.
        """
        locator, span = page
        count = len(citation.sources)
        own = [*citation.locators, *(("", True),) * max(0, count - len(citation.locators))]
        if count <= 1:
            return replace(citation, locators=((locator, True),))
        open_ = [i for i in range(count) if not own[i][0]]
        if len(open_) != 1:
            self.problem(
                span,
                f"{{{{rp|{locator}}}}} follows a <ref> citing {count} works"
                + (" that have their own pages" if not open_ else "")
                + "; its page is dropped (put it in the citation template: |page=)",
            )
            return citation
        own[open_[0]] = (locator, True)
        return replace(citation, locators=tuple(own[:count]))

    def citations(self, diagnostics: Diagnostics) -> tuple[WikiCitation, ...]:
        """Return every citation of the article, resolved; report what could not be."""
        resolved = []
        for index, citation in enumerate(self._citations):
            if citation.name and not citation.sources:
                citation = self._reuse(citation)
            sources = tuple(self._resolve(s) for s in citation.sources)
            citation = replace(citation, sources=sources)
            if index in self._pages:
                citation = self._with_page(citation, self._pages[index])
            resolved.append(citation)
        # In the article's order, though a name or a short citation is resolved at the end.
        for span, message in sorted(self._problems, key=lambda p: (p[0].line, p[0].column)):
            diagnostics.warn(span, message)
        self._problems = []
        return tuple(resolved)

    def _reuse(self, citation: WikiCitation) -> WikiCitation:
        definition = self._named.get(citation.name)
        if definition is None:
            self.problem(citation.span, f'<ref name="{citation.name}" /> is never defined')
            return citation
        locators = citation.locators if any(loc for loc, _ in citation.locators) else ()
        return replace(
            citation,
            sources=definition.sources,
            locators=locators or definition.locators,
        )

    def _resolve(self, source: Source) -> Source:
        """A short citation's full entry: the article's work with those names and year."""
        if source.entry_type:
            return source
        if self._by_short is None:  # built once: an article may have thousands
            self._by_short = {}
            for work in self._full:
                self._by_short.setdefault(_short_key(work.short_names), work)
        full = self._by_short.get(_short_key(source.anchor))
        if full is not None:
            return full
        shown = " ".join(source.anchor)
        self.problem(
            source.span,
            f"{{{{{source.template}}}}} cites '{shown}', which no full citation in this "
            "article matches (by family names and year)",
        )
        return Source("misc", (("year", year_of(shown)),), source.span, note=shown)


def _short_key(names: tuple[str, ...]) -> tuple[str, ...]:
    """Names and year compared as {{sfn}} does, ignoring case and a year's letter."""
    if not names:
        return ()
    *people, year = names
    return (*(p.strip().lower() for p in people), year_of(year) or year.strip().lower())


def read_ref(tag: Tag, span: SourceSpan, state: RefState) -> WikiCitation | None:
    """Read a `<ref>` (or a `<references>` list of definitions) at `span`.

    Return the citation the text gets there, or None for `<references>` and for an
    empty `<ref>` (reported). Read the tag whole: do not visit the nodes inside it.
    """
    name = str(tag.tag).strip().lower()
    if _attribute(tag, "group"):  # explanatory notes (inline.note), not sources
        return None
    if name in _LIST_TAGS:
        if tag.contents is not None:
            _define_all(tag.contents, str(tag), span, state)
        return None
    if name != "ref":
        return None
    body = tag.contents if tag.contents is not None and not tag.self_closing else None
    return _ref(body, _attribute(tag, "name"), (str(tag), "<ref>"), span, state)


def _ref(
    body: Wikicode | None,
    ref_name: str,
    written: tuple[str, str],
    span: SourceSpan,
    state: RefState,
) -> WikiCitation | None:
    """A footnote's citation: its body's sources, or (no body) a reuse of `ref_name`.

    `written` is the whole footnote as written and what to call it in a message.
    """
    outer, what = written
    if body is None or not str(body).strip():
        if not ref_name:
            state.problem(span, f"an empty {what} cites nothing; it is dropped")
            return None
        return state.add(WikiCitation(0, "cite", (), span, name=ref_name))
    citation = _citation(body, outer, span, state)
    if citation is None:
        state.problem(span, f"this {what} holds no text; it is dropped")
        return None
    citation = replace(citation, name=ref_name)
    if ref_name:
        state.define(ref_name, citation)
    return state.add(citation)


def read_ref_template(template: Template, span: SourceSpan, state: RefState) -> WikiCitation | None:
    """Read a template that is a `<ref>` ({{הערה|text}}, {{הערה|שם=x}}); None for any
    other template, or for an empty one (reported)."""
    roles = ref_template(template_name(template))
    if roles is None:
        return None
    texts, names = roles
    found: dict[str, Wikicode] = {}
    for param in template.params:
        found.setdefault(normal_name(str(param.name)), param.value)
    body = next((found[k] for k in texts if k in found and str(found[k]).strip()), None)
    ref_name = next((plain(found[k]) for k in names if k in found), "")
    what = f"{{{{{template_name(template)}}}}}"
    return _ref(body, ref_name, (str(template), what), span, state)


def read_citation_template(
    template: Template, span: SourceSpan, state: RefState
) -> WikiCitation | None:
    """Read a template outside `<ref>`; None when it is not a citation.

    `{{sfn}}`/`{{harvnb}}` give a citation; a full citation template (`{{cite
    book}}` in a "Bibliography" list) an "entry" the References print but the text
    does not cite; `{{rp}}` and `{{reflist|refs=...}}` change the state only.
    """
    name = template_name(template)
    if name == "rp":
        if template.params:
            state.set_page(plain(template.params[0].value), span)
        return None
    if name == "r":  # {{r|name|p=12}}: <ref name="name" /> at page 12
        reused = [plain(p.value) for p in template.params if not p.showkey]
        if not reused or not reused[0]:
            return None
        at = next(
            (plain(template.get(k).value) for k in ("p", "pp", "page") if template.has(k)), ""
        )
        if len(reused) > 1:
            state.problem(span, f"{{{{r}}}} with several names cites only the first, '{reused[0]}'")
        locators = ((at, True),) if at else ()
        return state.add(WikiCitation(0, "cite", (), span, locators, name=reused[0]))
    if name in ("reflist", "references") and template.has("refs"):
        _define_all(template.get("refs").value, str(template), span, state)
        return None
    if name in NOTE_TEMPLATES:  # {{efn|text}}: an explanatory note (inline.note), no source
        return None
    if is_short_citation(name):
        source = _short(template, span)
        _, locator, page = read_short(template)
        return state.add(WikiCitation(0, "cite", (source,), span, ((locator, page),)))
    if is_full_citation(name):
        mapped = read_full(template, span, state.language)
        for message in mapped.problems:
            state.problem(span, message)
        state.full_entry(mapped.source)
        return state.add(WikiCitation(0, "entry", (mapped.source,), span))
    return None


def _citation(body: Wikicode, outer: str, span: SourceSpan, state: RefState) -> WikiCitation | None:
    """The sources of a <ref>'s body: its citation templates, else its text."""
    sources: list[Source] = []
    locators: list[tuple[str, bool]] = []
    for template in body.filter_templates(recursive=False):
        name = template_name(template)
        where = _span_within(outer, template, span)
        if is_short_citation(name):
            _, locator, page = read_short(template)
            sources.append(_short(template, where))
            locators.append((locator, page))
        elif is_full_citation(name):
            mapped = read_full(template, where, state.language)
            for message in mapped.problems:
                state.problem(where, message)
            state.full_entry(mapped.source)
            sources.append(mapped.source)
            locators.append((mapped.locator, mapped.page))
    if sources:
        return WikiCitation(0, "cite", tuple(sources), span, tuple(locators))
    text = plain(body)
    for template in body.filter_templates(recursive=False):  # templates nobody described
        name = template_name(template)
        if is_reference_furniture(name) or _NOT_A_WORK.match(name) or ":" in name:
            continue
        where = _span_within(outer, template, span)
        generic = read_generic(template, where, state.language)
        if generic is not None:
            for message in generic.problems:
                state.problem(where, message)
            sources.append(generic.source)
            locators.append((generic.locator, generic.page))
    if text and (not sources or len(text.split()) >= 3):
        sources.append(_free_text(body, text, span))
        locators.append(("", True))
    if not sources:
        return None
    return WikiCitation(0, "cite", tuple(sources), span, tuple(locators))


def _free_text(body: Wikicode, text: str, span: SourceSpan) -> Source:
    fields = []
    year = year_of(text)
    if year:
        fields.append(("year", year))
    links = [str(link.url) for link in body.filter_external_links()]
    http = [url for url in links if url.lower().startswith(("http://", "https://"))]
    if http and text.strip() == http[0]:  # a bare address: a web page named by its site
        site = urlsplit(http[0]).netloc.removeprefix("www.")
        return Source("online", (("title", site or http[0]), ("url", http[0])), span)
    if http:
        fields.append(("url", http[0]))
    written = _AUTHOR_YEAR.match(text)
    if written:  # "Smith, John (2004). Title. Publisher.": cited as (Smith 2004)
        author = Name(written["last"].strip(), written["first"].strip())
        fields = [("title", written["rest"].strip()), ("year", written["year"]), *fields[1:]]
        return Source("misc", tuple(fields), span, authors=(author,))
    return Source("misc", tuple(fields), span, note=text)


def _short(template: Template, span: SourceSpan) -> Source:
    """A source still to be found: what {{sfn}} names (family names, then the year)."""
    names, _, _ = read_short(template)
    return Source("", (), span, template=template_name(template), anchor=names)


def _define_all(contents: Wikicode | str, outer: str, span: SourceSpan, state: RefState) -> None:
    """List-defined references: `<ref name=...>` bodies inside `<references>` or `refs=`."""
    code = contents if isinstance(contents, Wikicode) else mwparserfromhell.parse(contents)
    for tag in code.filter_tags(recursive=False, matches=lambda n: str(n.tag).lower() == "ref"):
        where = _span_within(outer, tag, span)
        ref_name = _attribute(tag, "name")
        if not ref_name or tag.contents is None or not str(tag.contents).strip():
            state.problem(where, "a <ref> in a reference list needs a name and a text")
            continue
        citation = _citation(tag.contents, str(tag), where, state)
        if citation is not None:
            state.define(ref_name, replace(citation, name=ref_name))


def _attribute(tag: Tag, name: str) -> str:
    for attribute in tag.attributes:
        if str(attribute.name).strip().lower() == name:
            return plain(attribute.value or "").strip().strip("\"'")
    return ""


def _span_within(outer: str, node: Node, span: SourceSpan) -> SourceSpan:
    """The line (and column) of `node`, written inside `outer`, which starts at `span`."""
    offset = outer.find(str(node))
    if offset <= 0:
        return span
    before = outer[:offset]
    lines = before.count("\n")
    if lines == 0:
        return SourceSpan(span.path, span.line, span.column + offset)
    return SourceSpan(span.path, span.line + lines, offset - before.rfind("\n"))
