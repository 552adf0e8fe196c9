import datetime as dt
import random

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from registry.importer import import_file
from registry.models import AuditEntry, Certificate
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
    assert all(
        c.status == "issued" and c.source == "paper_import"
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


def test_corrected_row_updates_the_same_record(db, tmp_path):
    rows = _good_rows()
    import_file(_write_csv(tmp_path / "a.csv", HEADER, rows, "utf-8"))
    rows[0][2] = "Soad M. Mahmoud"
    result = import_file(_write_csv(tmp_path / "b.csv", HEADER, rows, "utf-8"))
    assert (result.inserted, result.updated, result.unchanged) == (0, 1, 2)
    assert Certificate.objects.filter(full_name_en="Soad M. Mahmoud").count() == 1


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
    assert "3 inserted" in out.out and "6 rejected" in out.out
    assert "row 5, national_id" in out.err
    assert report.read_text(encoding="utf-8-sig").count("\n") == 7


def test_the_command_s_report_lists_every_rejected_row(db, tmp_path, monkeypatch):
    """The result keeps only the first rejections; the report file has them all."""
    monkeypatch.setattr("registry.importer.MAX_STORED_REJECTIONS", 2)
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


# --- The fast row checks agree with the reference validator -------------------------


def _edge_rows(rng):
    """Plain rows and every spelling the reference validator accepts or refuses."""
    born = dt.date(1984, 2, 29)
    nid = make_national_id(birth_date=born, rng=rng)
    eastern = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
    base = [nid, "منى علي", "Mona Ali", "7531", "skilled", "2010-05-01", "01", "P-1"]

    def variant(position, value):
        row = list(base)
        row[position] = value
        return row

    return [
        base,
        variant(0, f" {nid} "),
        variant(0, nid.translate(eastern)),
        variant(0, f"{nid[:7]}-{nid[7:]}"),
        variant(0, nid[:13]),
        variant(0, "1" + nid[1:]),  # century
        variant(0, nid[:3] + "13" + nid[5:]),  # month 13
        variant(0, nid[:7] + "99" + nid[9:]),  # governorate
        variant(0, "3300101" + nid[7:]),  # born in 2030: the future
        variant(0, ""),
        variant(1, ""),
        variant(1, "   "),
        variant(1, "ن" * 151),
        variant(1, "  منى\tعلي\\ن  "),
        variant(2, "x" * 151),
        variant(3, "٧٥٣١"),
        variant(3, " 7531 "),
        variant(3, "0000"),
        variant(4, "Skilled"),
        variant(4, "2"),
        variant(4, "٢"),
        variant(4, "فني"),
        variant(4, "grand"),
        variant(5, "01/05/2010"),
        variant(5, "٠١/٠٥/٢٠١٠"),
        variant(5, "2010/05/01"),
        variant(5, "31/02/2010"),
        variant(5, "2099-01-01"),
        variant(5, "1949-12-31"),
        variant(5, "1998-02-27"),  # a day short of 14 (born on 29 February)
        variant(5, "1998-03-01"),
        variant(5, ""),
        variant(6, ""),
        variant(6, "1"),
        variant(6, "١٢"),
        variant(6, "77"),
        variant(7, "م" * 51),
        variant(7, ""),
    ]


def test_fast_checks_never_differ_from_the_reference_validator(db):
    from registry.importer import (
        COLUMNS,
        FastRowValidator,
        GoodRow,
        RowValidator,
        raw_row,
    )

    rng = random.Random(5)
    columns = list(COLUMNS)
    validator = RowValidator()
    fast = FastRowValidator(validator, columns)
    plain = [
        [
            make_national_id(rng=rng),
            rng.choice(["سعاد محمود", "عمرو خالد", "هدى سامي"]),
            rng.choice(["", "Huda Samy"]),
            rng.choice(["7531", "7422", "7127"]),
            rng.choice(["assistant", "skilled", "technician", "1", "3", "فني"]),
            rng.choice(["2015-03-01", "01/06/2019", "31/12/2018"]),
            rng.choice(["", "01", "21"]),
            rng.choice(["", "P-9"]),
        ]
        for _ in range(300)
    ]
    edges = _edge_rows(rng)
    taken_fast = 0
    for number, values in enumerate(plain + edges * 2, start=2):  # caches warm
        reference = validator.validate(number, raw_row(columns, values))
        quick = fast.accept(values)
        if quick is not None:
            taken_fast += 1
            assert isinstance(reference, GoodRow), values
            assert quick == tuple(reference), values
    accepted = sum(
        isinstance(validator.validate(2, raw_row(columns, v)), GoodRow) for v in plain
    )
    assert accepted > 250  # the generated rows are mostly valid ...
    assert taken_fast >= accepted  # ... and those take the fast path


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
    from registry.importer import fast_serials
    from registry.serials import serial_is_valid

    serials = fast_serials(5000)
    assert len(set(serials)) == 5000
    assert all(serial_is_valid(s) for s in serials)


@requires_postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_parallel_writers_keep_the_later_row_and_a_verifiable_chain(tmp_path):
    """Two writer connections; the same record in batches 1 and 3 (2 rows each)."""
    from registry.audit import audit_verify

    first = _good_rows()
    later = [list(first[0])]
    later[0][2] = "Soad M. Mahmoud"
    rows = first + [_good_rows()[1]] + later
    result = import_file(
        _write_csv(tmp_path / "p.csv", HEADER, rows, "utf-8"), batch_size=2
    )
    assert (result.inserted, result.updated, result.unchanged) == (4, 1, 0)
    assert Certificate.objects.get(national_id=first[0][0]).full_name_en == (
        "Soad M. Mahmoud"
    )
    checked, problem = audit_verify()
    assert problem is None and checked == 3
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

    monkeypatch.setattr("registry.importer.ANALYZE_AFTER_ROWS", 3)
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
