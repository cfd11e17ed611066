"""Auditing an AWS Organization: pure pieces, no I/O.

An organization is a set of independent units, one per (account, region). `units` plans them and
picks a worker's shard; `results` is the JSON document one unit's audit leaves behind; `merge`
gathers documents from any number of workers into one report; `report` renders it (text per
account, JSON, SARIF with the account and region of every result). The adapters that list the
organization, assume roles and read or write S3 live in `awsarch.adapters.aws.organization` and
`awsarch.adapters.aws.unit_store`; the CLI runs the units in threads (`awsarch.cli.audit_org`).
"""
