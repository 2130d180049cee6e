"""Teaching load: the rules, the bounds, the searches, its tables and command."""
