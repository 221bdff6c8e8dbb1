"""Articles from the web: safe fetching, charset decoding, extraction, dedup and feeds (issue 13)."""
