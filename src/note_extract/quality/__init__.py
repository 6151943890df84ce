"""Quality gates: the CI check of notes and the evaluation against gold."""
