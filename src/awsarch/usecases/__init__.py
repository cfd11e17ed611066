"""The use cases the CLI orchestrates: verify a blueprint, prove its intents, observe what is live.

They join the pure core (model, blueprint, rules, analysis, render, deploy) to the adapters
(`awsarch.adapters`): the CLI and the Python API call these, never the adapters' parts directly.
"""
