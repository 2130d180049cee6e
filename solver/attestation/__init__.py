"""State Attestation Commission timetables: the CP-SAT model, the solve pipeline and explanations."""
