"""Reading a note: bytes to text (PDF included), normalization with its offset map, OCR repair, language."""
