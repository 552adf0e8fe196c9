"""JSON Canonicalization Scheme (RFC 8785), the canonical form eddsa-jcs-2022 hashes:
Trail of Bits' `rfc8785` (requirements.lock).

Object members sorted by their names' UTF-16 code units, strings with the minimal
escapes of ECMAScript's JSON.stringify, numbers as ECMAScript writes an IEEE 754
double, no whitespace, UTF-8. `json.dumps(sort_keys=True)`, used before, agrees only
while every value is a string: it sorts by code point, writes 1e-07 / 1e+21 / 100.0,
and accepts NaN. tests/registry/test_credential_jcs.py checks the RFC's vectors and
agreement with Node's `canonicalize` (what Digital Bazaar's cryptosuite uses).
"""

from __future__ import annotations

from typing import Any

import rfc8785

CanonicalizationError = rfc8785.CanonicalizationError


def canonicalize(value: Any) -> bytes:
    """The RFC 8785 canonical UTF-8 bytes of a JSON value; CanonicalizationError (a
    ValueError) for what I-JSON cannot carry exactly (NaN, Infinity, integers beyond
    2^53, lone surrogates, non-string member names)."""
    return rfc8785.dumps(value)
