"""Signals other modules listen to, so that events never import the modules built on top of it."""
from blinker import Namespace

_signals = Namespace()

# Sent after an event's details were committed; receivers get the event id.
event_updated = _signals.signal("event-updated")
