"""Reading article bytes: encodings, line ends and control characters."""

import pytest

from diaspora_book.plumbing.errors import BookError
from diaspora_book.plumbing.strict_text import decode


def test_bom_and_crlf_are_accepted():
    assert decode("\ufeff= T =\r\nline\rnext\n".encode(), "a.txt") == "= T =\nline\nnext\n"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"= T =\nfine\nbad \xff here", "a.txt:3:5: error: bytes that are not UTF-8 (ff)"),
        (b"= T =\n\xc3", "a.txt:2: error: bytes that are not UTF-8 (c3)"),
        (b"= T =\nbell\x07", "a.txt:2:5: error: control character U+0007 in the text"),
        ("= T =\nc1 \x85 x".encode(), "a.txt:2:4: error: control character U+0085 in the text"),
        ("= T =".encode("utf-16"), "a.txt:1: error: file is UTF-16, not UTF-8"),
    ],
)
def test_bad_bytes_name_the_place(data, message):
    with pytest.raises(BookError) as raised:
        decode(data, "a.txt")
    assert str(raised.value).startswith(message)


def test_tabs_and_non_latin_text_pass_unchanged():
    text = "= T =\ncol\tcol ئۇيغۇر 哈萨克 Qazaqstandağy\n"
    assert decode(text.encode(), "a.txt") == text
