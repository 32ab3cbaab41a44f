"""The command: `diaspora-book`, or `python -m diaspora_book`.

For a build, the press (`render.pdf.press`) is forked first, before the command
imports the package: it imports WeasyPrint on the spare core meanwhile.
"""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    """Run the command line (`cli.main`), the press forked first for a build."""
    from diaspora_book.render.pdf.press import press_ahead

    press_ahead(sys.argv[1:] if argv is None else argv)
    from diaspora_book.cli import main as command

    return command(argv)


if __name__ == "__main__":
    raise SystemExit(main())
