"""Parties: entity references, header and prose roles, and the mentions across a note."""
