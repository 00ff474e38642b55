"""First come, first served: approved exhibitors hold and confirm free booths themselves."""
