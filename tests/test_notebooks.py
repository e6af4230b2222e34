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
import powerbalance as pb
import pytest
from nbclient import NotebookClient

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
    assert not re.search(
        r"""["'](sipri|cow_nmc|sipri_milex|un_ideal_points|alliances|gdp|cow_states|country_codes)/""", code
    ), path.name
    # every data set is read into its domain object by pb.datasets.load(name): no file path
    # handed to a reader
    assert "datasets.path(" not in code and "datasets.paths(" not in code, f"{path.name}: use pb.datasets.load(name)"
    readers = re.findall(r"\bread_(?:sipri|nmc|milex|alliances|ideal_points|maddison|sdp_gdp|states|majors)\(", code)
    assert not readers, f"{path.name}: calls {readers}; use pb.datasets.load(name)"
    loaded = re.findall(r"""pb\.datasets\.load\(\s*["']([^"']+)["']""", code)
    unknown = [n for n in loaded if n not in pb.datasets.REGISTRY]
    assert not unknown, f"{path.name}: pb.datasets.load of unregistered data sets {unknown}"


def _required(code: str) -> "tuple[set[str], bool]":
    """The data sets a notebook's ``pb.datasets.require(...)`` names, and whether it requires
    ``pb.paper.DATASETS`` (what the replication reads)."""
    import re

    names: "set[str]" = set()
    paper = False
    for arg in re.findall(r"pb\.datasets\.require\(\s*(\[[^\]]*\]|pb\.paper\.DATASETS)", code):
        if arg == "pb.paper.DATASETS":
            paper = True
            names |= set(pb.paper.DATASETS)
        else:
            names |= set(re.findall(r"""["']([^"']+)["']""", arg))
    return names, paper


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_requires_every_data_set_it_loads(path: Path) -> None:
    """On a machine without our data, a notebook's first cell fetches what it reads: its
    ``pb.datasets.require([...], fetch=True)`` names every data set it then loads."""
    import re

    nb = nbformat.read(path, as_version=4)
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    required, paper = _required(code)
    assert required, f"{path.name}: no pb.datasets.require([...], fetch=True) call"
    assert re.search(r"pb\.datasets\.require\([^)]*fetch=True", code), f"{path.name}: require() without fetch=True"
    literal = set(re.findall(r"""pb\.datasets\.load\(\s*["']([^"']+)["']""", code))
    assert literal <= required, f"{path.name}: loads {sorted(literal - required)} without requiring them"
    dynamic = re.findall(r"""pb\.datasets\.load\(\s*([^"'\s)][^)]*)\)""", code)
    if dynamic:  # e.g. load(v.dataset) over pb.paper.verdicts.vintages(): the replication's sets
        assert paper, f"{path.name}: loads {dynamic} by a computed name; require pb.paper.DATASETS"
    if re.search(r"pb\.paper\.(claims|verdicts)\b", code):
        assert paper, f"{path.name}: uses pb.paper's claims; require pb.paper.DATASETS"


def test_a_notebook_fetches_its_data_into_an_empty_user_home(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As on a machine that never saw our data folder: no POWERBALANCE_DATA, an empty user data
    home, downloads through the local mirror of the originals (tests/mirror_server.py). The
    notebook with the most data sets beyond the replication's (capabilities, spending, UN votes,
    alliances: converted from .rda, .dta and .xlsx) fetches them in its first cell and runs."""
    import sys

    sys.path.insert(0, str(Path(__file__).parent))
    from mirror_server import MirrorServer

    path = ROOT / "notebooks" / "06_triangle.ipynb"
    nb = nbformat.read(path, as_version=4)
    required, _ = _required("\n".join(c.source for c in nb.cells if c.cell_type == "code"))
    xdg = tmp_path / "xdg"
    home = xdg / "powerbalance"
    with MirrorServer(data_dir) as mirror:
        monkeypatch.delenv("POWERBALANCE_DATA", raising=False)
        monkeypatch.setenv("XDG_CACHE_HOME", str(xdg))
        monkeypatch.setenv("POWERBALANCE_MIRROR", mirror.url)
        NotebookClient(
            nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
        ).execute()
        assert mirror.hits, "nothing was downloaded"
    err = "".join(o.get("text", "") for o in nb.cells[1].outputs if o.get("name") == "stderr")
    out = "".join(o.get("text", "") for o in nb.cells[1].outputs if o.get("name") == "stdout")
    assert f"data home: {home}" in out, out
    for name in sorted(required):
        assert f"fetching {name} (" in err, (name, err)
    assert pb.datasets.missing(sorted(required), data_home=home) == []
    rows = pb.datasets.verify(data_home=home).to_pylist()
    assert {r["dataset"] for r in rows if r["status"] == "ok"} >= required
    text = "".join(o.get("text", "") for o in nb.cells[-1].outputs if o.get("output_type") == "stream")
    assert len(text.split()) >= 20, text
