"""Repairs to the structure tree of the tagged PDF WeasyPrint wrote: what is not text.

Running heads and folios are drawn as marked content whose structure elements
WeasyPrint leaves outside the tree (its comment says they could only be artifacts
in PDF 2.0; PDF 1.7 has /Artifact marked content too), and so are the contents'
dotted leaders, which `hooks.tagged_structure` leaves out of it.
`mark_furniture_as_artifacts()` finds the marked content whose structure element
cannot be reached from the root, turns it into an artifact (`/Pagination` for
running heads and folios, `/Layout` for leaders) and drops it from the parent
tree, so assistive technology skips "12 Kazakhstan's Diasporas" between two halves
of a sentence and the dots between a chapter's title and its page number, and the
tree holds only the text.

The languages of foreign runs are set while WeasyPrint builds the tree
(`hooks.tagged_structure`), the only place that knows which structure element
came from which HTML element.
"""

from __future__ import annotations

from typing import Any

import pikepdf
from pikepdf import Array, Dictionary, Name

from diaspora_book.render.pdf.hooks import ARTIFACT_KEY


def mark_furniture_as_artifacts(pdf: pikepdf.Pdf) -> int:
    """Turn marked content outside the structure tree into artifacts.

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
            mcid: _artifact_type(element)
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


def _artifact_type(element: Dictionary) -> Name:
    """Return the artifact type of an element left out of the tree (the hook marks leaders)."""
    marked = element.get(f"/{ARTIFACT_KEY}")
    return marked if isinstance(marked, Name) else Name.Pagination


def _rewrite_marked_content(pdf: pikepdf.Pdf, page: pikepdf.Page, mcids: dict[int, Name]) -> int:
    changed = 0
    instructions = []
    for instruction in pikepdf.parse_content_stream(page):
        operands, operator = instruction.operands, instruction.operator
        if operator == pikepdf.Operator("BDC") and len(operands) == 2:
            properties = operands[1]
            mcid = int(properties.get("/MCID", -1)) if isinstance(properties, Dictionary) else -1
            if mcid in mcids:
                instruction = pikepdf.ContentStreamInstruction(
                    [Name.Artifact, Dictionary(Type=mcids[mcid])], operator
                )
                changed += 1
        instructions.append(instruction)
    if changed:
        page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(instructions))
    return changed
