"""Annotation stages: glossary, index and citations over parsed articles.

Each module is plain functions over the dataclasses: curated project files
(`glossary.yml`, `index.yml`, `citations.yml`, `references.bib`) are loaded with their
`path:line` kept, and articles yield marks, citations and diagnostics. `convert.py`
only writes the marks; `backmatter.py` writes the Glossary, References and Index.
"""
