"""Spliced gzip answers (lms/kernel/spliced_gzip.py) inflate, with any gzip reader,
to the parts joined by the token."""

from __future__ import annotations

import gzip
import shutil
import subprocess
import zlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lms.kernel.spliced_gzip import deflate_parts, spliced

text = st.binary(max_size=3000).map(lambda b: b.replace(b"\x00", b"a"))


@given(
    parts=st.lists(text, min_size=1, max_size=5),
    joint=st.binary(min_size=8, max_size=8),
)
def test_the_spliced_member_is_the_joined_text(parts, joint):
    joint = joint.replace(b"\x00", b"b")
    deflated = deflate_parts(parts, len(joint))
    assert gzip.decompress(spliced(parts, deflated, joint)) == joint.join(parts)


def test_repetition_across_the_joints_still_compresses():
    page = b"<p>" + "لوحة القياس ".encode() * 400 + b"</p>"
    parts = [page, page, page]
    deflated = deflate_parts(parts, 64)
    answer = spliced(parts, deflated, b"T" * 64)
    assert len(answer) < len(gzip.compress(page)) + 200


def test_a_part_holding_a_nul_byte_is_refused():
    assert deflate_parts([b"a\x00b", b"c"], 64) is None


@pytest.mark.skipif(not shutil.which("gzip"), reason="needs the gzip program")
def test_gzip_itself_reads_the_answer(tmp_path):
    parts = [b"x" * 5000, b"y" * 70, b"<form>" * 30]
    answer = tmp_path / "answer.gz"
    answer.write_bytes(spliced(parts, deflate_parts(parts, 64), b"Q" * 64))
    out = subprocess.run(["gzip", "-dc", str(answer)], capture_output=True, check=True)
    assert out.stdout == (b"Q" * 64).join(parts)
    assert zlib.crc32(out.stdout) == int.from_bytes(
        answer.read_bytes()[-8:-4], "little"
    )
