"""Allocation of booths to approved applications: the MILP solver, its service, the organiser's page and API."""
