"""Paper-era import: CSV (UTF-8, UTF-8 with BOM, Windows-1256) and XLSX, for volume.

Rows stream from the file (reading), are checked one by one (rows: a bad row is
reported with its row number, column and a reason in Arabic and English, and never
stops the rest), and good rows are written in batches through the registry services
(`certificates_bulk_upsert`: re-running the same file changes nothing), from writer
threads on PostgreSQL (writers) while this thread parses (run).
"""

from registry.importer.reading import COLUMNS, ImportFileError, map_header, open_rows
from registry.importer.rows import Rejection, RowValidator
from registry.importer.run import ImportResult, RejectionReport, import_file

__all__ = [
    "COLUMNS",
    "ImportFileError",
    "ImportResult",
    "Rejection",
    "RejectionReport",
    "RowValidator",
    "import_file",
    "map_header",
    "open_rows",
]
