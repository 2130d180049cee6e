"""The service: records, runs, pages, the API and its access rules, on SQLite and PostgreSQL."""
