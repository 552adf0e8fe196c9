"""The surge load test (issue #19): Locust trainees against the production topology.

`setup` makes the accounts in bulk, `locustfile` is what each trainee does, `verify`
counts the acknowledged writes missing from the database afterwards, `run` ties them
together against a running site, `procstat` measures CPU from /proc.
"""
