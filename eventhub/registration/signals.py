"""Signals of registration, so that it never imports the modules built on top of it."""
from blinker import Namespace

_signals = Namespace()

# Sent by the attendee export with the event id as sender; a receiver returns None, or (header, {registration id:
# value}) for a column of its own (check-in adds "Hoàn thành"). People missing from the mapping get an empty cell.
attendee_columns = _signals.signal("attendee-columns")
# Sent inside the erasure's transaction with the registration as sender and `secrets` (its old ticket code and access
# key): modules above registration scrub their own copies (check-in's scan log), committing nothing themselves.
registration_erased = _signals.signal("registration-erased")
# Sent by the person's data download with the registration as sender; a receiver returns None or (key, JSON value)
# for what its module holds about them (check-ins, session sign-ups).
personal_data = _signals.signal("personal-data")
