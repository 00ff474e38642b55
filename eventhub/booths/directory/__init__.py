"""What visitors see: the published map with exhibitor names, the searchable exhibitor directory and its PDF."""
