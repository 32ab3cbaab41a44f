"""Sort keys for glossary and index entries, as a reader of the book expects them.

A simplified Unicode Collation: letters with diacritics sort with their base letter
(ä, ö, ü, ğ, ū, ǎ after a, o, u, g, u, a with only the accent breaking a tie), case
comes third, and spaces and punctuation do not count at first. Letters that Unicode
does not decompose (ı, ø, ł, æ, ß ...) get their usual base letters.
"""

from __future__ import annotations

import unicodedata

_BASE = str.maketrans(
    {
        "ı": "i",
        "ø": "o",
        "ł": "l",
        "đ": "d",
        "ð": "d",
        "ħ": "h",
        "ŧ": "t",
        "ŋ": "n",
        "ə": "e",
        "ɨ": "i",
        "æ": "ae",
        "œ": "oe",
        "ß": "ss",
        "þ": "th",
        "\u2019": "'",
    }
)


def collation_key(text: str) -> tuple[str, str, str, str]:
    """Return a sort key: base letters, then accents, then case, then the text itself."""
    decomposed = unicodedata.normalize("NFD", text.casefold().translate(_BASE))
    letters = "".join(c for c in decomposed if not unicodedata.combining(c))
    primary = "".join(c for c in letters if c.isalnum())
    with_spaces = "".join(c for c in letters if c.isalnum() or c.isspace())
    accents = unicodedata.normalize("NFD", text.casefold())
    # Lower case before upper case, as in the Unicode default (tertiary) order.
    case = "".join("1" if c.isupper() else "0" for c in text if c.isalpha())
    return (primary or letters, with_spaces + "\x00" + accents, case, text)


def initial(text: str) -> str:
    """Return the letter an entry is filed under in the index ("Ü" -> "U")."""
    key = collation_key(text)[0]
    return key[:1].upper() if key else "#"
