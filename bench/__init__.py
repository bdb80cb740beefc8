"""Benchmarks at city scale: `python -m bench` (see bench/__main__.py) and the screen soak test."""
