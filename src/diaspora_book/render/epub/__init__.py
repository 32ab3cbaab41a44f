"""The e-book: pandoc's EPUB 3 finished with the book's cover, fonts, pages and semantics."""
