"""Attack-style tests: the record holds against its own users."""
