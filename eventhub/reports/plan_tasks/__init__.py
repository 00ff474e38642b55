"""A yearly plan beyond its event-counted targets: tasks and manual indicators with their entries."""
