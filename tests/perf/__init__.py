"""Tests for the perf tooling (paylens.perf)."""
