"""The `paylens` command line."""
