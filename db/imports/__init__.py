"""CSV imports of merchants, customers, couriers and orders."""

from db.imports.load import (
    KINDS,
    ImportRejectedError,
    ImportResult,
    RowError,
    count_rows,
    import_csv,
)

__all__ = ["KINDS", "ImportRejectedError", "ImportResult", "RowError", "count_rows", "import_csv"]
