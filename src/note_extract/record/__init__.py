"""Assembly of the stages' results into the validated record, and its JSON Schema."""
