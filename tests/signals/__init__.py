"""Tests for the signal engine (paylens.signals)."""
