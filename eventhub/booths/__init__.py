"""Booths at an event: floor plans, exhibitor applications, allocation, self-booking and the public directory."""
