"""The sample book's Glossary, References and Index, read from the real PDF and EPUB."""

import re

from .readers import epub_documents, html_text, normalise, pdf_body_pages, pdf_text


def output(report, suffix):
    return next(p for p in report.outputs if p.suffix == suffix)


def test_pdf_has_glossary_references_and_index_in_the_contents(sample_build):
    pages = pdf_body_pages(output(sample_build, ".pdf"))
    contents = next(p for p in pages if p.startswith("Contents"))
    for title in ("Glossary", "References", "Index"):
        line = next(line for line in contents.splitlines() if line.startswith(title))
        page = int(line.rsplit(" ", 1)[-1])
        assert pages[page - 1].lstrip().startswith(title), title


def index_lines(pages):
    start = next(n for n, p in enumerate(pages) if p.lstrip().startswith("Index"))
    entries = {}
    for page in pages[start:]:
        for line in page.splitlines():
            # Two columns: split where a run of spaces separates them.
            for cell in re.split(r"\s{3,}", line.strip()):
                match = re.fullmatch(r"(.+?),((?: \d+,?)+)", cell)
                if match:
                    entries[match[1]] = [int(n) for n in re.findall(r"\d+", match[2])]
    return entries


def test_pdf_index_page_numbers_are_the_pages_the_terms_are_on(sample_build):
    pages = pdf_body_pages(output(sample_build, ".pdf"))
    entries = index_lines(pages)
    for term in ("Almaty", "Xinjiang", "Ghulja Incident", "Barakholka Bazaar", "meshrep"):
        assert entries[term], term
    assert entries["Almaty"] == sorted(set(entries["Almaty"]))  # one number per page
    for term, numbers in entries.items():
        for number in numbers:
            text = normalise(pages[number - 1].replace("\u2010\n", "").replace("-\n", "-"))
            assert term in text or term.replace(" ", "") in text.replace(" ", ""), (term, number)
    # Every chapter page that mentions Almaty (not Almaty Province) is listed, once.
    chapter_pages = [
        n + 1
        for n, page in enumerate(pages)
        if re.search(r"Almaty(?! Province)", normalise(page))
        and not page.lstrip().startswith(("Index", "Contents", "Glossary"))
    ]
    assert entries["Almaty"] == chapter_pages


def test_pdf_glossary_gives_gloss_definition_and_pages(sample_build):
    pages = pdf_body_pages(output(sample_build, ".pdf"))
    first = next(i for i, p in enumerate(pages) if p.lstrip().startswith("Glossary"))
    after = next(i for i, p in enumerate(pages) if p.lstrip().startswith("References"))
    glossary = "\n".join(pages[first:after])  # gloss and definition: a line each
    text = normalise(glossary)
    assert "yärlik" in text and "yerlik" in text
    match = re.search(r"locals Uyghurs whose families .*? Used on page (\d+)", text)
    assert match and "yärlik" in pages[int(match[1]) - 1]
    terms = re.findall(r"^(\S[^\n(]*?)(?: \(|$)", glossary, re.M)
    assert terms[1:9] == [
        "Dungan", "kegänlär", "kitailik", "köchäp kegän", "meshrep", "oralman", "wätändin",
        "yärlik",
    ]  # fmt: skip


def test_pdf_references_list_the_cited_works(sample_build):
    pages = pdf_body_pages(output(sample_build, ".pdf"))
    references = normalise(next(p for p in pages if p.lstrip().startswith("References")))
    assert "Agency of Statistics of the Republic of Kazakhstan. 2009." in references
    assert "https://en.wikipedia.org/wiki/Uyghurs_in_Kazakhstan" in references
    chapters = pdf_text(output(sample_build, ".pdf"))
    assert (
        "according to the 2009 census (Agency of Statistics of the Republic of Kazakhstan 2009)."
        in chapters
    )


def epub_ids(docs):
    """id -> (document, the element's text), for every element with an id."""
    found = {}
    for name, doc in docs.items():
        if not name.endswith(".xhtml"):
            continue
        # A lookahead, so that elements inside an element with an id are found too.
        for match in re.finditer(r'(?=<(\w+)[^>]*\bid="([^"]+)"[^>]*>(.*?)</\1>)', doc, re.S):
            found[match[2]] = (name.rsplit("/", 1)[-1], normalise(html_text(match[3])))
    return found


def section(docs, epub_type):
    return next(
        doc
        for name, doc in docs.items()
        if name.endswith(".xhtml")
        and not name.endswith("nav.xhtml")  # its landmarks name every type
        and f'epub:type="{epub_type}"' in doc
    )


def test_epub_glossary_and_index_link_to_every_occurrence(sample_build):
    docs = epub_documents(output(sample_build, ".epub"))
    ids = epub_ids(docs)
    items = re.findall(
        r"<dt[^>]*>(.*?)</dt>\s*<dd[^>]*>(.*?)</dd>", section(docs, "glossary"), re.S
    )
    assert len(items) == 8
    items += [(li, li) for li in re.findall(r"<li>(.*?)</li>", section(docs, "index"), re.S)]
    assert len(items) > 40
    checked = 0
    for head, body in items:
        term = normalise(html_text(re.search(r"<span[^>]*>(.*?)</span>", head, re.S)[1]))
        if ", see " in normalise(html_text(head)):
            continue
        links = re.findall(r'href="([^"#]*)#([^"]+)"', body)
        assert links, term
        for file, anchor in links:
            where, text = ids[anchor]  # the link leads to an element that exists ...
            assert where == file, anchor
            assert term.lower() in text.lower(), (term, anchor, text)  # ... marking the term
            checked += 1
    assert checked > 60
    # The marked occurrences in the chapters link back to the glossary entries.
    chapters = " ".join(d for n, d in docs.items() if n.endswith(".xhtml") and "glossref" in d)
    assert re.search(r'<a href="ch\d+\.xhtml#glossary-yarlik"[^>]*class="glossref"', chapters)
    assert 'epub:type="bibliography"' in " ".join(docs.values())
    assert "Wikipedia contributors" in html_text(section(docs, "bibliography"))


def test_epub_index_names_chapters_and_sections(sample_build):
    docs = epub_documents(output(sample_build, ".epub"))
    text = normalise(html_text(section(docs, "index")))
    assert "Ghulja Incident: Uyghurs in Kazakhstan: Culture" in text
    assert "Hui, see Dungan" in text
