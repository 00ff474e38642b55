"""Events: creation, lifecycle, cloning and the public portal."""
