"""Rounds with their rubric, the jury, the assignment of judges to entries (solver.py) and the judges' scores."""
