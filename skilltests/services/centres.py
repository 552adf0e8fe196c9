"""The ministry's updates of the test centres (`load_test_centres`)."""

from __future__ import annotations

from pathlib import Path

from django.db import transaction

from registry.selectors import occupation_list
from skilltests.models import TestCentre, Workshop
from skilltests.reference_data import (
    CENTRES_CSV,
    WORKSHOPS_CSV,
    LoadReport,
    apply,
    parse,
)


@transaction.atomic
def centres_load(
    *, centres_path: Path = CENTRES_CSV, workshops_path: Path = WORKSHOPS_CSV
) -> LoadReport:
    """Upsert centres and workshops from the two files; nothing is written when a
    row is wrong (ReferenceDataError names every problem)."""
    occupation_ids = {o.code: o.id for o in occupation_list()}
    centres, workshops = parse(
        centres_path=centres_path,
        workshops_path=workshops_path,
        occupation_codes=set(occupation_ids),
    )
    return apply(
        centres,
        workshops,
        centre_model=TestCentre,
        workshop_model=Workshop,
        occupation_ids=occupation_ids,
    )
