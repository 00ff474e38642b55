"""Session scheduling: rooms, tracks, speakers, agenda sessions, conflicts and session sign-up."""
