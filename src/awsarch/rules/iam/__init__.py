"""IAM rules: what roles, users and groups may do."""
