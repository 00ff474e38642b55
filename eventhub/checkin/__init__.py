"""Check-in: lists (the entrance, one per session), scans that count each ticket exactly once,
devices that scan without an account, and the log of every scan."""
