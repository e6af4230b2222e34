"""Every replication notebook executes from top to bottom on the real data, and ends with an
answer computed in that run.

The notebooks are committed without outputs; this test runs each in a fresh Jupyter kernel
(nbclient), with POWERBALANCE_DATA pointing at the data; they read every data set by name with
``pb.datasets.load(name)``. Set POWERBALANCE_NOTEBOOK_OUT to a
folder to keep the executed copies (to look at their figures).
"""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

import powerbalance as pb

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def test_there_are_notebooks() -> None:
    assert len(NOTEBOOKS) >= 4, NOTEBOOKS


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_executes(path: Path, data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert not cell.get("outputs"), f"{path.name} is committed with outputs; clear them"
    monkeypatch.setenv("POWERBALANCE_DATA", str(data_dir))
    client = NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}})
    client.execute()
    keep = os.environ.get("POWERBALANCE_NOTEBOOK_OUT")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, Path(keep) / path.name)
    first = nb.cells[0]
    assert first.cell_type == "markdown" and "Question" in first.source, "a notebook opens with its question"
    last = nb.cells[-1]
    assert last.cell_type == "code", "a notebook ends with its answer, computed"
    text = "".join(o.get("text", "") for o in last.outputs if o.get("output_type") == "stream")
    assert len(text.split()) >= 20, f"{path.name}: the answer is missing or too short: {text!r}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_reads_data_by_dataset_name(path: Path) -> None:
    """Data come through pb.datasets (the data-home rule), by dataset name: no relative data
    path, no environment variable read directly, no folder of this checkout's layout."""
    import re

    nb = nbformat.read(path, as_version=4)
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert "pb.datasets." in code, f"{path.name} gets no data through pb.datasets"
    for bad in ("POWERBALANCE_DATA", "os.environ", "../", "shared/"):
        assert bad not in code, f"{path.name}: {bad!r}"
    # no data file named by its path (in Python or in a %%rhai cell): by dataset name only
    assert not re.search(r"""["'](sipri|cow_nmc|sipri_milex|un_ideal_points|alliances|gdp|cow_states|country_codes)/""", code), path.name
    # every data set is read into its domain object by pb.datasets.load(name): no file path
    # handed to a reader
    assert "datasets.path(" not in code and "datasets.paths(" not in code, f"{path.name}: use pb.datasets.load(name)"
    readers = re.findall(r"\bread_(?:sipri|nmc|milex|alliances|ideal_points|maddison|sdp_gdp|states|majors)\(", code)
    assert not readers, f"{path.name}: calls {readers}; use pb.datasets.load(name)"
    loaded = re.findall(r"""pb\.datasets\.load\(\s*["']([^"']+)["']""", code)
    unknown = [n for n in loaded if n not in pb.datasets.REGISTRY]
    assert not unknown, f"{path.name}: pb.datasets.load of unregistered data sets {unknown}"
