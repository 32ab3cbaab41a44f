"""Two repairs to the structure tree WeasyPrint writes for a tagged PDF.

1. Language. WeasyPrint puts the book's language on the catalog (/Lang) but drops
   the `lang` of every element below it, so a screen reader would read a Uyghur or
   Chinese run with an English voice. The only place that knows which structure
   element came from which HTML element is WeasyPrint's tree builder, so
   `element_languages()` wraps it (`weasyprint.pdf.tags._build_box_tree`, which
   calls itself through the module) while the PDF is written and copies an
   element's own `lang` to /Lang on the structure elements built for it. That is a
   private function: if a WeasyPrint release renames it the wrapper reports that it
   could not apply, `write_pdf` turns this into a warning, and the tests (which
   look for /Lang on the Uyghur and Chinese runs) fail.

2. Page furniture. Running heads and folios are drawn as marked content whose
   structure elements WeasyPrint leaves outside the tree (its comment says they
   could only be artifacts in PDF 2.0; PDF 1.7 has /Artifact marked content too).
   `mark_furniture_as_artifacts()` finds the marked content whose structure element
   cannot be reached from the root, turns it into `/Artifact <</Type /Pagination>>`
   and drops it from the parent tree, so assistive technology skips "12 Kazakhstan's
   Diasporas" between two halves of a sentence, and the tree holds only the text.
"""

from __future__ import annotations

from typing import Any

import pikepdf
from pikepdf import Array, Dictionary, Name


def mark_furniture_as_artifacts(pdf: pikepdf.Pdf) -> int:
    """Turn marked content outside the structure tree into pagination artifacts.

    Returns the number of marked-content sequences changed.
    """
    root = pdf.Root.get("/StructTreeRoot")
    if not isinstance(root, Dictionary):
        return 0
    reachable = _reachable_elements(root)
    parent_tree = _parent_tree_arrays(root)
    changed = 0
    for page in pdf.pages:
        number = page.obj.get("/StructParents")
        mapping = parent_tree.get(int(number)) if number is not None else None
        if mapping is None:
            continue
        orphans = {
            mcid
            for mcid, element in enumerate(mapping)
            if isinstance(element, Dictionary) and element.objgen not in reachable
        }
        if not orphans:
            continue
        changed += _rewrite_marked_content(pdf, page, orphans)
        for mcid in orphans:
            mapping[mcid] = None
        # Trailing orphans (the usual case: margin boxes are painted last) can go.
        while len(mapping) and mapping[len(mapping) - 1] is None:
            del mapping[len(mapping) - 1]
    return changed


def _reachable_elements(root: Dictionary) -> set[tuple[int, int]]:
    found: set[tuple[int, int]] = set()
    stack = [root.get("/K")]
    while stack:
        kid = stack.pop()
        if isinstance(kid, Array):
            stack.extend(kid)
        elif isinstance(kid, Dictionary) and "/S" in kid:
            if kid.objgen in found:
                continue
            found.add(kid.objgen)
            stack.append(kid.get("/K"))
    return found


def parent_tree_entries(root: Dictionary) -> dict[int, Any]:
    """Return the parent tree's entries by key: a page's array (MCID -> structure
    element) or the structure element of an annotation such as a link."""
    entries: dict[int, Any] = {}
    stack = [root.get("/ParentTree")]
    while stack:
        node = stack.pop()
        if not isinstance(node, Dictionary):
            continue
        stack.extend(node.get("/Kids", []))
        nums: Any = node.get("/Nums", [])
        for i in range(0, len(nums) - 1, 2):
            entries[int(nums[i])] = nums[i + 1]
    return entries


def _parent_tree_arrays(root: Dictionary) -> dict[int, Array]:
    """Return the parent tree's per-page arrays (MCID -> structure element), by key."""
    return {k: v for k, v in parent_tree_entries(root).items() if isinstance(v, Array)}


def _rewrite_marked_content(pdf: pikepdf.Pdf, page: pikepdf.Page, mcids: set[int]) -> int:
    changed = 0
    instructions = []
    for instruction in pikepdf.parse_content_stream(page):
        operands, operator = instruction.operands, instruction.operator
        if operator == pikepdf.Operator("BDC") and len(operands) == 2:
            properties = operands[1]
            if isinstance(properties, Dictionary) and int(properties.get("/MCID", -1)) in mcids:
                instruction = pikepdf.ContentStreamInstruction(
                    [Name.Artifact, Dictionary(Type=Name.Pagination)], operator
                )
                changed += 1
        instructions.append(instruction)
    if changed:
        page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(instructions))
    return changed
