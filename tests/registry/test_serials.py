import random

from registry.serials import (
    ALPHABET,
    serial_display,
    serial_generate,
    serial_is_valid,
    serial_normalize,
)


def _single_substitutions(serial):
    for i, original in enumerate(serial):
        for ch in ALPHABET:
            if ch != original:
                yield serial[:i] + ch + serial[i + 1 :]


def _adjacent_swaps(serial):
    for i in range(len(serial) - 1):
        if serial[i] != serial[i + 1]:
            yield serial[:i] + serial[i + 1] + serial[i] + serial[i + 2 :]


def test_generated_serials_pass_their_own_check():
    for _ in range(200):
        serial = serial_generate()
        assert serial_normalize(serial) == serial


def test_every_single_character_typo_is_caught():
    for _ in range(50):
        serial = serial_generate()
        assert not any(serial_is_valid(t) for t in _single_substitutions(serial))


def test_every_swap_of_neighbouring_characters_is_caught():
    for _ in range(200):
        serial = serial_generate()
        assert not any(serial_is_valid(t) for t in _adjacent_swaps(serial))


def test_serial_typed_with_dashes_lowercase_and_lookalikes_is_accepted():
    serial = serial_generate()
    typed = serial_display(serial).lower().replace("0", "o").replace("1", "l")
    assert serial_normalize(typed) == serial


def test_serial_of_wrong_length_or_alphabet_is_refused():
    serial = serial_generate()
    assert not serial_is_valid(serial[:-1])
    assert not serial_is_valid(serial + "0")
    assert not serial_is_valid("U" + serial[1:])


def test_display_groups_by_four_for_reading_aloud():
    rng = random.Random(3)
    body = "".join(rng.choice(ALPHABET) for _ in range(11))
    assert serial_display(body) == f"{body[:4]}-{body[4:8]}-{body[8:]}"


def test_serial_typed_with_eastern_arabic_digits_is_accepted():
    serial = "0123456789" + "0"
    while not serial_is_valid(serial):
        serial = serial[:-1] + ALPHABET[ALPHABET.index(serial[-1]) + 1]
    eastern = serial.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    assert serial_normalize(eastern) == serial
