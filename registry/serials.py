"""Certificate serial numbers people can read aloud, type, and check.

Alphabet: Crockford's base32 without `Z` (31 symbols: no I, L, O, U, Z, so nothing
looks or sounds like another). 31 is prime, so a weighted check symbol with distinct
non-zero weights (position 1..11) catches every single-symbol typo and every swap of
two neighbours, the check symbol included. Shown as `XXXX-XXXX-XXX`.
"""

from __future__ import annotations

import secrets

from lms.kernel.digits import to_western_digits

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXY"
MODULUS = len(ALPHABET)  # 31, prime
BODY_LENGTH = 10
SERIAL_LENGTH = BODY_LENGTH + 1
_VALUES = {ch: i for i, ch in enumerate(ALPHABET)}
# What people type for what they read: O for zero, I/L for one.
_ALIASES = str.maketrans({"O": "0", "I": "1", "L": "1"})
_IGNORED = str.maketrans("", "", " -_.\u200e\u200f")


class InvalidSerial(ValueError):
    """The text is not a well-formed serial (length, symbol or check symbol)."""


def _check_symbol(body: str) -> str:
    # Choose c so that sum(w_i * v_i) + w_{n+1} * c == 0 (mod 31).
    total = sum((i + 1) * _VALUES[ch] for i, ch in enumerate(body))
    weight = len(body) + 1
    inverse = pow(weight, -1, MODULUS)
    return ALPHABET[(-total * inverse) % MODULUS]


def serial_generate() -> str:
    """A fresh random serial (compact form, no dashes)."""
    body = "".join(secrets.choice(ALPHABET) for _ in range(BODY_LENGTH))
    return body + _check_symbol(body)


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
