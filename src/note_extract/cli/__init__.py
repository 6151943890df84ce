"""The command line: thin typer commands over the library, with one error boundary."""
