"""Benchmarks: throughput, start-up, memory at scale, PDF and review."""
