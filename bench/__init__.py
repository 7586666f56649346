"""Benchmarks that measure the product against its floor: what the hardware can do at best.

Run ``python -m bench`` (or ``make bench``); see ``bench/__main__.py`` for the options.
Every figure is printed next to a floor measured in the same run (the raw SQL for the same
rows, an empty view on the same server), so a ratio survives a change of machine where a
number of milliseconds would not. Nothing here runs in the test suite except the smoke
test (tests/bench), which runs the quick mode's code paths on tiny data without timing.

This package must not import Django at import time: ``bench.load`` runs in a separate
process that only sends HTTP requests.
"""
