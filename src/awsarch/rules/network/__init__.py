"""Network rules: subnets, their addresses and zones, how they route out, and where load
balancers sit."""
