"""The load test: the same traffic against the app with the cache off, then on.

`make load` (`python -m <package>.loadtest`) seeds a catalog, starts the app twice on
127.0.0.1, runs locust (`loadtests/locustfile.py`) against each, and writes
`reports/load/report.md` with a chart: what the cache is worth, in milliseconds and
requests per second measured on this machine.
"""
