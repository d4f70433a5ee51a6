"""negotrack: track diplomatic negotiations from the news, with evidence for every step.

The pipeline, one module a stage: articles (read) → sentences, extract (draw events) →
record, eventlog (record them) → machines, replay (replay on the thread machines) → report, cli.
"""

__version__ = "0.1.0"  # also salts the caches: bump it when a record changes shape
