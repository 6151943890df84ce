"""The package's version, in one place (the record's ``extractor.version`` and ``--version``)."""

__version__ = "0.1.0"
