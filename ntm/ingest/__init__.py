"""Files coming in: reading CSV/XLSX, validating yearly, reference and boundary files with located
messages, previewing and importing them, and the yearly template."""
