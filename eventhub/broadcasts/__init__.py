"""Organiser messages: an organiser writes to a chosen audience of an event, sees the exact count and the
channel mix, and sends it through the outbox; opt-outs and the event's budget of paid messages apply."""
