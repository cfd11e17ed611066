"""Security rules: instances, security groups, secrets in user data, and what a load balancer
exposes (its listeners, its targets)."""
