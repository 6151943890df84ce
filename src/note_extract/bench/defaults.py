"""The benchmark's default sizes, importable without loading anything else (``--help`` shows them)."""

DEFAULT_NOTES = 10_000
"""Notes generated for a throughput run."""
DEFAULT_SEED = 1540
"""Seed of the generated corpus: the same seed gives the same notes."""
DEFAULT_SCALE = (10_000, 100_000)
"""Batch sizes whose peak memory ``--scale`` measures."""
