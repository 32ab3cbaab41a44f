"""The EPUB's font subsets kept between builds: the same bytes, without subsetting again."""

from __future__ import annotations

import pytest

from diaspora_book.project.fonts import installed_font
from diaspora_book.render.epub import fonts
from diaspora_book.render.epub.fonts import SubsetCache, subset_font

UYGHUR = set("ئۇيغۇرلار قازاقىستاندا")


@pytest.fixture
def naskh():
    font = installed_font("Noto Naskh Arabic", "regular")
    if font is None:
        pytest.skip("Noto Naskh Arabic is not installed; run scripts/setup.sh")
    return font


def test_a_kept_subset_is_the_same_bytes_and_is_not_made_again(naskh, tmp_path, monkeypatch):
    cache = SubsetCache(tmp_path / "fonts")
    made = cache.subset(naskh, UYGHUR)
    assert made == subset_font(naskh, UYGHUR)

    def never(*args):
        raise AssertionError("subset again")

    monkeypatch.setattr(fonts, "subset_font", never)
    assert cache.subset(naskh, UYGHUR) == made
    with pytest.raises(AssertionError, match="subset again"):
        cache.subset(naskh, UYGHUR | {"ې"})  # other characters: another subset
    with pytest.raises(AssertionError, match="subset again"):
        SubsetCache(tmp_path / "fonts", reuse=False).subset(naskh, UYGHUR)  # --no-cache


def test_a_damaged_subset_is_made_again(naskh, tmp_path):
    cache = SubsetCache(tmp_path / "fonts")
    made = cache.subset(naskh, UYGHUR)
    for kept in (tmp_path / "fonts").glob("*.font"):
        kept.write_bytes(kept.read_bytes()[:100])
    assert cache.subset(naskh, UYGHUR) == made
    assert [p.read_bytes() for p in (tmp_path / "fonts").glob("*.font")] == [made[0]]
