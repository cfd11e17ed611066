"""Security rules: instances, security groups and secrets in user data."""
