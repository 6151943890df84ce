"""The static review site, and the registry loop (suggest, add)."""
