"""Scores per entry and ranking, advancement between rounds, prizes, published results and the nomination export."""
