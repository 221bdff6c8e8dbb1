"""Browser tests; a package so test_pages.py here and in tests/ui/ do not clash under pytest's import mode."""
