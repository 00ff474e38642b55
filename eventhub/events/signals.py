"""Signals other modules listen to, so that events never import the modules built on top of it."""
from blinker import Namespace

_signals = Namespace()

# Sent after an event's details were committed; receivers get the event id.
event_updated = _signals.signal("event-updated")

# Sent before an announced change is committed (date, time or venue changed; cancelled): receivers queue their
# notices in the same transaction. Keyword arguments: event, change ("moved" or "cancelled"), sequence (the
# event's raised calendar SEQUENCE), reason (when cancelled), before (what the event said until now).
event_changing = _signals.signal("event-changing")
