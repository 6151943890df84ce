"""The event: dates, prose reading, places and the venue, title and kind."""
