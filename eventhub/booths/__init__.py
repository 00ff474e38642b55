"""Booth allocation: floor plans, exhibitor applications, allocation and the public map."""
