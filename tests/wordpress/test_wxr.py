"""The streaming WXR reader on its own."""

import pytest

from newsroom.wordpress.wxr import WXRAuthor, WXRError, WXRItem, WXRReader
from tests.conftest import shared_file

from .build import comment, export, post


def items(path):
    return [record for record in WXRReader(path) if isinstance(record, WXRItem)]


def test_serialized_comment_meta_is_kept_byte_for_byte():
    (item,) = items(shared_file("wxr", "test-serialized-comment-meta.xml"))

    meta = item.comments[0].meta
    assert meta == {"string": "¯\\_(ツ)_/¯", "array": 'a:1:{s:3:"key";s:13:"¯\\_(ツ)_/¯";}'}


def test_author_logins_spread_over_lines_are_trimmed():
    path = shared_file("wxr", "authors-multiline.xml")

    logins = [r.login for r in WXRReader(path) if isinstance(r, WXRAuthor)]

    assert logins == ["alice", "bob", "carol"]


@pytest.mark.parametrize("version", ["1.0", "1.1", "1.2"])
def test_every_wxr_version_is_read_alike(tmp_path, version):
    path = export(
        tmp_path / "v.xml",
        [post(3, "Hello", tags=[("t", "T")], comments=[comment(9, "Hi", parent=0)])],
        version=version,
    )

    (item,) = items(path)

    assert (item.post_id, item.title, item.status, item.post_type) == (
        3,
        "Hello",
        "publish",
        "post",
    )
    assert [(t.domain, t.slug) for t in item.terms] == [("category", "news"), ("post_tag", "t")]
    assert item.comments[0].content == "Hi"


def test_wxr_1_0_tag_domain_is_read_as_post_tag():
    (alpha,) = [i for i in items(shared_file("wxr", "valid-wxr-1.0.xml")) if i.post_id == 4]

    assert ("post_tag", "news") in [(t.domain, t.slug) for t in alpha.terms]


def test_an_empty_file_is_refused_clearly(tmp_path):
    path = tmp_path / "empty.xml"
    path.write_bytes(b"")

    with pytest.raises(WXRError, match="the file is empty"):
        items(path)


def test_a_document_that_is_not_rss_is_refused(tmp_path):
    path = tmp_path / "atom.xml"
    path.write_text('<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"/>')

    with pytest.raises(WXRError, match="not a WordPress export"):
        items(path)
