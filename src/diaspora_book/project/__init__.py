"""The book project's own files: book.yml and its values, reads kept inside the
project, stylesheets, fonts, media, licences and the chapters' order."""
