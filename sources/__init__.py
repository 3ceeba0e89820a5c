"""Source adapters and the shared machinery they stand on (catalog, HTTP, raw archive, crawl patterns).

Nothing in this package imports Dagster: adapters are plain Python so they can be run, tested and
reused (by `ashyq ingest`, by notebooks) without an orchestrator.
"""
