"""Organisations, their members and roles, sign-in and API tokens."""
