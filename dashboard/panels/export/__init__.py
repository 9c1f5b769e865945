"""The in-app export menu: figures, network data, evidence and the briefing deck of the current view."""
