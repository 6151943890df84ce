"""The header and its tables, columns and cells, field labels, and the split into sections."""
