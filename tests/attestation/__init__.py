"""State Attestation Commission sittings: the rules, the bounds, the solve, its tables and command."""
