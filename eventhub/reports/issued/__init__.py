"""Issued reports: a period report or a snapshot as it was signed and sent up, kept byte for byte."""
