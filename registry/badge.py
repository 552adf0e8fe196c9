"""Open Badges 3.0 baking: the signed credential inside a PNG badge image.

OB 3.0 section "Baking": an iTXt chunk with the keyword `openbadgecredential`, no
compression, no language tag or translated keyword, whose text is the credential's
JSON; a PNG carries one such chunk. The picture is drawn here (the ministry's
colours, a laurel-like ring and a check mark): no text, so no font shaping.
"""

from __future__ import annotations

import io
import json
import zlib
from typing import Any

from PIL import Image, ImageDraw
from PIL.PngImagePlugin import PngInfo

BAKING_KEYWORD = "openbadgecredential"
SIZE = 512
GREEN = (11, 102, 72, 255)
GOLD = (201, 162, 39, 255)


def _picture() -> Image.Image:
    image = Image.new("RGBA", (SIZE, SIZE), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((8, 8, SIZE - 8, SIZE - 8), fill=GREEN)
    draw.ellipse((36, 36, SIZE - 36, SIZE - 36), outline=GOLD, width=14)
    draw.ellipse((76, 76, SIZE - 76, SIZE - 76), fill=(255, 255, 255, 255))
    draw.line([(160, 262), (232, 334), (360, 190)], fill=GREEN, width=36, joint="curve")
    return image


def badge_png(credential: dict[str, Any]) -> bytes:
    """A PNG badge with the credential baked in (one iTXt `openbadgecredential`)."""
    info = PngInfo()
    info.add_itxt(
        BAKING_KEYWORD,
        json.dumps(credential, ensure_ascii=False, separators=(",", ":")),
        lang="",
        tkey="",
        zip=False,
    )
    out = io.BytesIO()
    _picture().save(out, format="PNG", pnginfo=info, optimize=True)
    return out.getvalue()


def png_chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    """(type, data) of every chunk of a PNG, CRCs checked (for unbaking)."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    chunks, pos = [], 8
    while pos < len(data):
        length = int.from_bytes(data[pos : pos + 4], "big")
        kind = data[pos + 4 : pos + 8]
        body = data[pos + 8 : pos + 8 + length]
        crc = int.from_bytes(data[pos + 8 + length : pos + 12 + length], "big")
        if zlib.crc32(kind + body) != crc:
            raise ValueError("bad chunk CRC")
        chunks.append((kind, body))
        pos += 12 + length
    return chunks


def baked_credential(data: bytes) -> dict[str, Any] | None:
    """The credential baked into a PNG (OB 3.0 unbaking), or None."""
    for kind, body in png_chunks(data):
        if kind != b"iTXt":
            continue
        keyword, _, rest = body.partition(b"\0")
        if keyword.decode("latin-1") != BAKING_KEYWORD:
            continue
        flag, method = rest[0], rest[1]
        lang, _, rest = rest[2:].partition(b"\0")
        _tkey, _, text = rest.partition(b"\0")
        if flag:
            if method:
                raise ValueError("unknown iTXt compression")
            text = zlib.decompress(text)
        return json.loads(text.decode("utf-8"))
    return None
