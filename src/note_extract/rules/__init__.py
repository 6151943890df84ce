"""The rule bundle: every rule file's row models, loaded and checked once, and the catalogue of findings."""
