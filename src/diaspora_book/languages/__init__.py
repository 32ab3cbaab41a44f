"""Languages: the book's language and scripts, the message catalogues (labels), CSL
locales and collation."""
