"""River's speed benchmarks are scripts, not tests: pytest collects nothing here.

Run them by hand (see docs/performance.md), e.g. ``.venv/bin/python tests/benchmarks/run_all.py``.
"""

collect_ignore_glob = ["*.py"]
