"""What leaves the dashboard: chart and map images, spreadsheet-safe tables and the meeting pack."""
