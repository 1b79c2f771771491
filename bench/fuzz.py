"""Fuzzing (issue 8, item 5): the export round trip at 1,000 examples, and atheris on the
article reader and the date resolver for a CPU-time budget each.

    .venv/bin/python bench/fuzz.py roundtrip [--examples 1000]
    .venv/bin/python bench/fuzz.py reader [--seconds 600]
    .venv/bin/python bench/fuzz.py dates [--seconds 600]

``roundtrip`` reuses the property test of tests/test_export.py (random statements and events
through every export format) and prints how many examples failed. ``reader`` and ``dates`` run
atheris (coverage-guided, libFuzzer) for ``--seconds`` of CPU time and print executions, the
rate and every crash: an input that raises anything but the documented errors. Each crash found
becomes a regression test in tests/test_hostile_inputs.py.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def roundtrip(examples: int) -> int:
    """The export property test at ``examples`` examples; prints and returns the failures."""
    import pytest

    code = pytest.main(["-q", "-p", "no:cacheprovider", str(ROOT / "tests" / "test_export.py"),
                        "-k", "test_random_articles_survive_every_format",
                        "--hypothesis-seed=0"],
                       plugins=[_Examples(examples)])
    print(f"roundtrip: {examples} examples, exit code {code} ({'0 failures' if code == 0 else 'FAILED'})")
    return code


class _Examples:
    """A pytest plugin that raises the property test's example count."""

    def __init__(self, examples: int) -> None:
        self.examples = examples

    def pytest_collection_modifyitems(self, items) -> None:
        from hypothesis import HealthCheck, settings

        for item in items:
            test = item.obj
            if item.name != "test_random_articles_survive_every_format":
                continue
            # the test carries its own @settings (30 examples); raise the count on a copy of them
            test._hypothesis_internal_use_settings = settings(
                test._hypothesis_internal_use_settings, max_examples=self.examples,
                database=None, suppress_health_check=list(HealthCheck))


def _reader_target(folder: Path):
    """Feed bytes to :func:`read_articles` as a .jsonl, a .json and a .txt file."""
    from graph.articles import read_articles

    def target(data: bytes) -> None:
        for suffix in (".jsonl", ".json", ".txt"):
            path = folder / f"fuzz{suffix}"
            path.write_bytes(data)
            list(read_articles(path))

    return target


def _dates_target():
    """Feed text to :func:`find_timexes` and :func:`resolve_expression` with a publication date
    taken from the first bytes (anywhere in years 1 to 9999)."""
    import atheris

    from graph.timex import find_timexes, resolve_expression

    def target(data: bytes) -> None:
        provider = atheris.FuzzedDataProvider(data)
        published = date.fromordinal(provider.ConsumeIntInRange(1, date(9999, 12, 31).toordinal()))
        tense = "future" if provider.ConsumeBool() else "past"
        text = provider.ConsumeUnicodeNoSurrogates(400)
        find_timexes(text, published)
        find_timexes(text, None)
        resolve_expression(text, published, tense=tense)

    return target


def fuzz(name: str, seconds: float) -> int:
    """Run atheris on one target for ``seconds`` of CPU; print executions, rate and crashes."""
    import atheris

    folder = Path(tempfile.mkdtemp(prefix="tkg-fuzz-"))
    with atheris.instrument_imports():
        import graph.articles  # noqa: F401
        import graph.timex  # noqa: F401
    target = _reader_target(folder) if name == "reader" else _dates_target()
    crashes: list[str] = []
    executions = 0
    started, wall = _cpu(), time.perf_counter()

    def report() -> None:
        """Print the figures and leave: libFuzzer never returns from ``Fuzz``."""
        cpu = _cpu() - started
        print(f"{name}: atheris {_version()}: {executions} executions in {cpu:.0f} s CPU "
              f"({time.perf_counter() - wall:.0f} s wall), {executions / max(cpu, 1e-9):.0f} "
              f"exec/s; crashes: {len(crashes)}", flush=True)
        for crash in dict.fromkeys(crashes):
            print(f"  crash: {crash}", flush=True)
        os._exit(1 if crashes else 0)

    def one(data: bytes) -> None:
        nonlocal executions
        if _cpu() - started > seconds:
            report()
        executions += 1
        try:
            target(data)
        except Exception as error:  # noqa: BLE001 - every crash is a finding to report
            crashes.append(f"{type(error).__name__}: {error!s:.200} on {data[:120]!r}")

    atheris.Setup([sys.argv[0], "-rss_limit_mb=4096"], one)
    atheris.Fuzz()
    return 0


def _version() -> str:
    from importlib.metadata import version

    return version("atheris")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("target", choices=["roundtrip", "reader", "dates"])
    parser.add_argument("--examples", type=int, default=1000, help="roundtrip examples")
    parser.add_argument("--seconds", type=float, default=600.0, help="CPU seconds per fuzz run")
    args = parser.parse_args()
    if args.target == "roundtrip":
        return roundtrip(args.examples)
    return fuzz(args.target, args.seconds)


if __name__ == "__main__":
    sys.exit(main())
