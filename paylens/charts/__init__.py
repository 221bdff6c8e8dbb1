"""Pure chart functions: DataFrame in, plotly Figure out (no streamlit, no I/O)."""
