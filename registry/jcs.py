"""JSON Canonicalization Scheme (RFC 8785), the canonical form eddsa-jcs-2022 hashes.

Written from the RFC: object members sorted by their names' UTF-16 code units,
strings with the minimal escapes of ECMAScript's JSON.stringify, numbers as
ECMAScript's Number.prototype.toString writes an IEEE 754 double (shortest digits
that read back the same value; exponent form outside 1e-7 .. 1e21), no whitespace,
UTF-8. `json.dumps(sort_keys=True)` agrees only while every value is a string: it
sorts by code point, writes 1e-07 / 1e+21 / 100.0, and accepts NaN.

Tested with the RFC's own vectors and against two canonicalisers nobody here wrote
(Node's `canonicalize`, used by Digital Bazaar's cryptosuite, and Trail of Bits'
`rfc8785` in the Python check): tests/registry/test_credential_jcs.py.
"""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

_SHORT_ESCAPES = {
    0x08: "\\b",
    0x09: "\\t",
    0x0A: "\\n",
    0x0C: "\\f",
    0x0D: "\\r",
    0x22: '\\"',
    0x5C: "\\\\",
}
MAX_SAFE_INTEGER = 2**53


class CanonicalizationError(ValueError):
    """A value JSON (or I-JSON, RFC 7493) cannot carry exactly."""


def _string(text: str) -> str:
    out = ['"']
    for ch in text:
        code = ord(ch)
        if code in _SHORT_ESCAPES:
            out.append(_SHORT_ESCAPES[code])
        elif code < 0x20:
            out.append(f"\\u{code:04x}")
        elif 0xD800 <= code <= 0xDFFF:
            raise CanonicalizationError("a lone UTF-16 surrogate is not I-JSON")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def _number(value: float) -> str:
    """ECMAScript Number::toString (ECMA-262, 7.1.12.1) of a double."""
    if math.isnan(value) or math.isinf(value):
        raise CanonicalizationError("NaN and Infinity are not JSON numbers")
    if value == 0:
        return "0"  # also -0
    sign = "-" if value < 0 else ""
    # repr() gives the shortest digit string that reads back as the same double.
    _, digit_tuple, exponent = Decimal(repr(abs(value))).as_tuple()
    digits = "".join(map(str, digit_tuple)).rstrip("0")
    exponent += len("".join(map(str, digit_tuple))) - len(digits)
    k = len(digits)
    n = exponent + k  # value = 0.d1d2...dk × 10^n
    if k <= n <= 21:
        body = digits + "0" * (n - k)
    elif 0 < n <= 21:
        body = digits[:n] + "." + digits[n:]
    elif -6 < n <= 0:
        body = "0." + "0" * (-n) + digits
    else:
        e = n - 1
        mantissa = digits if k == 1 else digits[0] + "." + digits[1:]
        body = f"{mantissa}e{'+' if e >= 0 else '-'}{abs(e)}"
    return sign + body


def _serialize(value: Any, out: list[str]) -> None:
    if value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, str):
        out.append(_string(value))
    elif isinstance(value, int):
        if abs(value) > MAX_SAFE_INTEGER:
            raise CanonicalizationError("an integer beyond 2^53 loses precision")
        out.append(_number(float(value)))
    elif isinstance(value, float):
        out.append(_number(value))
    elif isinstance(value, dict):
        for name in value:
            if not isinstance(name, str):
                raise CanonicalizationError("object member names must be strings")
        out.append("{")
        for i, name in enumerate(sorted(value, key=lambda s: s.encode("utf-16-be"))):
            if i:
                out.append(",")
            out.append(_string(name))
            out.append(":")
            _serialize(value[name], out)
        out.append("}")
    elif isinstance(value, list | tuple):
        out.append("[")
        for i, item in enumerate(value):
            if i:
                out.append(",")
            _serialize(item, out)
        out.append("]")
    else:
        raise CanonicalizationError(f"{type(value).__name__} is not a JSON value")


def canonicalize(value: Any) -> bytes:
    """The RFC 8785 canonical UTF-8 bytes of a JSON value."""
    out: list[str] = []
    _serialize(value, out)
    return "".join(out).encode("utf-8")
