"""HTTP interface of timeline-kg (FastAPI). Imports ``graph``; ``graph`` never imports ``api``."""
