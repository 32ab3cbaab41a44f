"""Render a manuscript: pandoc to HTML then WeasyPrint to PDF; pandoc to EPUB 3."""
