"""Allow `python -m diaspora_book`."""

from diaspora_book.cli import main

raise SystemExit(main())
