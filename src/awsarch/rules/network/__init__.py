"""Network rules: subnets, their addresses and zones, and how they route out."""
