"""Renderers: text trees, findings, diagrams and reports (pure: strings out, no I/O)."""
