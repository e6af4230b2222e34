"""The notebooks as a person uses them: JupyterLab in headless Chromium.

The test starts JupyterLab on 127.0.0.1 (a free port, a random token) with every Jupyter folder
in a temporary directory: the Rhai kernel installed there (``python -m powerbalance.kernel
install --prefix``), not in the user's Jupyter path, and the notebooks copied there (JupyterLab
autosaves outputs). Playwright drives Debian's ``chromium`` (no browser download: the
executable is ``$POWERBALANCE_CHROMIUM``, else ``chromium`` on the PATH; ``--no-sandbox`` when
run as root). It opens

- a Rhai notebook (the ``rhai`` kernel), runs its cells and checks the result table as HTML
  with the core formatter's units, a chart drawn by JupyterLab's Vega extension (an SVG in the
  output area), the completion list after ``led.``, the Shift-Tab tooltip of a method, and an
  error shown with its line;
- notebook 07 (Python, ``%%rhai`` cells), runs it top to bottom and checks the tables, the
  chart of its ``%%rhai`` cell and the answer.

Screenshots of each step go to ``$POWERBALANCE_ARTIFACTS/browser`` (else a temporary folder);
the test prints where. A missing Chromium fails the test with the command that installs it:
it is never skipped.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any, Dict, Iterator, List, Tuple

import pytest

ROOT = Path(__file__).resolve().parents[1]
TABLES = "sipri/tiv_tables_2022/360info_TIV-Export-by-supplier_1950-2021"
#: How long one step may wait (cells read the real data on a shared machine).
WAIT_MS = 120_000

RHAI_CELLS = [
    f'let led = read_sipri("{TABLES}");\nled.importers(2016, 2020, #{{top: 5}})',
    'let china = led.series("China", 1992, 2021);\nchart(china, #{x: "year", y: "exports", kind: "line"})',
    "let a = 1;\nundefined_fn(a)",
]


def chromium() -> str:
    """The Chromium executable, or a failure naming the one command that installs it."""
    given = os.environ.get("POWERBALANCE_CHROMIUM")
    if given:
        if not os.access(given, os.X_OK):
            pytest.fail(f"POWERBALANCE_CHROMIUM={given} is not an executable")
        return given
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    pytest.fail(
        "the browser test needs Chromium, which is not installed: run `apt-get install -y chromium` as root "
        "(bash scripts/test.sh does it when it runs as root), or set POWERBALANCE_CHROMIUM to a Chromium executable"
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def artifacts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = os.environ.get("POWERBALANCE_ARTIFACTS")
    out = Path(base) / "browser" if base else tmp_path_factory.mktemp("browser-artifacts")
    out.mkdir(parents=True, exist_ok=True)
    return out


@pytest.fixture(scope="module")
def lab(data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Dict[str, Any]]:
    """A JupyterLab server with its Jupyter folders, the Rhai kernel and the notebooks in a
    temporary directory; yields its URL, token and notebook folder."""
    import nbformat

    root = tmp_path_factory.mktemp("jupyterlab")
    prefix, notebooks = root / "prefix", root / "notebooks"
    notebooks.mkdir()
    r = subprocess.run(
        [sys.executable, "-m", "powerbalance.kernel", "install", "--prefix", str(prefix)],
        capture_output=True, text=True, timeout=120,
    )
    assert r.returncode == 0, r.stderr
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "rhai", "display_name": "Rhai (powerbalance)", "language": "rhai"}
    nb.cells = [nbformat.v4.new_code_cell(c) for c in RHAI_CELLS]
    nbformat.write(nb, notebooks / "whatif.ipynb")
    shutil.copyfile(ROOT / "notebooks" / "07_whatifs_rhai.ipynb", notebooks / "07_whatifs_rhai.ipynb")
    # no news pop-up over the notebook
    settings = root / "settings"
    (settings / "@jupyterlab" / "apputils-extension").mkdir(parents=True)
    (settings / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings").write_text(
        json.dumps({"fetchNews": "false", "checkForUpdates": False})
    )
    env = dict(
        os.environ,
        POWERBALANCE_DATA=str(data_dir),
        JUPYTER_PATH=str(prefix / "share" / "jupyter"),
        JUPYTER_CONFIG_DIR=str(root / "config"),
        JUPYTER_DATA_DIR=str(root / "data"),
        JUPYTER_RUNTIME_DIR=str(root / "runtime"),
        POWERBALANCE_RHAI_LIMITS=json.dumps({"max_operations": 0, "max_wall_time": 120}),
    )
    port, token = _free_port(), os.urandom(16).hex()
    args = [
        sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
        f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={notebooks}",
        f"--LabApp.user_settings_dir={settings}", f"--LabApp.workspaces_dir={root / 'workspaces'}",
    ]
    if os.geteuid() == 0:
        args.append("--allow-root")
    log_path = root / "jupyterlab.log"
    with open(log_path, "w") as log:
        server = subprocess.Popen(args, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            if server.poll() is not None:
                pytest.fail(f"JupyterLab exited with {server.returncode}:\n{log_path.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(f"{url}/api/kernelspecs?token={token}", timeout=2) as resp:
                    specs = json.load(resp)["kernelspecs"]
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(f"JupyterLab did not answer on {url} in 120 s:\n{log_path.read_text()[-3000:]}")
                time.sleep(0.25)
        assert "rhai" in specs and "python3" in specs, sorted(specs)
        assert (prefix / "share" / "jupyter" / "kernels" / "rhai" / "kernel.json").is_file()
        yield {"url": url, "token": token, "notebooks": notebooks, "log": log_path}
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


@pytest.fixture(scope="module")
def browser(lab: Dict[str, Any]) -> Iterator[Any]:
    exe = chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        args = ["--no-sandbox"] if os.geteuid() == 0 else []
        b = pw.chromium.launch(executable_path=exe, args=args, headless=True)
        try:
            yield b
        finally:
            b.close()


def _open(browser: Any, lab: Dict[str, Any], name: str) -> Any:
    """A page with notebook ``name`` open alone, in a workspace of its own (JupyterLab would
    otherwise restore the notebooks of the last page beside it), its kernel idle."""
    import nbformat

    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.set_default_timeout(WAIT_MS)
    page.goto(f"{lab['url']}/lab/workspaces/{Path(name).stem}/tree/{name}?token={lab['token']}")
    page.wait_for_selector(".jp-Notebook .jp-Cell")
    # the kernel is up when the status bar says Idle
    page.wait_for_selector(".jp-StatusBar-TextItem:has-text('Idle')")
    cells = len(nbformat.read(lab["notebooks"] / name, as_version=4).cells)
    page.wait_for_function(f"document.querySelectorAll('.jp-Notebook .jp-Cell').length === {cells}")
    return page


def _menu(page: Any, menu: str, item: str) -> None:
    page.locator(".lm-MenuBar-itemLabel", has_text=menu).first.click()
    page.locator(".lm-Menu-itemLabel", has_text=item).first.click()


def _shot(page: Any, artifacts: Path, name: str, shots: List[Path]) -> None:
    path = artifacts / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    shots.append(path)


@contextlib.contextmanager
def _notebook(
    browser: Any, lab: Dict[str, Any], name: str, artifacts: Path, capsys: pytest.CaptureFixture[str]
) -> Iterator[Tuple[Any, Any, List[Path]]]:
    """Open notebook ``name``, run all its cells; yield the page, its code cells and the list of
    screenshots; at the end, a last screenshot, and the time and screenshots printed."""
    t0, shots = time.monotonic(), []
    page = _open(browser, lab, name)
    try:
        _menu(page, "Run", "Run All Cells")
        yield page, page.locator(".jp-Notebook .jp-CodeCell"), shots
    finally:
        _shot(page, artifacts, f"{Path(name).stem}_last", shots)
        page.close()
        with capsys.disabled():
            print(f"\nbrowser test {name}: {time.monotonic() - t0:.1f} s; screenshots: {' '.join(map(str, shots))}")


def test_a_rhai_notebook_in_jupyterlab(
    lab: Dict[str, Any], browser: Any, artifacts: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with _notebook(browser, lab, "whatif.ipynb", artifacts, capsys) as (page, cells, shots):
        # 1. the result table, as HTML with the units of the core formatter
        table = cells.nth(0).locator(".jp-OutputArea-output table")
        table.wait_for()
        text = table.inner_text()
        assert "Saudi Arabia" in text and "India" in text and "%" in text, text
        # 2. the chart: JupyterLab's Vega extension draws an SVG with the line
        svg = cells.nth(1).locator(".jp-OutputArea-output .vega-embed svg")
        svg.wait_for()
        assert svg.locator("path").count() > 0 and "2000" in svg.inner_html()
        # 3. the error, with its line
        err = cells.nth(2).locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
        err.wait_for()
        assert "ScriptError: line 2, column 1" in err.inner_text() and "undefined_fn" in err.inner_text()
        _shot(page, artifacts, "rhai_1_run_all", shots)

        # 4. completion after `led.`: the ledger's methods
        cells.nth(2).click()
        page.keyboard.press("Escape")
        page.keyboard.press("b")  # a new cell below, in command mode
        page.keyboard.press("Enter")  # edit it
        page.keyboard.type("led.")
        page.keyboard.press("Tab")
        completer = page.locator(".jp-Completer")
        completer.wait_for(state="visible")
        items = [i.strip() for i in completer.locator(".jp-Completer-item").all_inner_texts()]
        assert any("importers" in i for i in items) and any("clients" in i for i in items), items
        assert not any(i.startswith(("let", "while")) for i in items), "after `led.` only methods, no keywords"
        _shot(page, artifacts, "rhai_2_completion", shots)
        page.keyboard.press("Escape")

        # 5. Shift-Tab inside a call: the signature and doc comment
        page.keyboard.press("Control+a")
        page.keyboard.type("led.importers(2016, 2020")
        page.keyboard.press("Shift+Tab")
        tooltip = page.locator(".jp-Tooltip")
        tooltip.wait_for(state="visible")
        tip = tooltip.inner_text()
        assert "importers" in tip and "2016" not in tip, tip
        _shot(page, artifacts, "rhai_4_inspection", shots)


def test_notebook_07_with_rhai_cells_in_jupyterlab(
    lab: Dict[str, Any], browser: Any, artifacts: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with _notebook(browser, lab, "07_whatifs_rhai.ipynb", artifacts, capsys) as (page, cells, shots):
        last = cells.nth(cells.count() - 1).locator(".jp-OutputArea-output")
        last.wait_for()
        answer = last.inner_text()
        assert "China took" in answer and "Russia" in answer, answer
        errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
        assert errors.count() == 0, errors.all_inner_texts()
        # the %%rhai cells' tables, as HTML with units
        tables = page.locator(".jp-Notebook .jp-OutputArea-output table")
        assert tables.count() >= 2
        assert "%" in tables.first.inner_text()
        # the chart of the %%rhai cell, drawn by JupyterLab's Vega extension
        svg = page.locator(".jp-Notebook .vega-embed svg")
        svg.first.wait_for()
        assert svg.first.locator("path").count() > 0
        svg.first.scroll_into_view_if_needed()
        _shot(page, artifacts, "python_07_chart", shots)
