"""Certificate serial numbers people can read aloud, type, and check.

Alphabet: Crockford's base32 without `Z` (31 symbols: no I, L, O, U, Z, so nothing
looks or sounds like another). 31 is prime, so a weighted check symbol with distinct
non-zero weights (position 1..11) catches every single-symbol typo and every swap of
two neighbours, the check symbol included. Shown as `XXXX-XXXX-XXX`.

One generator for every caller: `serials_generate(count)` draws all the randomness of
a batch at once (the import asks for 10,000 at a time); `serial_generate()` is one.
"""

from __future__ import annotations

import secrets
import struct

from lms.kernel.digits import to_western_digits

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXY"
MODULUS = len(ALPHABET)  # 31, prime
BODY_LENGTH = 10
SERIAL_LENGTH = BODY_LENGTH + 1
_VALUES = {ch: i for i, ch in enumerate(ALPHABET)}
# What people type for what they read: O for zero, I/L for one.
_ALIASES = str.maketrans({"O": "0", "I": "1", "L": "1"})
_IGNORED = str.maketrans("", "", " -_.\u200e\u200f")
# The check symbol c makes sum(w_i * v_i) + w_11 * c == 0 (mod 31), w_i = i: for a
# body whose weighted sum is t, c = -t / 11 (mod 31).
_CHECK_FOR_SUM = [
    ALPHABET[(-t * pow(SERIAL_LENGTH, -1, MODULUS)) % MODULUS] for t in range(MODULUS)
]


class InvalidSerial(ValueError):
    """The text is not a well-formed serial (length, symbol or check symbol)."""


def _weighted_sum(symbols: str, *, first_weight: int = 1) -> int:
    return sum((first_weight + i) * _VALUES[ch] for i, ch in enumerate(symbols))


def _check_symbol(body: str) -> str:
    return _CHECK_FOR_SUM[_weighted_sum(body) % MODULUS]


_PAIRS = MODULUS * MODULUS
# For each of the body's five symbol pairs: every 2-symbol string with its share of
# the weighted sum at that position, so a serial is five look-ups and one addition.
_PAIR_TABLES = [
    [
        (pair, _weighted_sum(pair, first_weight=2 * p + 1))
        for pair in (
            ALPHABET[x % MODULUS] + ALPHABET[x // MODULUS] for x in range(_PAIRS)
        )
    ]
    for p in range(BODY_LENGTH // 2)
]


def serials_generate(count: int) -> list[str]:
    """`count` fresh random serials (compact form): one OS random draw for all.

    64 random bits give the five symbol pairs of one serial (31^10 < 2^50, so the
    spread is even to within 2^-14)."""
    t0, t1, t2, t3, t4 = _PAIR_TABLES
    pairs, check = _PAIRS, _CHECK_FOR_SUM
    out = []
    for number in struct.unpack(f">{count}Q", secrets.token_bytes(8 * count)):
        number, a = divmod(number, pairs)
        number, b = divmod(number, pairs)
        number, c = divmod(number, pairs)
        number, d = divmod(number, pairs)
        sa, wa = t0[a]
        sb, wb = t1[b]
        sc, wc = t2[c]
        sd, wd = t3[d]
        se, we = t4[number % pairs]
        out.append(f"{sa}{sb}{sc}{sd}{se}{check[(wa + wb + wc + wd + we) % MODULUS]}")
    return out


def serial_generate() -> str:
    """A fresh random serial (compact form, no dashes)."""
    return serials_generate(1)[0]


def serial_normalize(text: str) -> str:
    """Upper-case, drop separators, map look-alikes; raise InvalidSerial if wrong."""
    western = to_western_digits(text or "")
    compact = western.upper().translate(_IGNORED).translate(_ALIASES)
    if len(compact) != SERIAL_LENGTH or any(ch not in _VALUES for ch in compact):
        raise InvalidSerial(text)
    if _check_symbol(compact[:-1]) != compact[-1]:
        raise InvalidSerial(text)
    return compact


def serial_is_valid(text: str) -> bool:
    try:
        serial_normalize(text)
    except InvalidSerial:
        return False
    return True


def serial_display(compact: str) -> str:
    """`ABCD-EFGH-JKM`: groups of four to read aloud."""
    return "-".join(compact[i : i + 4] for i in range(0, len(compact), 4))
