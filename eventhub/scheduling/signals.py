"""Signals of the agenda, so that the agenda services never import the modules that react to changes."""
import enum

from blinker import Namespace

_signals = Namespace()


class SessionChange(enum.StrEnum):
    """What a participant's calendar sees change; one signal per saved change, the strongest kind wins
    (cancelled > moved > room_changed > details)."""

    MOVED = "moved"
    ROOM_CHANGED = "room_changed"
    CANCELLED = "cancelled"
    DETAILS = "details"


# Sent by the agenda services with the changed AgendaSession as sender and `change=SessionChange.X`,
# after `sequence` was raised and flushed but BEFORE the commit: receivers add rows (the e-mails) to
# the same transaction and never commit themselves, so the change and its notices land together.
session_changed = _signals.signal("session-changed")
