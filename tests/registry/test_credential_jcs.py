"""RFC 8785 (JCS), the canonical form eddsa-jcs-2022 signs (Trail of Bits' `rfc8785`):
the RFC's own vectors, and agreement with Node's `canonicalize`, which Digital
Bazaar's cryptosuite uses."""

from __future__ import annotations

import json
import math
import random
import struct
import subprocess

import pytest

from registry.jcs import CanonicalizationError, canonicalize
from tests.registry.verifiers.harness import NODE_DIR, node_ready

# RFC 8785 appendix B: IEEE 754 bit patterns and their ECMAScript serialisation
NUMBERS = {
    "0000000000000000": "0",
    "8000000000000000": "0",
    "0000000000000001": "5e-324",
    "8000000000000001": "-5e-324",
    "7fefffffffffffff": "1.7976931348623157e+308",
    "ffefffffffffffff": "-1.7976931348623157e+308",
    "4340000000000000": "9007199254740992",
    "c340000000000000": "-9007199254740992",
    "4430000000000000": "295147905179352830000",
    "44b52d02c7e14af5": "9.999999999999997e+22",
    "44b52d02c7e14af6": "1e+23",
    "44b52d02c7e14af7": "1.0000000000000001e+23",
    "444b1ae4d6e2ef4e": "999999999999999700000",
    "444b1ae4d6e2ef4f": "999999999999999900000",
    "444b1ae4d6e2ef50": "1e+21",
    "3eb0c6f7a0b5ed8c": "9.999999999999997e-7",
    "3eb0c6f7a0b5ed8d": "0.000001",
    "41b3de4355555553": "333333333.3333332",
    "41b3de4355555554": "333333333.33333325",
    "41b3de4355555555": "333333333.3333333",
    "41b3de4355555556": "333333333.3333334",
    "41b3de4355555557": "333333333.33333343",
    "becbf647612f3696": "-0.0000033333333333333333",
    "43143ff3c1cb0959": "1424953923781206.2",
}


@pytest.mark.parametrize("bits, expected", NUMBERS.items())
def test_rfc8785_number_vectors(bits, expected):
    value = struct.unpack(">d", bytes.fromhex(bits))[0]
    assert canonicalize(value).decode() == expected


def test_rfc8785_section_3_2_2_example():
    value = {
        "numbers": [
            333333333.33333329,
            1e30,
            4.50,
            2e-3,
            0.000000000000000000000000001,
        ],
        "string": "\u20ac$\u000f\u000aA'\u0042\u0022\u005c\\\"/",
        "literals": [None, True, False],
    }
    assert canonicalize(value).decode() == (
        '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,'
        '1e-27],"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}'
    )


def test_rfc8785_sorting_by_utf16_code_units():
    value = {
        "\u20ac": "Euro Sign",
        "\r": "Carriage Return",
        "\ufb33": "Hebrew Letter Dalet With Dagesh",
        "1": "One",
        "\U0001f600": "Emoji: Grinning Face",
        "\u0080": "Control",
        "\u00f6": "Latin Small Letter O With Diaeresis",
    }
    keys = list(json.loads(canonicalize(value)))
    assert keys == ["\r", "1", "\u0080", "\u00f6", "\u20ac", "\U0001f600", "\ufb33"]


def test_json_dumps_sort_keys_was_not_jcs():
    """The defect: json.dumps(sort_keys) differs as soon as a value is a number or
    a key sorts differently in UTF-16."""
    value = {"n": 1e-7, "\U0001f600": 1, "\ufb33": 2, "f": 100.0}
    old = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert canonicalize(value).decode() != old


@pytest.mark.parametrize("bad", [math.nan, math.inf, 2**60, "\ud800", {1: "a"}])
def test_values_jcs_cannot_carry_are_refused(bad):
    with pytest.raises(CanonicalizationError):
        canonicalize(bad if not isinstance(bad, str) else {"s": bad})


def _samples(count: int = 300) -> list:
    rng = random.Random(18)
    alphabet = 'aZ09 "\\/\n\t\u0001\u007f\u0080é€ماهر\U0001f600\ufb33'
    out = []
    for _ in range(count):
        number = struct.unpack(">d", rng.getrandbits(64).to_bytes(8, "big"))[0]
        if math.isnan(number) or math.isinf(number):
            number = 0.5
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 8)))
        out.append(
            {
                text: number,
                "i": rng.randint(-(2**53), 2**53),
                "small": rng.uniform(-1e-6, 1e-6),
                "list": [True, None, rng.random() * 10 ** rng.randint(-30, 30)],
                text[::-1] + "k": {"x": text},
            }
        )
    return out


def test_agrees_with_node_canonicalize():
    node_ready()
    samples = _samples()
    script = (
        "const c=require('canonicalize');const a=JSON.parse(require('fs')"
        ".readFileSync(0,'utf8'));process.stdout.write(JSON.stringify(a.map(c)));"
    )
    done = subprocess.run(
        ["node", "-e", script],
        cwd=NODE_DIR,
        input=json.dumps(samples),
        capture_output=True,
        text=True,
        check=True,
    )
    theirs = json.loads(done.stdout)
    assert [canonicalize(s).decode() for s in samples] == theirs
