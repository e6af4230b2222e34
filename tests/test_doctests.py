"""Every docstring example of the installed ``powerbalance`` package runs, on the project's fixtures.

What runs: each module of the package that ``import powerbalance`` finds (the wheel in CI, the
source tree with ``PYTHONPATH=python``), walked with :func:`pkgutil.walk_packages`, every module
imported (the two ``__main__`` modules too: their entry points are behind ``if __name__ ==
"__main__"``); the examples of each module are found by :class:`doctest.DocTestFinder` and run by
:class:`doctest.DocTestRunner` with ``ELLIPSIS | NORMALIZE_WHITESPACE``, one pytest test per
module that has examples.

Where the data comes from: ``POWERBALANCE_DATA`` points at the synthetic mini data home of
``tests/fixtures/data`` (written for this project, in the real formats and the data-home layout;
see its README), so an example that reads data by the package's own rule,
``pb.read_nmc(pb.datasets.path("cow-nmc-v6"))``, reads the fixture, and the outputs the
docstrings show are the fixtures' figures. The examples need no real data and are not marked
``data``: they run in the no-data mode too. The working directory is a fresh temporary folder,
``pb`` is in every example's globals (as ``import powerbalance as pb`` would put it), and the
environment and the dataset registry are restored after each module.

Skips: the few examples that cannot run on the fixtures are marked ``+SKIP`` in their docstring,
with the reason on the same line, and listed in :data:`SKIPPED` with that reason;
:func:`test_skips_are_the_listed_ones` fails when a skip is added or removed without the list.
Those that need the real data (not the network) run unskipped in
:func:`test_skipped_examples_on_the_real_data`, which is a ``data`` test.

Why this file rather than ``pytest --doctest-modules --pyargs powerbalance``: pytest's collector
would need the package as an extra test path in ``[tool.pytest.ini_options]`` (``testpaths =
["tests"]``) or on every command line, and the examples' namespace (``pb``), data home, working
directory and restored registry would have to come from a plugin or a conftest outside
``tests/`` (a conftest applies to its own folder only). Tried on 2026-11-29: ``pytest
--doctest-modules --pyargs powerbalance`` collects these examples, and 41 of 87 docstrings fail
for want of ``pb``. Running the same finder and runner here keeps the test command (plain
``python -m pytest``) and its configuration unchanged, imports the package as users do, and
gives each module's examples the fixture data home, a clean working directory and a restored
environment.
"""

from __future__ import annotations

import contextlib
import doctest
import importlib
import io
import os
import pkgutil
from pathlib import Path
from typing import Dict, Iterator, List, Tuple

import powerbalance as pb
import pytest

FIXTURES = Path(__file__).resolve().parent / "fixtures"
#: The synthetic data home the examples read (``POWERBALANCE_DATA`` while they run).
DATA_HOME = FIXTURES / "data"

FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE

#: The docstrings with a skipped example: docstring -> (reason, run on the real data by
#: :func:`test_skipped_examples_on_the_real_data`). The reason is also on the example's line.
SKIPPED: Dict[str, Tuple[str, bool]] = {
    "powerbalance.datasets.fetch": ("downloads from the network into the user data home", False),
    "powerbalance.datasets.load": ("a registered data set: load checks the files' registered sizes", True),
    "powerbalance.paper.claims": ("evaluates a claim on the real data of ten data sets", True),
    "powerbalance.paper.verdicts.evaluate": ("evaluates a claim on the real data of ten data sets", True),
    "powerbalance.paper.importers.compare_table1": ("the paper's Table 1 against the real 2022 tables", True),
    "powerbalance.paper.importers.format_comparison": ("the paper's Table 1 against the real 2022 tables", True),
}


def _module_names() -> List[str]:
    def fail(name: str) -> None:
        raise ImportError(f"cannot import {name} while walking the package")

    names = ["powerbalance"]
    names += [m.name for m in pkgutil.walk_packages(pb.__path__, "powerbalance.", onerror=fail)]
    return sorted(names)


MODULES = _module_names()


def _tests(name: str) -> List[doctest.DocTest]:
    module = importlib.import_module(name)
    tests = doctest.DocTestFinder().find(module, name)
    return sorted((t for t in tests if t.examples), key=lambda t: t.name)


WITH_EXAMPLES = [name for name in MODULES if _tests(name)]


@contextlib.contextmanager
def _world(home: Path, cwd: Path) -> Iterator[Path]:
    """The examples' world: ``home`` as the data home, ``cwd`` as the working directory, no
    mirror; the environment, the working directory and the dataset registry restored after."""
    saved_env = dict(os.environ)
    saved_registry = dict(pb.datasets.REGISTRY)
    saved_cwd = os.getcwd()
    for var in ("POWERBALANCE_MIRROR", "POWERBALANCE_SIPRI_URL"):
        os.environ.pop(var, None)
    os.environ["POWERBALANCE_DATA"] = str(home)
    os.chdir(cwd)
    try:
        yield home
    finally:
        os.chdir(saved_cwd)
        pb.datasets.REGISTRY.clear()
        pb.datasets.REGISTRY.update(saved_registry)
        os.environ.clear()
        os.environ.update(saved_env)


@pytest.fixture
def fixture_home(tmp_path: Path) -> Iterator[Path]:
    """The fixture data home, in the examples' world (see :func:`_world`)."""
    with _world(DATA_HOME, tmp_path) as home:
        yield home


def _run(tests: List[doctest.DocTest], *, unskip: bool = False) -> Tuple[int, int, str]:
    """Run ``tests``; return (examples attempted, failed, the report of the failures)."""
    runner = doctest.DocTestRunner(optionflags=FLAGS)
    out = io.StringIO()
    for t in tests:
        if unskip:
            for ex in t.examples:
                ex.options.pop(doctest.SKIP, None)
        t.globs.setdefault("pb", pb)
        runner.run(t, out=out.write)
    return runner.tries, runner.failures, out.getvalue()


@pytest.mark.parametrize("module", WITH_EXAMPLES)
def test_examples(module: str, fixture_home: Path) -> None:
    """The module's docstring examples print what they claim, on the fixture data home."""
    attempted, failed, report = _run(_tests(module))
    assert attempted > 0
    if failed:
        pytest.fail(f"{failed} of {attempted} examples of {module} failed:\n{report}", pytrace=False)


def _skips() -> Dict[str, List[str]]:
    """Docstring name -> the source of its skipped examples, over the whole package."""
    out: Dict[str, List[str]] = {}
    for name in MODULES:
        for t in _tests(name):
            src = [ex.source.strip() for ex in t.examples if ex.options.get(doctest.SKIP)]
            if src:
                out[t.name] = src
    return out


def test_skips_are_the_listed_ones() -> None:
    """A skipped example is one of the few listed in SKIPPED, with its reason on its line."""
    found = _skips()
    assert sorted(found) == sorted(SKIPPED), "update SKIPPED (with the reason) when a skip is added or removed"
    for name, sources in found.items():
        for src in sources:
            comment = src.split("#")[1] if src.count("#") >= 2 else ""
            assert comment.strip(), (
                f"{name}: the skipped example {src!r} gives no reason (`# reason  # doctest: +SKIP`)"
            )
    n = sum(len(s) for s in found.values())
    assert n <= 8, f"{n} skipped examples: more than a handful"


def test_every_module_is_walked() -> None:
    """The walk reaches the subpackages and the modules that carry most examples."""
    for name in (
        "powerbalance.capabilities",
        "powerbalance.ledger",
        "powerbalance.datasets",
        "powerbalance.paper.importers",
        "powerbalance.kernel.__main__",
        "powerbalance.__main__",
    ):
        assert name in MODULES
    assert len(WITH_EXAMPLES) >= 10


def test_skipped_examples_on_the_real_data(data_dir: Path, tmp_path: Path) -> None:
    """The examples skipped because they need the real data run unskipped, with the rest of
    their docstrings, on the real data home."""
    wanted = {name for name, (_, on_data) in SKIPPED.items() if on_data}
    tests = [t for name in MODULES for t in _tests(name) if t.name in wanted]
    assert {t.name for t in tests} == wanted
    with _world(data_dir, tmp_path):
        attempted, failed, report = _run(tests, unskip=True)
    assert attempted >= len(wanted)
    if failed:
        pytest.fail(f"{failed} of {attempted} examples failed on the real data:\n{report}", pytrace=False)
