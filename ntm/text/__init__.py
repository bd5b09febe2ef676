"""Every user-facing string (Vietnamese and English) in one catalogue, and the one place where numbers,
percentages, percentage points, counts and dates are formatted."""
