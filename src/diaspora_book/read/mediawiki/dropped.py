"""What a dropped template leaves behind: `()`, `(, )`, `, ,`, a space before a comma.

A template that prints nothing here (a pronunciation, a colour box, a flag icon, a
seat count) often stood between punctuation the article wrote around it: `Germany
({{IPA-de|...}})`, `(Bundesrepublik Deutschland, {{IPA|...}})`, `{{flagicon|X}}, {{flagicon|Y}}`.
The reader marks where each such template was (`DROP`, a private-use character in the
block's text while it is built) and, when the block is finished, removes the
punctuation and spaces around those marks that no longer separate anything. Only
spaces, commas, semicolons and brackets next to a mark are removed: never a word,
and never punctuation the article wrote elsewhere (`the comma (,) is the separator`).
"""

from __future__ import annotations

import re

DROP = "\ue000"  # where a template printed nothing (never left in a block's text)
_SEP = ",;،、，"
_SPAN = rf"[\s{DROP}]*{DROP}[\s{DROP}]*"  # spaces and marks, at least one mark
_RULES = (
    # "Germany (S)", "X (S, S)": the brackets and what is inside, with the space before.
    re.compile(rf"\s?[(（](?=[^()（）]*{DROP})[\s{DROP}{_SEP}]*[)）]"),
    # "(S, Deutsch" -> "(Deutsch"; "(Deutsch, S)" -> "(Deutsch)"
    re.compile(rf"(?<=[(（]){_SPAN}[{_SEP}]\s*"),
    re.compile(rf"\s*[{_SEP}]{_SPAN}(?=[)）])"),
    # "X, S, Y" -> "X, Y"; "X, S." -> "X."
    re.compile(rf"[{_SEP}]{_SPAN}(?=[{_SEP}.。])"),
    # at the start or the end of the block
    re.compile(rf"^{_SPAN}[{_SEP}.]\s*"),
    re.compile(rf"\s*[{_SEP}]{_SPAN}$"),
    # "London S, is" -> "London, is"
    re.compile(rf"\s+{_SPAN}(?=[{_SEP}.:)）。])"),
)
_REMOVABLE = set(f" \t\n{DROP}{_SEP}()（）")


def removals(text: str) -> set[int]:
    """The indexes of `text` to delete: the marks and what they left behind."""
    if DROP not in text:
        return set()
    gone: set[int] = set()
    for _ in range(3):  # a removal can make the next one visible: "(S, S)" in "X (S, S), Y"
        before = len(gone)
        shown = "".join("\x00" if i in gone else c for i, c in enumerate(text))
        view = shown.replace("\x00", "")
        index = [i for i, c in enumerate(shown) if c != "\x00"]  # view -> text
        for rule in _RULES:
            for found in rule.finditer(view):
                for at in range(found.start(), found.end()):
                    if text[index[at]] in _REMOVABLE:
                        gone.add(index[at])
        if len(gone) == before:
            break
    gone.update(i for i, c in enumerate(text) if c == DROP)
    # Two spaces the marks stood between become one.
    kept = [i for i in range(len(text)) if i not in gone]
    for previous, current in zip(kept, kept[1:], strict=False):
        if text[previous] == " " and text[current] == " ":
            gone.add(current)
    return gone


def emptied(text: str) -> bool:
    """Whether a list item lost everything that said something: no letter is left
    (`1993: , ,`, `.`) once the templates in it printed nothing."""
    return not any(c.isalpha() for c in text)
