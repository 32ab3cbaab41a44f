"""Assemble: chapters + book.yml -> one manuscript (Jinja2), with the front and back
matter (glossary, index, sources and licences)."""
