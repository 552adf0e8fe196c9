"""The national ID parser: table tests for valid and malformed input, and properties."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from lms.accounts.national_id import (
    governorates,
    mask_national_id,
    mask_national_ids_in_text,
    parse_national_id,
)

TODAY = dt.date(2026, 11, 29)


@pytest.mark.parametrize(
    ("value", "birth_date", "gender", "governorate"),
    [
        ("29001010112345", dt.date(1990, 1, 1), "female", "Cairo"),
        ("28512310212355", dt.date(1985, 12, 31), "male", "Alexandria"),
        ("30002291301267", dt.date(2000, 2, 29), "female", "Sharqia"),
        ("29902282101239", dt.date(1999, 2, 28), "male", "Giza"),
        ("31010102600174", dt.date(2010, 10, 10), "male", "Sohag"),
        ("20001018800011", dt.date(1900, 1, 1), "male", "Born abroad"),
        ("30506153500020", dt.date(2005, 6, 15), "female", "South Sinai"),
        ("29207292900099", dt.date(1992, 7, 29), "male", "Luxor"),
    ],
)
def test_valid_ids_from_several_governorates_and_both_centuries(
    value, birth_date, gender, governorate
):
    data = parse_national_id(value, today=TODAY)
    assert data.value == value
    assert data.birth_date == birth_date
    assert data.gender == gender
    assert data.governorate.name_en == governorate


@pytest.mark.parametrize(
    "typed",
    [
        "٢٩٠٠١٠١٠١١٢٣٤٥",  # Eastern-Arabic digits, as printed on the card
        "۲۹۰۰۱۰۱۰۱۱۲۳۴۵",  # Persian digits
        "  29001010112345  ",
        "2 900101 01 1234 5",
        "2-900101-01-1234-5",
        "٢٩٠٠١٠١ ٠١١٢٣٤٥",
        "\u200f29001010112345\u200f",  # bidi marks pasted from an RTL document
    ],
)
def test_typed_forms_normalise_to_western_digits(typed):
    assert parse_national_id(typed, today=TODAY).value == "29001010112345"


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("", "required"),
        (None, "required"),
        ("   ", "required"),
        ("2900101011234", "length"),  # 13 digits
        ("290010101123456", "length"),  # 15 digits
        ("2900101011234a", "not_digits"),
        ("29001O10112345", "not_digits"),  # letter O for zero
        ("19001010112345", "century"),
        ("49001010112345", "century"),
        ("29013010112345", "birth_date"),  # month 13
        ("29002300112345", "birth_date"),  # 30 February
        ("29900290112345", "birth_date"),  # month 00
        ("29002290112345", "birth_date"),  # 1990 was not a leap year
        ("32712010112345", "birth_date_future"),  # 2027
        ("29001019912345", "governorate"),
        ("29001010512345", "governorate"),
        ("29001010012345", "governorate"),
    ],
)
def test_malformed_ids_are_refused_with_the_reason(value, code):
    with pytest.raises(ValidationError) as exc:
        parse_national_id(value, today=TODAY)
    assert exc.value.code == code


def test_check_digit_is_never_a_reason_to_refuse():
    for last in "0123456789":
        assert parse_national_id(f"2900101011234{last}", today=TODAY)


def test_error_messages_are_translated_to_arabic():
    with translation.override("ar"), pytest.raises(ValidationError) as exc:
        parse_national_id("123", today=TODAY)
    message = exc.value.messages[0]
    assert "14" in message
    assert any("\u0600" <= ch <= "\u06ff" for ch in message)
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        parse_national_id("123", today=TODAY)
    assert "exactly 14 digits" in exc.value.messages[0]


def test_mask_keeps_birth_date_and_hides_serial():
    assert mask_national_id("29001010112345") == "2900101******5"
    assert mask_national_id("") == ""
    assert "0112345" not in mask_national_ids_in_text("id=29001010112345 ok")


valid_dates = st.dates(min_value=dt.date(1900, 1, 1), max_value=TODAY)
governorate_codes = st.sampled_from(sorted(governorates()))
serials = st.text(alphabet="0123456789", min_size=4, max_size=4)
check_digits = st.sampled_from("0123456789")


@given(valid_dates, governorate_codes, serials, check_digits)
def test_every_well_formed_id_round_trips(birth, gov, serial, check):
    century = "2" if birth.year < 2000 else "3"
    value = f"{century}{birth:%y%m%d}{gov}{serial}{check}"
    data = parse_national_id(value, today=TODAY)
    assert data.birth_date == birth
    assert data.governorate.code == gov
    assert data.gender == ("male" if int(serial[-1]) % 2 else "female")
    eastern = value.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    assert parse_national_id(eastern, today=TODAY) == data


@given(st.text(max_size=20))
def test_arbitrary_text_is_either_valid_or_a_validation_error(text):
    try:
        data = parse_national_id(text, today=TODAY)
    except ValidationError as exc:
        assert exc.messages
    else:
        assert len(data.value) == 14 and data.value.isdigit()
