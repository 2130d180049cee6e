"""Master classes: the CP-SAT model and the solve pipeline."""
