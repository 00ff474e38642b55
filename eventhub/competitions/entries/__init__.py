"""A competition's settings, fields and questions; teams' entries with members, answers and files; startup projects."""
