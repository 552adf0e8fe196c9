import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from registry.importer import import_file
from registry.models import AuditEntry, Certificate
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


def test_load_occupations_command_adds_codes(db, tmp_path, capsys):
    path = tmp_path / "occ.csv"
    path.write_text(
        "code,title_en,title_ar\n7411,Building electricians,كهربائيو المباني\n",
        encoding="utf-8",
    )
    call_command("load_occupations", str(path))
    assert "1 created" in capsys.readouterr().out
