"""Reporting rounds: a parent organisation asks its child organisations for their figures of a period, checks
them and consolidates the accepted ones into its own report."""
