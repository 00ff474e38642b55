"""Reports: yearly plans and targets, period reports against them, snapshots, event statistics and exports."""
