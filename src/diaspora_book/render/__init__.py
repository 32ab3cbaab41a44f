"""Render a manuscript: the print edition (PDF), the e-book (EPUB 3) and the handouts.

- `html`: pandoc, in its sandbox, turns manuscript Markdown into HTML; the Lua
  filters give every block an id both outputs share.
- `pdf/`: WeasyPrint lays the print HTML out (`layout`, `page_setup`), whole or
  in parts on several cores (`parts/`), and the tagged PDF is finished
  (`structure`, `finish`); every private WeasyPrint or pydyf function it uses is
  in `hooks`. It hands the EPUB a `model.Pagination`.
- `epub/`: pandoc's EPUB finished as the book's (`write`): `archive`, `package`,
  `nav`, the print `pages`, `semantics`, `cover`, `fonts`, `accessibility`, and
  `beside` to draft it while the PDF is laid out.
- `handouts`: one chapter at a time, as a PDF of its own.
"""
