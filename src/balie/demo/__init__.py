"""Demo data for Gemeente Zonnedaal, a fictional Flemish municipality (see loader.py)."""
