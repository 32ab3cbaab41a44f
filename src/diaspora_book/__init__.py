"""diaspora-book: encyclopedia articles in, print PDF, EPUB 3 and chapter handouts out."""

__version__ = "0.1.0"
