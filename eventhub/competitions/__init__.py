"""Startup competitions: entries by teams (entries/), rounds, rubrics, juries and scores (judging/), ranking,
prizes and the nomination dossier (results/). A competition is an event of type competition."""
