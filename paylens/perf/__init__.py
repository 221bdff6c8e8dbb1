"""Performance tooling: `paylens synth` and `paylens bench` (queries, pages, browser, extractor throughput).

Kept out of the core: perf may import paylens.ui (the page timings run Streamlit's AppTest); nothing but
perf itself and the CLI imports perf (tests/test_layering.py checks it).
"""
