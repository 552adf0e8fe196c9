"""A kept page gzipped once, answered with a fresh token spliced in (issue 19).

A kept signed-in page differs from one answer to the next only by its CSRF tokens
(masked afresh for each answer, as BREACH asks), all of one length. Compressing the
whole page again for every answer cost a fifth of its CPU. Here the parts between
the tokens are compressed once, each as raw DEFLATE blocks (RFC 1951) that end on a
byte boundary (a sync flush), so an answer is the parts and the token's few bytes
laid end to end in one gzip member (RFC 1952 header, CRC-32 and size), which any
gzip reader inflates as one stream.

Each part is compressed with what precedes it as its preset dictionary, the tokens'
places in it filled with NUL bytes: a part may then refer back to earlier text (the
page compresses as well as in one piece), and never into a token, because the
parts hold no NUL byte (`deflate_parts` refuses a page that does). The distances
stay right because every token has the length the places were filled with.
tests/courses/test_personal_pages.py inflates spliced answers with Python's gzip.
"""

from __future__ import annotations

import struct
import zlib

# RFC 1952: magic, CM=8 (deflate), no flags, MTIME=0, XFL=0, OS=255 (unknown), as
# Django's compress_string writes it
_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"
_LAST = b"\x03\x00"  # an empty final block (fixed Huffman codes, end of block)
_WINDOW = 32768


def _deflate(data: bytes, level: int, dictionary: bytes = b"") -> bytes:
    """Raw DEFLATE blocks of `data`, not final, ending on a byte boundary."""
    if dictionary:
        compressor = zlib.compressobj(
            level, zlib.DEFLATED, -zlib.MAX_WBITS, zdict=dictionary[-_WINDOW:]
        )
    else:
        compressor = zlib.compressobj(level, zlib.DEFLATED, -zlib.MAX_WBITS)
    return compressor.compress(data) + compressor.flush(zlib.Z_SYNC_FLUSH)


def deflate_parts(parts: list[bytes], joint_length: int) -> list[bytes] | None:
    """The parts compressed for `spliced` with joints of `joint_length` bytes
    between them; None when a part holds a NUL byte (then gzip the whole answer)."""
    if any(b"\x00" in part for part in parts):
        return None
    deflated, before = [], b""
    for part in parts:
        deflated.append(_deflate(part, 6, before))
        before = (before + part + b"\x00" * joint_length)[-_WINDOW:]
    return deflated


def spliced(parts: list[bytes], deflated: list[bytes], joint: bytes) -> bytes:
    """The gzip member of `joint.join(parts)`, from `deflate_parts(parts,
    len(joint))`."""
    crc, size = 0, 0
    out = [_HEADER]
    deflated_joint = _deflate(joint, 1) if len(parts) > 1 else b""
    for index, (part, packed) in enumerate(zip(parts, deflated, strict=True)):
        if index:
            out.append(deflated_joint)
            crc, size = zlib.crc32(joint, crc), size + len(joint)
        out.append(packed)
        crc, size = zlib.crc32(part, crc), size + len(part)
    out.append(_LAST)
    out.append(struct.pack("<II", crc, size & 0xFFFFFFFF))
    return b"".join(out)
