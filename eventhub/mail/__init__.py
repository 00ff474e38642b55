"""Outgoing e-mail through an outbox table: written in the caller's transaction, delivered later
over SMTP with retries, so a mail server that is down never loses a message or fails a request."""
