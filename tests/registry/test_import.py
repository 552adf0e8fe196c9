import datetime as dt
import random

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from registry.importer import import_file
from registry.models import AuditEntry, Certificate, ImportConflict
from tests.conftest import requires_postgres
from tests.factories import make_national_id

HEADER = [
    "national_id",
    "full_name_ar",
    "full_name_en",
    "occupation_code",
    "skill_level",
    "issue_date",
    "governorate_code",
    "legacy_number",
]
ARABIC_HEADER = [
    "الرقم القومي",
    "الاسم",
    "الاسم بالإنجليزية",
    "كود المهنة",
    "مستوى المهارة",
    "تاريخ الإصدار",
    "كود المحافظة",
    "الرقم الورقي",
]


def _good_rows():
    born = dt.date(1980, 5, 17)
    return [
        [
            make_national_id(birth_date=born),
            "سعاد محمود",
            "Soad Mahmoud",
            "7531",
            "skilled",
            "2015-03-01",
            "01",
            "P-1",
        ],
        [
            make_national_id(birth_date=born),
            "عمرو خالد",
            "",
            "7422",
            "2",
            "01/06/2019",
            "",
            "",
        ],
        [
            make_national_id(birth_date=born),
            "هدى سامي",
            "",
            "7127",
            "فني",
            "31/12/2018",
            "21",
            "ق-7",
        ],
    ]


def _bad_rows():
    return [
        ["12345", "اسم", "", "7531", "skilled", "2015-03-01", "", ""],  # short ID
        [
            make_national_id(birth_date=dt.date(1980, 1, 1)),
            "",
            "",
            "7531",
            "skilled",
            "2015-03-01",
            "",
            "",
        ],  # no name
        [
            make_national_id(birth_date=dt.date(1980, 1, 1)),
            "اسم",
            "",
            "0000",
            "skilled",
            "2015-03-01",
            "",
            "",
        ],
        [
            make_national_id(birth_date=dt.date(1980, 1, 1)),
            "اسم",
            "",
            "7531",
            "grand",
            "2015-03-01",
            "",
            "",
        ],
        [
            make_national_id(birth_date=dt.date(1980, 1, 1)),
            "اسم",
            "",
            "7531",
            "skilled",
            "2099-01-01",
            "",
            "",
        ],
        [
            make_national_id(birth_date=dt.date(1980, 1, 1)),
            "اسم",
            "",
            "7531",
            "skilled",
            "March 2015",
            "",
            "",
        ],
    ]


def _write_csv(path, header, rows, encoding):
    import csv

    with path.open("w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1256"])
def test_csv_import_in_each_encoding_keeps_good_rows_and_reports_bad(
    db, tmp_path, encoding
):
    good, bad = _good_rows(), _bad_rows()
    path = _write_csv(tmp_path / "paper.csv", HEADER, good + bad, encoding)
    result = import_file(path)
    assert (result.inserted, result.rejected) == (3, 6)
    names = set(Certificate.objects.values_list("full_name_ar", flat=True))
    assert names == {"سعاد محمود", "عمرو خالد", "هدى سامي"}
    # Pending in the import's batch: nothing imported is valid before review.
    assert all(
        c.status == "pending"
        and c.source == "paper_import"
        and c.import_batch_id == result.import_batch_id
        and c.approved_by_id is None
        for c in Certificate.objects.all()
    )
    by_row = {}
    for rejection in result.rejections:
        by_row.setdefault(rejection.row, set()).add(rejection.column)
    assert by_row == {
        5: {"national_id"},
        6: {"full_name_ar"},
        7: {"occupation_code"},
        8: {"skill_level"},
        9: {"issue_date"},
        10: {"issue_date"},
    }
    report = result.rejections[0].as_dict()
    assert report["reason_en"] and report["reason_ar"]


def test_eastern_arabic_digits_are_accepted(db, tmp_path):
    nid = make_national_id(birth_date=dt.date(1980, 5, 17))
    eastern = nid.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    rows = [[eastern, "هدى سامي", "", "٧٥٣١", "٣", "٢٠١٨-١٢-٣١", "٢١", ""]]
    path = _write_csv(tmp_path / "e.csv", HEADER, rows, "utf-8")
    assert import_file(path).inserted == 1
    cert = Certificate.objects.get()
    assert (cert.national_id, cert.issue_date) == (nid, dt.date(2018, 12, 31))


def test_arabic_headers_are_accepted(db, tmp_path):
    path = _write_csv(tmp_path / "ar.csv", ARABIC_HEADER, _good_rows(), "cp1256")
    assert import_file(path).inserted == 3


def test_xlsx_import_with_numeric_cells_and_dates(db, tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER)
    nid = make_national_id(birth_date=dt.date(1985, 2, 2))
    ws.append(
        [int(nid), "منى علي", "Mona Ali", 7531, 3, dt.datetime(2012, 4, 5), 1, None]
    )
    ws.append(["bad", "منى علي", "", 7531, 3, dt.datetime(2012, 4, 5), None, None])
    path = tmp_path / "paper.xlsx"
    wb.save(path)
    result = import_file(path)
    assert (result.inserted, result.rejected) == (1, 1)
    cert = Certificate.objects.get()
    assert cert.national_id == nid
    assert cert.skill_level.code == "technician"
    assert cert.issue_date == dt.date(2012, 4, 5)
    assert cert.issuing_directorate == "01"


def test_reimporting_the_same_file_changes_nothing(db, tmp_path):
    path = _write_csv(tmp_path / "paper.csv", HEADER, _good_rows(), "utf-8")
    import_file(path)
    before = list(
        Certificate.objects.order_by("id").values_list("id", "serial", "updated_at")
    )
    again = import_file(path)
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 3)
    after = list(
        Certificate.objects.order_by("id").values_list("id", "serial", "updated_at")
    )
    assert before == after


def test_a_record_already_in_the_registry_with_other_details_is_a_conflict(
    db, tmp_path
):
    """Never an overwrite: the registry keeps what it has; the reviewer sees it."""
    rows = _good_rows()
    import_file(_write_csv(tmp_path / "a.csv", HEADER, rows, "utf-8"))
    rows[0][2] = "Soad M. Mahmoud"
    result = import_file(_write_csv(tmp_path / "b.csv", HEADER, rows, "utf-8"))
    assert (result.inserted, result.updated, result.unchanged) == (0, 0, 2)
    assert result.conflicts == 1
    assert not Certificate.objects.filter(full_name_en="Soad M. Mahmoud").exists()
    (conflict,) = ImportConflict.objects.filter(batch_id=result.import_batch_id)
    assert conflict.kind == "record_differs" and conflict.row == 2


def test_same_person_may_hold_several_certificates(db, tmp_path):
    nid = make_national_id(birth_date=dt.date(1979, 9, 9))
    rows = [
        [nid, "رامي", "", "7531", "skilled", "2010-01-01", "", ""],
        [nid, "رامي", "", "7531", "technician", "2014-01-01", "", ""],
        [nid, "رامي", "", "7422", "skilled", "2010-01-01", "", ""],
    ]
    result = import_file(_write_csv(tmp_path / "a.csv", HEADER, rows, "utf-8"))
    assert result.inserted == 3


def test_each_batch_is_written_to_the_audit_log(db, tmp_path):
    path = _write_csv(tmp_path / "paper.csv", HEADER, _good_rows(), "utf-8")
    import_file(path, batch_size=2)
    assert AuditEntry.objects.filter(action="import.batch").count() == 2


def test_file_without_required_columns_is_refused_whole(db, tmp_path):
    path = _write_csv(tmp_path / "x.csv", ["name", "id"], [["a", "b"]], "utf-8")
    with pytest.raises(CommandError, match="national_id"):
        call_command("import_registry", str(path))
    assert Certificate.objects.count() == 0


def test_import_command_prints_summary_and_writes_report(db, tmp_path, capsys):
    path = _write_csv(tmp_path / "p.csv", HEADER, _good_rows() + _bad_rows(), "utf-8")
    report = tmp_path / "report.csv"
    call_command("import_registry", str(path), "--report", str(report))
    out = capsys.readouterr()
    assert "3 written as pending batch" in out.out and "6 rejected" in out.out
    assert "row 5, national_id" in out.err
    assert report.read_text(encoding="utf-8-sig").count("\n") == 7


def test_the_command_s_report_lists_every_rejected_row(db, tmp_path, monkeypatch):
    """The result keeps only the first rejections; the report file has them all."""
    monkeypatch.setattr("registry.importer.run.MAX_STORED_REJECTIONS", 2)
    path = _write_csv(tmp_path / "p.csv", HEADER, _bad_rows(), "utf-8")
    report = tmp_path / "report.csv"
    call_command("import_registry", str(path), "--report", str(report))
    assert report.read_text(encoding="utf-8-sig").count("\n") == 1 + 6


def test_load_occupations_command_adds_codes(db, tmp_path, capsys):
    path = tmp_path / "occ.csv"
    path.write_text(
        "code,title_en,title_ar\n7411,Building electricians,كهربائيو المباني\n",
        encoding="utf-8",
    )
    call_command("load_occupations", str(path))
    assert "1 created" in capsys.readouterr().out


# --- Row checks: one validator, fast for the common row, exact on every other ------


BORN = dt.date(1984, 2, 29)


def _edge_cases(rng):
    """(column position, value, verdict) around one valid row: verdict None when the
    row is accepted, else (column, code) of its one rejection."""
    nid = make_national_id(birth_date=BORN, rng=rng)
    eastern = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
    base = [nid, "منى علي", "Mona Ali", "7531", "skilled", "2010-05-01", "01", "P-1"]
    cases = [
        (0, f" {nid} ", None),
        (0, nid.translate(eastern), None),
        (0, f"{nid[:7]}-{nid[7:]}", None),
        (0, nid[:13], ("national_id", "length")),
        (0, "1" + nid[1:], ("national_id", "century")),
        (0, nid[:3] + "13" + nid[5:], ("national_id", "birth_date")),
        (0, nid[:7] + "99" + nid[9:], ("national_id", "governorate")),
        (0, "3300101" + nid[7:], ("national_id", "birth_date_future")),
        (0, "29a01011234567", ("national_id", "not_digits")),
        (0, "", ("national_id", "required")),
        (1, "", ("full_name_ar", "required")),
        (1, "   ", ("full_name_ar", "required")),
        (1, "ن" * 151, ("full_name_ar", "too_long")),
        (1, "  منى\tعلي\\ن  ", None),
        (2, "x" * 151, ("full_name_en", "too_long")),
        (3, "٧٥٣١", None),
        (3, " 7531 ", None),
        (3, "0000", ("occupation_code", "occupation")),
        (4, "Skilled", None),
        (4, "3", None),
        (4, "٣", None),
        (4, "grand", ("skill_level", "level")),
        (5, "01/05/2010", None),
        (5, "٠١/٠٥/٢٠١٠", None),
        (5, "2010/05/01", None),
        (5, "31/02/2010", ("issue_date", "date_format")),
        (5, "March 2010", ("issue_date", "date_format")),
        (5, "2099-01-01", ("issue_date", "date_future")),
        (5, "1949-12-31", ("issue_date", "date_too_old")),
        (5, "1998-02-28", ("issue_date", "date_too_young")),  # born on 29 February
        (5, "1998-03-01", None),
        (5, "", ("issue_date", "required")),
        (6, "", None),
        (6, "1", None),
        (6, "١", None),
        (6, "77", ("governorate_code", "governorate_code")),
        (7, "م" * 51, ("legacy_number", "too_long")),
        (7, "", None),
    ]
    return base, cases


def test_each_rule_accepts_or_rejects_the_row_with_its_reason(db):
    """Twice over, so the second pass answers from the caches the first filled."""
    from registry.importer import COLUMNS, RowValidator
    from registry.models import Occupation, SkillLevel

    base, cases = _edge_cases(random.Random(5))
    validator = RowValidator(list(COLUMNS))
    expected = validator.validate(2, base)
    assert not isinstance(expected, list), expected
    assert expected.birth_date == BORN
    assert expected.occupation_id == Occupation.objects.get(code="7531").pk
    assert expected.skill_level_id == SkillLevel.objects.get(code="skilled").pk
    for _pass in range(2):
        for position, value, verdict in cases:
            row = list(base)
            row[position] = value
            checked = validator.validate(3, row)
            if verdict is None:
                assert not isinstance(checked, list), (value, checked)
                assert checked.key() == expected.key() or position in (3, 4, 5)
                assert checked.national_id == base[0]
            else:
                assert isinstance(checked, list), value
                assert [(r.column, r.code) for r in checked] == [verdict], value
                assert all(r.row == 3 and r.reason_en and r.reason_ar for r in checked)


def test_an_accepted_row_keeps_every_value_as_written(db):
    from registry.importer import COLUMNS, RowValidator
    from registry.models import SkillLevel

    base, _cases = _edge_cases(random.Random(6))
    validator = RowValidator(list(COLUMNS))
    row = list(base)
    row[1], row[4], row[5], row[6] = "  منى\tعلي  ", "٣", "٠١/٠٥/٢٠١٠", "١"
    record = validator.validate(2, row)
    assert record.full_name_ar == "منى\tعلي"
    assert record.skill_level_id == SkillLevel.objects.get(rank=3).pk
    assert record.issue_date == dt.date(2010, 5, 1)
    assert record.issuing_directorate == "01"
    assert record.legacy_number == "P-1" and record.full_name_en == "Mona Ali"
    row[6] = ""
    assert validator.validate(2, row).issuing_directorate == base[0][7:9]


def test_a_bad_national_id_is_explained_in_english_and_arabic(db):
    """The reasons are the national-ID rules' own messages, in both languages."""
    from registry.importer import COLUMNS, RowValidator

    base, _cases = _edge_cases(random.Random(7))
    row = [base[0][:12], *base[1:]]
    (rejection,) = RowValidator(list(COLUMNS)).validate(2, row)
    assert rejection.code == "length"
    assert "14 digits" in rejection.reason_en
    assert "14" in rejection.reason_ar and "الرقم القومي" in rejection.reason_ar


def test_generated_rows_take_their_holder_facts_from_the_national_id(db):
    from lms.accounts.national_id import parse_national_id
    from registry.importer import COLUMNS, RowValidator

    rng = random.Random(5)
    validator = RowValidator(list(COLUMNS))
    for number in range(2, 302):
        nid = make_national_id(rng=rng)
        row = [nid, "سعاد محمود", "", "7531", "skilled", "2015-03-01", "", ""]
        record = validator.validate(number, row)
        holder = parse_national_id(nid)
        if holder.birth_date > dt.date(2001, 3, 1):  # not yet 14 on the issue date
            assert [r.code for r in record] == ["date_too_young"]
            continue
        assert (record.birth_date, record.gender, record.governorate_code) == (
            holder.birth_date,
            holder.gender,
            holder.governorate.code,
        )


def test_fast_checks_cope_with_reordered_and_missing_optional_columns(db, tmp_path):
    nid = make_national_id(birth_date=dt.date(1981, 1, 1))
    header = [
        "issue_date",
        "skill_level",
        "occupation_code",
        "full_name_ar",
        "national_id",
    ]
    rows = [["2012-01-02", "skilled", "7531", "منى", nid]]
    result = import_file(_write_csv(tmp_path / "r.csv", header, rows, "utf-8"))
    assert result.inserted == 1
    cert = Certificate.objects.get()
    assert (cert.full_name_en, cert.legacy_number) == ("", "")
    assert cert.issuing_directorate == nid[7:9]


def test_text_with_tabs_backslashes_and_newlines_survives_the_import(db, tmp_path):
    nid = make_national_id(birth_date=dt.date(1981, 1, 1))
    name = "منى\tعلي \\ السيد"
    rows = [[nid, name, "Mona\nAli", "7531", "skilled", "2012-01-02", "", "P\\1"]]
    import_file(_write_csv(tmp_path / "t.csv", HEADER, rows, "utf-8"))
    cert = Certificate.objects.get()
    assert (cert.full_name_ar, cert.full_name_en, cert.legacy_number) == (
        name,
        "Mona\nAli",
        "P\\1",
    )


def test_bulk_serials_carry_a_valid_check_symbol():
    from registry.serials import serial_is_valid, serials_generate

    serials = serials_generate(5000)
    assert len(set(serials)) == 5000
    assert all(serial_is_valid(s) for s in serials)


@requires_postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_parallel_writers_refuse_a_repeated_record_and_keep_a_verifiable_chain(
    tmp_path,
):
    """Two writer connections; the same record in rows 2 and 6 (2 rows a batch): the
    second is a refused row, never a silent overwrite of the first."""
    from registry.audit import audit_verify

    first = _good_rows()
    later = [list(first[0])]
    later[0][2] = "Soad M. Mahmoud"
    rows = first + [_good_rows()[1]] + later
    result = import_file(
        _write_csv(tmp_path / "p.csv", HEADER, rows, "utf-8"), batch_size=2
    )
    assert (result.inserted, result.updated, result.rejected) == (4, 0, 1)
    (refused,) = result.rejections
    assert (refused.row, refused.code) == (6, "duplicate")
    assert "row 2" in refused.reason_en and "الصف 2" in refused.reason_ar
    assert Certificate.objects.get(national_id=first[0][0]).full_name_en == (
        "Soad Mahmoud"
    )
    checked, problem = audit_verify()
    assert problem is None and checked == 2
    again = import_file(
        _write_csv(tmp_path / "p.csv", HEADER, rows, "utf-8"), batch_size=2
    )
    assert again.inserted == 0


@requires_postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_bulk_import_refreshes_the_planner_statistics(tmp_path, monkeypatch):
    """Else PostgreSQL plans the API's filtered lists for the table as it was."""
    from django.db import connection

    def analyzed() -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stats WHERE tablename = %s",
                [Certificate._meta.db_table],
            )
            return cursor.fetchone()[0]

    monkeypatch.setattr("registry.importer.run.ANALYZE_AFTER_ROWS", 3)
    with connection.cursor() as cursor:  # forget any statistics from earlier tests
        cursor.execute(
            "DELETE FROM pg_statistic WHERE starelid = %s::regclass",
            [Certificate._meta.db_table],
        )
    assert analyzed() == 0
    import_file(_write_csv(tmp_path / "p.csv", HEADER, _good_rows()[:2], "utf-8"))
    assert analyzed() == 0  # two rows: not worth it
    import_file(_write_csv(tmp_path / "q.csv", HEADER, _good_rows(), "utf-8"))
    assert analyzed() > 0
