"""Deploying: desired vs observed (diff), ordered actions (plan). Pure; apply lives in aws/."""
