"""Benchmarks of Ashyq (see bench/run.py)."""
