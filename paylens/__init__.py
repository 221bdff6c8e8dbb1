"""PayLens: competitive intelligence on China's payment platforms (core, no UI)."""

__version__ = "0.1.0"
