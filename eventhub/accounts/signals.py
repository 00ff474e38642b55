"""Signals other modules listen to, so that accounts never import the modules built on top of it."""
from blinker import Namespace

_signals = Namespace()

# Sent after a person left an organisation; receivers get user_id and organisation_id.
member_removed = _signals.signal("member-removed")

# Sent after an organisation was saved (created or changed); receivers get organisation_id.
organisation_saved = _signals.signal("organisation-saved")
