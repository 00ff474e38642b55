"""Signals other modules listen to, so that events never import the modules built on top of it."""
from blinker import Namespace

_signals = Namespace()

# Sent after an event's details were committed; receivers get the event id.
event_updated = _signals.signal("event-updated")

# Sent by clone_event inside its transaction, before the commit, with the source and copy ids, the time shift
# of the copy and `copied`, a dict of id maps ({"categories": {old: new}, …}) that receivers fill in. Two
# rounds so that a module built on others (check-in lists point at categories and sessions) copies last.
event_cloned = _signals.signal("event-cloned")
event_cloned_dependants = _signals.signal("event-cloned-dependants")

# Sent before an announced change is committed (date, time or venue changed; cancelled): receivers queue their
# notices in the same transaction. Keyword arguments: event, change ("moved" or "cancelled"), sequence (the
# event's raised calendar SEQUENCE), reason (when cancelled), before (what the event said until now).
event_changing = _signals.signal("event-changing")

# Sent inside the transaction that ends a co-organiser's part in an event (withdrawn by the lead, or declined
# after accepting); receivers get event_id and organisation_id and end what that organisation opened.
co_organiser_left = _signals.signal("co-organiser-left")
