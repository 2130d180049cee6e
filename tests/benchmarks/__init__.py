"""The benchmark runners and the result tables they write."""
