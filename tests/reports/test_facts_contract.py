"""The row shape the apps build (lms.kernel.report_rows) is what the refresh reads."""

import dataclasses

from lms.kernel.report_rows import FACT_FIELDS
from lms.reports.facts import FactRow


def test_sources_group_by_exactly_the_fact_row_fields():
    fields = [f.name for f in dataclasses.fields(FactRow)]
    assert fields == [*FACT_FIELDS, "value"]
