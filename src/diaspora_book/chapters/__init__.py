"""Chapters: annotated articles -> pandoc Markdown in `chapters/` (styled runs,
blocks, citations), text that stays text."""
