"""cchc: crawl Vietnamese government portals, extract administrative-reform dossier facts,
and keep them in a DuckDB warehouse."""
import logging

__version__ = "0.1.0"

logging.getLogger(__name__).addHandler(logging.NullHandler())
