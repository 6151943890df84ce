"""Batch runs: converting one note, executors, record output, reading records back, exports."""
