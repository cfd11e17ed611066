"""Data rules: where the database lives, who may reach it, and how its data survives."""
