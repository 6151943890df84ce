"""Names and places: countries, the city gazetteer, the organization registry and name resolution."""
