"""NationalIdReader (the registry import's reader of a million IDs) answers exactly as
parse_national_id for every ID written as 14 Western digits, valid or not."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from lms.accounts.national_id import NationalIdReader, parse_national_id

TODAY = dt.date(2026, 11, 29)
READER = NationalIdReader(today=TODAY)  # its caches fill across the examples


def _reference(text: str) -> tuple[dt.date, str, str] | None:
    try:
        holder = parse_national_id(text, today=TODAY)
    except ValidationError:
        return None
    return holder.birth_date, holder.gender, holder.governorate.code


# Digits where the rules bite: century 1-4, months and days around their limits,
# governorates known and unknown, births up to after TODAY.
_ids = st.builds(
    lambda c, yy, mm, dd, gov, rest: f"{c}{yy:02d}{mm:02d}{dd:02d}{gov:02d}{rest:05d}",
    st.sampled_from("1234"),
    st.integers(0, 99),
    st.integers(0, 13),
    st.integers(0, 32),
    st.integers(0, 99),
    st.integers(0, 99999),
)


@settings(max_examples=3000, deadline=None)
@given(_ids)
def test_the_reader_agrees_with_parse_national_id(text):
    assert READER.fields(text) == _reference(text)


@given(st.text(max_size=16))
def test_the_reader_answers_none_for_any_other_spelling(text):
    fields = READER.fields(text)
    assert fields is None or (text.isascii() and fields == _reference(text))


def test_other_spellings_are_left_to_parse_national_id():
    valid = "29001010112345"
    assert READER.fields(valid) == (dt.date(1990, 1, 1), "female", "01")
    eastern = valid.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    for spelling in (eastern, f" {valid}", "2900101-0112345"):
        assert READER.fields(spelling) is None
        assert _reference(spelling) is not None
