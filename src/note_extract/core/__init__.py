"""Shared vocabulary of every layer: spans, errors, the record models, settings, findings, text keys."""
