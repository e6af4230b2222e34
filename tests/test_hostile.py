"""The hostile-input corpus (``tests/hostile/``, described by ``manifest.json``) through the Python
API: each file gives the ``powerbalance.errors`` exception of the core error the manifest names,
pointing at the same line and column, or a read with the figures the manifest gives. Never a
panic, never a silent drop. (``rust/core/tests/hostile.rs`` runs the same corpus in Rust.)
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any, Dict, List

import pyarrow as pa
import pytest

import powerbalance as pb
from powerbalance import errors

HOSTILE = Path(__file__).parent / "hostile"
MANIFEST: Dict[str, Any] = json.loads((HOSTILE / "manifest.json").read_text(encoding="utf-8"))
CASES: List[Dict[str, Any]] = MANIFEST["cases"]

# The core's error variants and the exceptions they become.
CLASSES = {
    "Format": errors.DataFormatError,
    "Parse": errors.DataFormatError,
    "Empty": errors.EmptyFileError,
    "Encoding": errors.EncodingError,
}


def read(case: Dict[str, Any]) -> Any:
    path = HOSTILE / case["file"]
    reader = case["reader"]
    if reader == "sipri":
        return pb.read_sipri_bytes(path.read_bytes(), case.get("name", case["file"]))
    if reader == "nmc":
        return pb.read_nmc(path)
    if reader == "states":
        return pb.read_states(path)
    if reader == "majors":
        return pb.read_majors(path)
    if reader == "milex":
        return pb.read_milex(path)
    if reader == "maddison":
        return pb.read_maddison(path)
    if reader == "alliances":
        return pb.read_alliances(path)
    if reader == "ideal_points":
        return pb.read_ideal_points(path)
    raise AssertionError(f"unknown reader {reader!r}")


def test_every_file_is_in_the_manifest() -> None:
    listed = {c["file"] for c in CASES}
    on_disk = {p.name for p in HOSTILE.iterdir() if p.name != "manifest.json" and not p.name.startswith(".")}
    assert on_disk == listed
    assert len(CASES) >= 40


@pytest.mark.parametrize("case", [c for c in CASES if c["outcome"] == "error"], ids=lambda c: c["file"])
def test_hostile_error(case: Dict[str, Any]) -> None:
    cls = CLASSES[case["error"]]
    with pytest.raises(cls) as info:
        read(case)
    e = info.value
    # The exact class: a Parse error is a DataFormatError, not one of its subclasses.
    if case["error"] in ("Format", "Parse"):
        assert type(e) is errors.DataFormatError
    if "line" in case:
        assert e.line == case["line"], str(e)
    if "column" in case:
        assert e.column == case["column"], str(e)
    if "column_name" in case:
        assert e.column_name == case["column_name"], str(e)
    if "contains" in case:
        assert case["contains"] in str(e)


@pytest.mark.parametrize("case", [c for c in CASES if c["outcome"] == "ok"], ids=lambda c: c["file"])
def test_hostile_read(case: Dict[str, Any]) -> None:
    got = read(case)
    if case["reader"] != "sipri":
        assert len(got) == case["rows"]
        return
    led = got
    entries = pa.table(led.entries())
    assert entries.num_rows == len(led)
    if "entries" in case:
        assert len(led) == case["entries"]
    if "coverage" in case:
        assert led.coverage == case["coverage"]
    if "total_tiv" in case:
        total = sum(entries.column("tiv").to_pylist())
        assert math.isclose(total, case["total_tiv"], rel_tol=1e-9, abs_tol=1e-9)
    report = pa.table(led.report()).to_pylist()[0]
    if "format" in case:
        assert report["format"] == case["format"]
    skipped = pa.table(led.skipped()).to_pylist()
    if "skipped" in case:
        assert len(skipped) == case["skipped"]
    # Every data row is read or skipped with a reason.
    assert report["rows_read"] + len(skipped) == report["data_rows"]
    if "skipped_lines" in case:
        assert [[s["line"], s["reason"]] for s in skipped] == case["skipped_lines"]
    rows = entries.to_pylist()
    for sup, rec, year, tiv in case.get("sample", []):
        assert any(
            r["supplier"] == sup and r["recipient"] == rec and r["year"] == year and math.isclose(r["tiv"], tiv, rel_tol=1e-9)
            for r in rows
        ), (sup, rec, year, tiv)
    deal = case.get("deal", {})
    if "designation" in deal:
        assert any(r["designation"] == deal["designation"] for r in rows)
