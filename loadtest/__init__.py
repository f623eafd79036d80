"""The load test: a locust scenario against the production topology on loopback (``loadtest/run.py``)."""
