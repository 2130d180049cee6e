"""Master classes: the rules and the command."""
