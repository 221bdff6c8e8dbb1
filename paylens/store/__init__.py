"""The DuckDB store: validated sources in, one atomically swapped file out."""
