"""Signals other modules listen to, so that events never import the modules built on top of it."""
from blinker import Namespace

_signals = Namespace()

# Sent after an event's details were committed; receivers get the event id.
event_updated = _signals.signal("event-updated")

# Sent inside the transaction that ends a co-organiser's part in an event (withdrawn by the lead, or declined
# after accepting); receivers get event_id and organisation_id and end what that organisation opened.
co_organiser_left = _signals.signal("co-organiser-left")
