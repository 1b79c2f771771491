"""Entry point of a SPARQL worker process: ``python -m api.sparql_worker_main JOB_FD ANSWER_FD
STORE_PATH MEMORY_MB``. A separate module so that the worker's classes are pickled under their
importable name (``api.sparql_worker.Job``), not ``__main__``."""

import sys

from api.sparql_worker import main

if __name__ == "__main__":
    main(sys.argv[1:])
