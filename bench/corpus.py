"""Generate a deterministic scale corpus from the sample articles.

A benchmark needs books of 10, 50 and 200 articles that look like the real one: an
infobox, a lead, sections of running text, a "See also" list, and the foreign-script
runs that make this pipeline's work (Uyghur in Arabic script, Chinese, Kazakh Latin
with diacritics). The generator takes the paragraphs and sections of the two sample
articles and recombines them in seeded permutations under distinct titles, so the
same `(n, seed)` always gives the same bytes, on any machine and Python run.

The text is reused, never invented: every generated paragraph is a paragraph of a
sample article, so whatever the pipeline does with the samples it does here at scale.
"""

from __future__ import annotations

import random
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from diaspora_book.model import BulletList, Heading, Paragraph
from diaspora_book.plumbing.slug import slugify
from diaspora_book.read.plain_text import parse_file

REPO = Path(__file__).resolve().parent.parent
SAMPLE_DIR = REPO / "articles"
DEFAULT_SEED = 7

# Every generated article keeps at least one run of each of these scripts.
ARABIC = re.compile("[\u0600-\u06ff]")
HAN = re.compile("[\u4e00-\u9fff]")

PEOPLES = (
    "Uyghurs", "Chinese people", "Dungans", "Kazakhs", "Koreans", "Tatars", "Uzbeks",
    "Kyrgyz people", "Tajiks", "Russians", "Germans", "Turks", "Mongols", "Chechens",
    "Ukrainians", "Azerbaijanis", "Poles", "Kurds", "Tibetans", "Hui people",
)  # fmt: skip
PLACES = (
    "Kazakhstan", "Kyrgyzstan", "Uzbekistan", "Tajikistan", "Turkmenistan", "Mongolia",
    "Russia", "Turkey", "Germany", "Afghanistan", "Iran", "Pakistan",
)  # fmt: skip
# Pairings that name a people in its own country; not diaspora articles.
_HOMELANDS = {
    ("Kazakhs", "Kazakhstan"), ("Kyrgyz people", "Kyrgyzstan"), ("Uzbeks", "Uzbekistan"),
    ("Tajiks", "Tajikistan"), ("Mongols", "Mongolia"), ("Russians", "Russia"),
    ("Germans", "Germany"), ("Turks", "Turkey"),
}  # fmt: skip


@dataclass(frozen=True)
class Section:
    """A `== Heading ==` and the paragraphs under it, as written in a sample."""

    heading: str
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class Pool:
    """The material the generator recombines: everything in the sample articles."""

    facts: tuple[tuple[str, str], ...]  # (key, value) of every infobox line but "Group"
    leads: tuple[str, ...]  # paragraphs before the first heading
    sections: tuple[Section, ...]  # every section but "See also"
    see_also: tuple[str, ...]  # items of the samples' "See also" lists


@dataclass(frozen=True)
class GeneratedArticle:
    filename: str  # e.g. "dungans-in-kyrgyzstan.txt"
    title: str
    text: str  # the wiki-text export, as `articles/*.txt` holds it


def load_pool(sample_dir: Path = SAMPLE_DIR) -> Pool:
    """Read the sample articles with the pipeline's own parser and pool their parts."""
    facts: list[tuple[str, str]] = []
    leads: list[str] = []
    sections: list[Section] = []
    see_also: list[str] = []
    for path in sorted(sample_dir.glob("*.txt")):
        article, _ = parse_file(path, path.name)
        if article.infobox:
            facts += [(f.key, f.value) for f in article.infobox.facts if f.key != "Group"]
        heading: str | None = None
        paragraphs: list[str] = []
        for block in [*article.blocks, None]:
            if block is None or isinstance(block, Heading):
                if heading is not None and paragraphs:
                    sections.append(Section(heading, tuple(paragraphs)))
                elif heading is None:
                    leads += paragraphs
                heading, paragraphs = (block.text if block else None), []
            elif isinstance(block, Paragraph):
                paragraphs.append(block.text)
            elif isinstance(block, BulletList) and block.see_also:
                see_also += [item.text for item in block.items]
    return Pool(tuple(facts), tuple(leads), tuple(sections), tuple(dict.fromkeys(see_also)))


def titles(n: int, seed: int = DEFAULT_SEED) -> list[str]:
    """Return `n` distinct article titles ("Dungans in Kyrgyzstan"), in a seeded order."""
    pairs = [
        f"{people} in {place}"
        for people in PEOPLES
        for place in PLACES
        if (people, place) not in _HOMELANDS
    ]
    random.Random(f"titles:{seed}").shuffle(pairs)
    out = pairs[:n]
    part = 2
    while len(out) < n:  # more articles than pairs: later parts of the same subjects
        out += [f"{title} (part {part})" for title in pairs[: n - len(out)]]
        part += 1
    return out


def article(title: str, index: int, pool: Pool, all_titles: list[str], seed: int) -> str:
    """Return the wiki text of one generated article."""
    rng = random.Random(f"article:{seed}:{index}")
    lines = [f"= {title} =", "", "Infobox", f"- Group: {title}"]
    lines += [f"- {key}: {value}" for key, value in rng.sample(pool.facts, rng.randint(1, 4))]
    lines.append("")

    lead = rng.sample(pool.leads, rng.randint(1, 2))
    sections = _distinct_headings(rng.sample(pool.sections, rng.randint(3, 6)))
    body = [*lead, *(p for s in sections for p in s.paragraphs)]
    # Keep the multilingual runs in every article: add a lead or a section that has them.
    for script in (ARABIC, HAN):
        if not any(script.search(p) for p in body):
            lead_with = [p for p in pool.leads if script.search(p)]
            if lead_with:
                lead = [rng.choice(lead_with), *lead]
            else:
                sections = [*sections, rng.choice([s for s in pool.sections if _has(s, script)])]
            body = [*lead, *(p for s in sections for p in s.paragraphs)]

    lines += [p for para in lead for p in (para, "")]
    for section in sections:
        lines += [f"== {section.heading} ==", ""]
        lines += [p for para in section.paragraphs for p in (para, "")]

    others = [t for t in all_titles if t != title]
    related = rng.sample(others, min(len(others), rng.randint(1, 3)))
    related += rng.sample(pool.see_also, rng.randint(1, 2))
    lines += ["== See also ==", *(f"- {item}" for item in related)]
    return "\n".join(lines) + "\n"


def _has(section: Section, script: re.Pattern[str]) -> bool:
    return any(script.search(p) for p in section.paragraphs)


def _distinct_headings(sections: list[Section]) -> list[Section]:
    """Drop a second section with an already used heading (both samples have one)."""
    seen: set[str] = set()
    out: list[Section] = []
    for section in sections:
        if section.heading not in seen:
            seen.add(section.heading)
            out.append(section)
    return out


def generate(n: int, seed: int = DEFAULT_SEED, pool: Pool | None = None) -> list[GeneratedArticle]:
    """Return `n` generated articles with distinct titles and file names."""
    pool = pool or load_pool()
    names = titles(n, seed)
    return [
        GeneratedArticle(f"{slugify(title)}.txt", title, article(title, i, pool, names, seed))
        for i, title in enumerate(names)
    ]


BOOK_YML = """\
# A generated benchmark book: {n} articles recombined from the samples (seed {seed}).
title: "Diasporas of Central Asia: {n} articles"
subtitle: A scale test for diaspora-book
authors:
  - Wikipedia contributors
publisher: diaspora-book
language: en
rights: >-
  Text adapted from Wikipedia articles, available under the Creative Commons
  Attribution-ShareAlike 4.0 License (CC BY-SA 4.0).
languages:
  arabic: ug
  han: zh
  cyrillic: kk
page_size: A4
"""


def write_project(root: Path, n: int, seed: int = DEFAULT_SEED) -> list[GeneratedArticle]:
    """Write a complete book project of `n` articles at `root` (replacing its articles)."""
    articles = generate(n, seed)
    if root.exists():
        shutil.rmtree(root)
    (root / "articles").mkdir(parents=True)
    for item in articles:
        (root / "articles" / item.filename).write_text(item.text, encoding="utf-8")
    (root / "book.yml").write_text(BOOK_YML.format(n=n, seed=seed), encoding="utf-8")
    book_css = REPO / "styles" / "book.css"  # the sample book's own layer, as a real book has
    if book_css.is_file():
        (root / "styles").mkdir()
        shutil.copy(book_css, root / "styles" / "book.css")
    return articles
