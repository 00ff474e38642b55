"""Signals of registration, so that it never imports the modules built on top of it."""
from blinker import Namespace

_signals = Namespace()

# Sent by the attendee export with the event id as sender; a receiver returns None, or (header, {registration id:
# value}) for a column of its own (check-in adds "Hoàn thành"). People missing from the mapping get an empty cell.
attendee_columns = _signals.signal("attendee-columns")
