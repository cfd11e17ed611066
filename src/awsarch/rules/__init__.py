"""The architecture's rules: one per file, grouped by area (network, security, data, iam)."""
