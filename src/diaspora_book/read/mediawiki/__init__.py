"""MediaWiki input: raw wikitext (`.wiki`) and Special:Export files (`.xml`).

mwparserfromhell parses; these modules interpret what it finds (blocks, inline
styling, templates, tables, media) into the same `Article` the plain `.txt` reader
gives, with `Run`s for styling. Nothing is fetched: templates are interpreted here,
never expanded by a wiki.
"""
