"""The teaching-load solver: who teaches each item, with the faculty's load balanced."""
