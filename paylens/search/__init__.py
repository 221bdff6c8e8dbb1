"""Full-text search over article sentences and titles (EN and ZH), indexed at build time."""
