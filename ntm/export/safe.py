"""The spreadsheet safety of `ntm.text.spreadsheets`, under the name the export tables import."""

from ntm.text.spreadsheets import neutralise, safe_frame, to_csv_bytes, to_xlsx_bytes, write_csv

__all__ = ["neutralise", "safe_frame", "to_csv_bytes", "to_xlsx_bytes", "write_csv"]
