"""Exhibitors and booth applications: sign-up, the exhibitor portal, documents, staff badges, the review."""
