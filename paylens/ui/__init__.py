"""Streamlit glue: cached store access, the shared sidebar filters and widgets (the only UI imports)."""
