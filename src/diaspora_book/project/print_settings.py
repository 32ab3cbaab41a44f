"""book.yml `print:`: which print shop the print edition is for, on which paper.

```yaml
print:
  shop: kdp          # kdp | ingramspark | lulu | marks (3 mm bleed and crop marks)
  paper: white       # white | cream | color
  binding: paperback
```

Every value is checked here, each error at its `book.yml:line`; what a shop asks of
the files is in `render/print_shop/shops.py`.
"""

from __future__ import annotations

from dataclasses import dataclass

from diaspora_book.model import SourceSpan
from diaspora_book.plumbing.errors import BookError, did_you_mean
from diaspora_book.plumbing.yamlfile import MappingNode, Node, ScalarNode

SHOP_NAMES = ("kdp", "ingramspark", "lulu", "marks")  # marks: 3 mm bleed and crop marks
PAPERS = ("white", "cream", "color")
BINDINGS = ("paperback",)
_CHOICES = {"shop": SHOP_NAMES, "paper": PAPERS, "binding": BINDINGS}


@dataclass(frozen=True)
class PrintSettings:
    """What book.yml `print:` says, with its defaults."""

    shop: str = "marks"
    paper: str = "white"
    binding: str = "paperback"


def read_print_settings(node: Node, shown: str) -> PrintSettings:
    """Read `print:`; an unknown key or value is an error at its line with the choices."""
    if not isinstance(node, MappingNode):
        raise BookError(
            "'print' must be a mapping with shop, paper and binding", _span(shown, node)
        )
    values: dict[str, str] = {}
    for key_node, value_node in node.value:
        key = str(key_node.value)
        if key not in _CHOICES:
            hint = did_you_mean(key, _CHOICES, "keys: shop, paper, binding")
            raise BookError(f"unknown key '{key}' in 'print'", _span(shown, key_node), hint)
        value = str(value_node.value) if isinstance(value_node, ScalarNode) else None
        if value not in _CHOICES[key]:
            raise BookError(
                f"print {key} {value!r} is not known",
                _span(shown, value_node),
                "use one of " + ", ".join(_CHOICES[key]),
            )
        values[key] = value
    return PrintSettings(**values)


def _span(shown: str, node: Node) -> SourceSpan:
    return SourceSpan(shown, node.start_mark.line + 1, node.start_mark.column + 1)
