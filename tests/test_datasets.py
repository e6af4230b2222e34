"""The data set registry, the data home, and fetch against a local HTTP server that misbehaves.

The server (``http.server.ThreadingHTTPServer`` on 127.0.0.1, a free port) serves small files
the tests make, and per path: a 500 then the file, always 500, a body shorter than its
Content-Length, the wrong bytes, a stall longer than the client's timeout, and SIPRI's backend
(``POST /trades/trade-register-csv/`` answering ``{"bytes": base64}``). After every failure the
data home holds neither a partial nor a wrong file. No test reaches the network.
"""

from __future__ import annotations

import base64
import collections
import hashlib
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Tuple

import powerbalance as pb
import pyarrow as pa
import pytest
from powerbalance import _convert, datasets
from powerbalance.datasets import Build, DataFile, Dataset, Original

sys.path.insert(0, str(Path(__file__).parent))
from mirror_server import sipri_request_ok  # noqa: E402

# -- a small SIPRI register, made here --------------------------------------------------------

REGISTER_HEADER = (
    "SIPRI AT Database ID,Supplier,Recipient,Designation,Description,Armament category,Order date,"
    "Order date is estimate,Numbers delivered,Numbers delivered is estimate,Delivery year,"
    "Delivery year is estimate,Status,SIPRI estimate,TIV deal unit,TIV delivery values,Local production"
)
REGISTER_ROWS = [
    "1,Russia,China,Su-35,FGA aircraft,Aircraft,2015,No,10,No,2016,No,New,50,50,500,No",
    "1,Russia,China,Su-35,FGA aircraft,Aircraft,2015,No,14,No,2018,No,New,50,50,700,No",
    "2,France,India,Rafale,FGA aircraft,Aircraft,2016,No,3,No,2019,No,New,60,60,180,No",
    "3,United States,Saudi Arabia,M1A2S,tank,Armoured vehicles,2016,Yes,20,Yes,2018,Yes,New,4,4,80,No",
]
GENERATED = "1 Jan 2030 10:00:00 AM"


def small_register() -> bytes:
    preamble = [
        "Transfers of major conventional arms from All countries to All countries. Deals with deliveries or "
        "orders made for year range '1950' to '2029' ",
        "A '?' in a column indicates uncertain data.",
        "An empty field for Number ordered indicates that data is not yet available.",
        "SIPRI trend-indicator values (TIVs) are in millions.",
        "A note.",
        "Another note.",
        "Figures may not add up to stated totals due to the conventions of rounding.",
        "For the method see <https://www.sipri.org/databases/armstransfers/sources-and-methods>.",
        "",
        "Source: SIPRI Arms Transfers Database (c) SIPRI.",
        f"Data generated: {GENERATED}",
    ]
    return ("\n".join(preamble + [REGISTER_HEADER] + REGISTER_ROWS) + "\n").encode("ascii")


# -- the misbehaving server -------------------------------------------------------------------


class Server(ThreadingHTTPServer):
    daemon_threads = False  # server_close() joins the handler threads
    block_on_close = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.files: Dict[str, bytes] = {}
        self.hits: collections.Counter = collections.Counter()
        self.posts: List[Dict[str, Any]] = []
        self.release = threading.Event()  # ends the stalls
        self.sipri_answer: bytes = json.dumps({"bytes": base64.b64encode(small_register()).decode()}).encode()
        self.lock = threading.Lock()

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"


class Handler(BaseHTTPRequestHandler):
    server: Server

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def _send(self, code: int, body: bytes, length: Optional[int] = None, ctype: str = "text/csv") -> None:
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body) if length is None else length))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        with self.server.lock:
            self.server.hits[self.path] += 1
            hits = self.server.hits[self.path]
        _, kind, name = self.path.split("/", 2)
        body = self.server.files.get(name)
        if body is None:
            return self._send(404, b"not found", ctype="text/plain")
        try:
            if kind == "files":
                self._send(200, body)
            elif kind == "crlf":  # the file with CRLF line endings and no final newline
                self._send(200, body.replace(b"\n", b"\r\n").rstrip(b"\r\n"))
            elif kind == "flaky":  # 500, then the file
                if hits == 1:
                    self._send(500, b"try again", ctype="text/plain")
                else:
                    self._send(200, body)
            elif kind == "down":
                self._send(503, b"down", ctype="text/plain")
            elif kind == "short":  # promises the whole file, sends half, then closes
                self._send(200, body[: len(body) // 2], length=len(body))
            elif kind == "chunked":  # no Content-Length, half the file, then the connection closes
                self.send_response(200)
                self.send_header("Connection", "close")
                self.end_headers()
                self.wfile.write(body[: len(body) // 2])
            elif kind == "big":  # announces more than the registered size
                self._send(200, body, length=len(body) + 100)
            elif kind == "wrong":
                self._send(200, body[::-1])
            elif kind == "hang":  # accepts the request, never answers
                self.server.release.wait(10)
            elif kind == "stall":  # headers and half the body, then silence
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body[: len(body) // 2])
                self.wfile.flush()
                self.server.release.wait(10)
            else:
                self._send(404, b"unknown path", ctype="text/plain")
        except (BrokenPipeError, ConnectionResetError):
            pass

    def do_POST(self) -> None:
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n)
        with self.server.lock:
            self.server.hits[self.path] += 1
            self.server.posts.append({"path": self.path, "body": body, "headers": dict(self.headers)})
        if self.path == "/api/p/trades/trade-register-csv/":
            if not sipri_request_ok(body):
                return self._send(400, b'{"error": "bad filters"}', ctype="application/json")
            return self._send(200, self.server.sipri_answer, ctype="application/json")
        if self.path == "/api/html/trades/trade-register-csv/":
            return self._send(200, b"<html>maintenance</html>", ctype="text/html")
        if self.path == "/api/nobytes/trades/trade-register-csv/":
            return self._send(200, b'{"error": "no"}', ctype="application/json")
        if self.path == "/api/garbage/trades/trade-register-csv/":
            junk = base64.b64encode(b"\x00\x01 not a register at all\n").decode()
            return self._send(200, json.dumps({"bytes": junk}).encode(), ctype="application/json")
        self._send(404, b"{}", ctype="application/json")


@pytest.fixture
def server() -> Iterator[Server]:
    srv = Server()
    thread = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield srv
    finally:
        srv.release.set()
        srv.shutdown()
        srv.server_close()
        thread.join(5)


def closed_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


PAYLOAD = b"ccode,year,value\n" + b"".join(b"%d,%d,%d\n" % (i, 2000 + i % 20, i * 7) for i in range(4000))
FAST = dict(attempts=3, backoff=0.01, timeout=2.0)


def one_file_set(server: Server, kind: str, name: str = "t.csv", body: bytes = PAYLOAD) -> Dataset:
    server.files[name] = body
    return Dataset(
        name=f"test-{kind}",
        title="a test file",
        vintage="test",
        kind="csv",
        files=(
            DataFile(f"test/{kind}/{name}", hashlib.sha256(body).hexdigest(), len(body), f"{server.url}/{kind}/{name}"),
        ),
        source="http://127.0.0.1/",
        citation="none",
        licence="none",
    )


def leftovers(home: Path) -> List[str]:
    """Every file under ``home`` (temporary files included)."""
    return sorted(p.relative_to(home).as_posix() for p in home.rglob("*") if p.is_file()) if home.exists() else []


# -- the registry and the real data -----------------------------------------------------------


def test_registry_entries_are_complete() -> None:
    expected = {
        "sipri-tables-2022", "sipri-register-2024", "sipri-register-2026", "sipri-classic-2026",
        "sipri-totals-2021", "sipri-register-live", "cow-nmc-v6", "cow-nmc-v7", "sipri-milex",
        "cow-alliances", "atop", "un-ideal-points", "maddison-2023", "cow-states", "country-codes",
    }  # fmt: skip
    assert expected <= set(datasets.names())
    for ds in datasets.REGISTRY.values():
        assert ds.title and ds.vintage and ds.citation and ds.licence, ds.name
        assert ds.source.startswith(("http://", "https://")), ds.name
        for f in ds.files:
            assert not f.path.startswith("/") and "\\" not in f.path
            if ds.live:
                assert f.sha256 is None and f.size is None
                continue
            assert f.sha256 is not None and len(f.sha256) == 64 and int(f.sha256, 16) >= 0, f
            assert f.size is not None and f.size > 0
            assert f.downloadable, f
            if f.url:  # a mirror pinned at a commit
                assert f.url.startswith("https://raw.githubusercontent.com/"), f.url
                assert len(f.url.split("/")[5]) == 40, f.url
                assert f.build is None
            else:  # converted here: the originals and the recipe are recorded
                assert f.origin and f.note and f.build is not None, f
                assert f.build.recipe in _convert.RECIPES, f.build
                for o in f.build.inputs:
                    assert o.url.startswith("https://raw.githubusercontent.com/") and len(o.url.split("/")[5]) == 40, o
                    assert len(o.sha256) == 64 and o.size > 0, o
                    # kept under a folder's source/ (as in the shared layout), or it is a registered file
                    assert o.path.split("/")[1] == "source" or any(
                        o.path == g.path for d in datasets.REGISTRY.values() for g in d.files
                    ), o
    assert len(datasets.info("sipri-tables-2022").files) == 134
    assert datasets.info("sipri-register-live").live
    assert datasets.REPLICATION == tuple(n for n in datasets.names() if n != "sipri-register-live")
    assert all(datasets.list(data_home="/nonexistent", verify=False).column("downloadable"))


def test_every_download_is_an_original_of_the_data_folder(data_dir: Path) -> None:
    """Each URL fetch uses (a file's or an original's) is in ``originals.json`` with the same
    sha256, size and place in the data home, and the copy kept there has those bytes."""
    originals = json.loads((data_dir / "originals.json").read_text())["files"]
    wanted = {}
    for ds in datasets.REGISTRY.values():
        for f in ds.files:
            if f.url:
                wanted[f.url] = (f.path, f.sha256, f.size)
            for o in f.build.inputs if f.build else ():
                wanted[o.url] = (o.path, o.sha256, o.size)
    assert set(wanted) <= set(originals), sorted(set(wanted) - set(originals))
    assert len(wanted) == 158  # 149 files downloaded as they are, 9 originals (.rda, .dta, COW CSVs) converted here
    for url, (rel, sha, size) in wanted.items():
        entry = originals[url]
        assert (entry["file"], entry["sha256"], entry["size"]) == (rel, sha, size), url
        assert (data_dir / rel).stat().st_size == size


def test_every_recipe_rebuilds_the_registered_file(data_dir: Path) -> None:
    for ds in datasets.REGISTRY.values():
        for f in ds.files:
            if f.build is None:
                continue
            data = _convert.RECIPES[f.build.recipe](*[data_dir / o.path for o in f.build.inputs])
            assert hashlib.sha256(data).hexdigest() == f.sha256, f.path
            assert len(data) == f.size


def test_a_recipe_refuses_an_original_of_the_wrong_shape(tmp_path: Path) -> None:
    junk = tmp_path / "x.rda"
    junk.write_bytes(b"RDX3\nnot really R data")
    with pytest.raises(_convert.ConversionError, match="not a readable R data file"):
        _convert.cow_alliance(junk)
    with pytest.raises(_convert.ConversionError, match="not a readable Stata file"):
        _convert.ideal_points(junk)
    with pytest.raises(_convert.ConversionError, match="not a readable Excel workbook"):
        _convert.sipri_milex_long(junk, junk)
    codes = tmp_path / "codes.csv"
    codes.write_text("country.name.en,iso3c\nA,AAA\n")
    with pytest.raises(_convert.ConversionError, match="missing column"):
        _convert.country_crosswalk(codes)


def test_import_does_not_import_the_conversion_libraries() -> None:
    code = (
        "import sys, powerbalance as pb; pb.datasets.names(); "
        "print(sorted(m for m in ('pandas', 'openpyxl', 'pyreadr') if m in sys.modules))"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and r.stdout.strip() == "[]", r.stdout + r.stderr


def test_verify_real_data_passes_for_every_dataset(data_dir: Path) -> None:
    for name in datasets.names():
        if datasets.info(name).live:
            continue
        t = datasets.verify(name, data_home=data_dir)
        assert set(t.column("status")) == {"ok"}, t.filter(status="mismatch").to_pylist()
        assert t.column("sha256") == t.column("expected_sha256")
        datasets.verify(name, data_home=data_dir, strict=True)


def test_list_shows_the_real_data_present(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POWERBALANCE_DATA", str(data_dir))
    t = datasets.list()
    assert isinstance(t, pb.Table)
    assert {"name", "vintage", "files", "present", "verified"} <= set(t.column_names)
    for r in t.to_pylist():
        if r["name"] == "sipri-register-live":
            assert not r["present"] and not r["verified"]
        else:
            assert r["present"] and r["verified"], r
    assert t.filter(name="sipri-tables-2022").row(0)["files"] == 134


def test_load_sipri_gives_ledgers(data_dir: Path) -> None:
    led = datasets.load("sipri-register-2024", data_home=data_dir)
    assert isinstance(led, pb.Ledger)
    assert len(led) == 59157  # 31,319 (1950-89) + 27,838 (1990-2023)
    assert led.span == (1950, 2023)
    assert len(datasets.load("sipri-register-2026", data_home=data_dir)) == 25024
    assert len(datasets.load("sipri-tables-2022", data_home=data_dir)) == 22225
    imports = datasets.load("sipri-totals-2020", data_home=data_dir, file="epfl_TIV-Import-All-1950-2019.csv")
    assert imports.layout == "import-totals"


def test_load_gives_domain_objects(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POWERBALANCE_DATA", str(data_dir))
    nmc = datasets.load("cow-nmc-v7")
    assert isinstance(nmc, pb.Capabilities) and len(nmc) == 17121 and nmc.coverage == (1816, 2022)
    assert nmc.release == "7.0" and datasets.load("cow-nmc-v6").release == "6.0"
    milex = datasets.load("sipri-milex")
    assert type(milex).__name__ == "MilitaryExpenditure" and len(milex) == 13148 and milex.coverage == (1949, 2024)
    cow, atop = datasets.load("cow-alliances"), datasets.load("atop")
    assert (cow.source, cow.directed, len(cow)) == ("COW alliances v4.1", False, 60392)
    assert (atop.source, atop.directed, len(atop)) == ("ATOP 5.1", True, 273296)
    ideal = datasets.load("un-ideal-points")
    assert type(ideal).__name__ == "IdealPoints" and len(ideal) == 11440 and ideal.coverage == (1946, 2024)
    assert type(datasets.load("maddison-2023")).__name__ == "Maddison"
    assert datasets.load("cow-sdp-gdp").coverage == (1800, 2016)
    states = datasets.load("cow-states")
    assert (states.kind, states.n_states) == ("states", 217)
    majors = datasets.load("cow-states", file="majors2016.csv")
    assert majors.kind == "majors" and majors.members(2016) == [2, 200, 220, 255, 365, 710, 740]
    codes = datasets.load("country-codes")
    assert isinstance(codes, pa.Table) and codes.num_rows == 292
    namibia = [r for r in codes.to_pylist() if r["iso3c"] == "NAM"]
    assert namibia and namibia[0]["iso2c"] == "NA"  # Namibia's code, not a missing value
    full = datasets.load("country-codes", file="countrycode_codelist.csv")
    assert isinstance(full, pa.Table) and full.num_rows == 292 and full.num_columns > 15
    xlsx = datasets.load("sipri-milex", file="SIPRI-Milex-data-1949-2024_2.xlsx")
    assert isinstance(xlsx, Path) and xlsx.is_file()
    assert datasets.path("cow-nmc-v7") == data_dir / "cow_nmc" / "NMC-v7.0-abridged.csv"
    assert datasets.path("sipri-register-2024").is_dir()
    assert len(datasets.paths("sipri-register-2024")) == 4


def test_pb_datasets_is_lazy_attribute() -> None:
    assert pb.datasets is datasets


# -- data home and lookups --------------------------------------------------------------------


def test_data_home_resolution(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POWERBALANCE_DATA", str(tmp_path / "env"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert datasets.data_home(tmp_path / "arg") == tmp_path / "arg"
    assert datasets.data_home() == tmp_path / "env"
    monkeypatch.delenv("POWERBALANCE_DATA")
    if sys.platform.startswith("linux"):
        assert datasets.data_home() == tmp_path / "xdg" / "powerbalance"
        monkeypatch.delenv("XDG_CACHE_HOME")
        assert datasets.data_home() == Path.home() / ".cache" / "powerbalance"


def test_unknown_dataset_suggests() -> None:
    with pytest.raises(datasets.UnknownDatasetError) as e:
        datasets.load("sipri-register-2025")
    assert isinstance(e.value, KeyError)
    assert "sipri-register-2024" in e.value.suggestions
    assert str(e.value).startswith("unknown dataset 'sipri-register-2025'")


def test_load_missing_says_how_to_get_it(tmp_path: Path) -> None:
    with pytest.raises(datasets.DatasetNotFoundError) as e:
        datasets.load("cow-nmc-v7", data_home=tmp_path)
    assert isinstance(e.value, FileNotFoundError)
    assert f"`powerbalance data fetch cow-nmc-v7 --data-home {tmp_path}`" in str(
        e.value
    ) and "POWERBALANCE_DATA" in str(e.value)
    with pytest.raises(datasets.DatasetNotFoundError):
        datasets.verify("cow-nmc-v7", data_home=tmp_path, strict=True)


def test_load_refuses_a_wrong_file(tmp_path: Path, data_dir: Path) -> None:
    dest = tmp_path / "cow_states" / "states2016.csv"
    dest.parent.mkdir(parents=True)
    dest.write_bytes((data_dir / "cow_states" / "states2016.csv").read_bytes()[:-10])
    with pytest.raises(datasets.ChecksumError, match="size"):
        datasets.load("cow-states", data_home=tmp_path)


# -- fetch against the misbehaving server -----------------------------------------------------


def test_fetch_downloads_checks_and_keeps(server: Server, tmp_path: Path) -> None:
    ds = one_file_set(server, "files")
    out = datasets.fetch(ds, data_home=tmp_path, **FAST)
    assert out == tmp_path / "test/files/t.csv" and out.read_bytes() == PAYLOAD
    assert leftovers(tmp_path) == ["test/files/t.csv"]
    assert datasets.load(ds, data_home=tmp_path).num_rows == 4000
    assert set(datasets.verify(ds, data_home=tmp_path).column("status")) == {"ok"}
    datasets.fetch(ds, data_home=tmp_path, **FAST)  # present and verified: no request
    assert server.hits["/files/t.csv"] == 1
    datasets.fetch(ds, data_home=tmp_path, force=True, **FAST)
    assert server.hits["/files/t.csv"] == 2


def test_fetch_retries_after_a_500(server: Server, tmp_path: Path) -> None:
    ds = one_file_set(server, "flaky")
    out = datasets.fetch(ds, data_home=tmp_path, **FAST)
    assert out.read_bytes() == PAYLOAD
    assert server.hits["/flaky/t.csv"] == 2
    assert leftovers(tmp_path) == ["test/flaky/t.csv"]


def test_fetch_gives_up_on_a_host_that_always_fails(server: Server, tmp_path: Path) -> None:
    ds = one_file_set(server, "down")
    t0 = time.monotonic()
    with pytest.raises(datasets.FetchError, match=r"HTTP 503.*\(3 attempts\)") as e:
        datasets.fetch(ds, data_home=tmp_path, attempts=3, backoff=0.05, timeout=2.0)
    assert not isinstance(e.value, datasets.OfflineError)
    assert server.hits["/down/t.csv"] == 3
    assert time.monotonic() - t0 >= 0.05 + 0.1  # backoff 0.05 then 0.1
    assert leftovers(tmp_path) == []


#: The bodies fetch refuses, by the server's path: the error, its message, the attempts made.
BAD_BODIES: Dict[str, Tuple[type, str, int]] = {
    "short": (datasets.FetchError, rf"cut short: got {len(PAYLOAD) // 2} of {len(PAYLOAD)} bytes \(3 attempts\)", 3),
    # no Content-Length
    "chunked": (
        datasets.FetchError,
        rf"cut short: got {len(PAYLOAD) // 2} of the {len(PAYLOAD)} bytes expected \(3 attempts\)",
        3,
    ),
    # not retried: the size announced or the bytes are wrong, not the network
    "big": (datasets.FetchError, rf"announces {len(PAYLOAD) + 100} bytes, more than the {len(PAYLOAD)} expected", 1),
    "wrong": (datasets.ChecksumError, r"sha256 .* expected .*; the file was not saved", 1),
}


@pytest.mark.parametrize("kind", BAD_BODIES)
def test_fetch_refuses_a_bad_body(server: Server, tmp_path: Path, kind: str) -> None:
    """A body cut short (with or without a Content-Length), larger than registered, or with the
    wrong checksum: an error naming it, the attempts made, and nothing left on disk."""
    error, message, attempts = BAD_BODIES[kind]
    ds = one_file_set(server, kind)
    with pytest.raises(error, match=message):
        datasets.fetch(ds, data_home=tmp_path, **FAST)
    assert server.hits[f"/{kind}/t.csv"] == attempts
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize(
    "kind, message", [("stall", "stalled: no data for 0.3 s"), ("hang", "did not answer within 0.3 s")]
)
def test_fetch_ends_a_stall(server: Server, tmp_path: Path, kind: str, message: str) -> None:
    ds = one_file_set(server, kind)
    t0 = time.monotonic()
    with pytest.raises(datasets.FetchError, match=message) as e:
        datasets.fetch(ds, data_home=tmp_path, attempts=2, backoff=0.01, timeout=0.3)
    assert time.monotonic() - t0 < 5
    assert "(2 attempts)" in str(e.value)
    assert leftovers(tmp_path) == []


def test_fetch_says_when_offline(tmp_path: Path) -> None:
    port = closed_port()
    ds = Dataset(
        name="test-offline", title="t", vintage="t", kind="csv",
        files=(DataFile("test/offline.csv", "0" * 64, 10, f"http://127.0.0.1:{port}/files/offline.csv"),),
        source="http://127.0.0.1/", citation="none", licence="none",
    )  # fmt: skip
    with pytest.raises(datasets.OfflineError) as e:
        datasets.fetch(ds, data_home=tmp_path, attempts=2, backoff=0.01, timeout=2.0)
    msg = str(e.value)
    assert msg.startswith(f"cannot reach 127.0.0.1:{port}: ")
    assert "you are offline or the host is down; set POWERBALANCE_DATA to a folder that has the data" in msg
    assert leftovers(tmp_path) == []


def test_fetch_does_not_retry_a_404(server: Server, tmp_path: Path) -> None:
    ds = one_file_set(server, "files")
    ds = Dataset(**{**ds.__dict__, "files": (DataFile("test/404.csv", "0" * 64, 1, f"{server.url}/files/absent.csv"),)})
    with pytest.raises(datasets.FetchError, match="HTTP 404"):
        datasets.fetch(ds, data_home=tmp_path, **FAST)
    assert server.hits["/files/absent.csv"] == 1
    assert leftovers(tmp_path) == []


def test_a_failed_refetch_keeps_the_good_file(server: Server, tmp_path: Path) -> None:
    good = one_file_set(server, "files")
    datasets.fetch(good, data_home=tmp_path, **FAST)
    broken = Dataset(
        **{
            **good.__dict__,
            "files": (
                DataFile(good.files[0].path, good.files[0].sha256, good.files[0].size, f"{server.url}/short/t.csv"),
            ),
        }
    )
    with pytest.raises(datasets.FetchError):
        datasets.fetch(broken, data_home=tmp_path, force=True, **FAST)
    assert (tmp_path / good.files[0].path).read_bytes() == PAYLOAD
    assert leftovers(tmp_path) == ["test/files/t.csv"]


def test_fetch_gets_what_it_can_and_names_what_it_cannot(server: Server, tmp_path: Path) -> None:
    ds = one_file_set(server, "files")
    ds = Dataset(
        **{
            **ds.__dict__,
            "files": ds.files
            + (
                DataFile(
                    "test/files/converted.csv", "0" * 64, 5, None, "https://example.org/x.rda", "converted from x.rda"
                ),
            ),
        }
    )
    with pytest.raises(datasets.NotDownloadableError, match="converted.csv .*converted from x.rda") as e:
        datasets.fetch(ds, data_home=tmp_path, **FAST)
    assert "no download URL and no conversion recipe" in str(e.value) and "POWERBALANCE_DATA" in str(e.value)
    assert leftovers(tmp_path) == ["test/files/t.csv"]


def converted_set(server: Server, sha256: str) -> Dataset:
    """A data set with one file made by the ``cow_states_csv`` recipe from a CRLF original."""
    served = PAYLOAD.replace(b"\n", b"\r\n").rstrip(b"\r\n")
    original = Original(
        "test/source/t.csv", f"{server.url}/crlf/t.csv", hashlib.sha256(served).hexdigest(), len(served)
    )
    server.files["t.csv"] = PAYLOAD
    return Dataset(
        name="test-converted", title="t", vintage="t", kind="csv",
        files=(
            DataFile(
                "test/t.csv", sha256, len(PAYLOAD), None, original.url, "LF", build=Build("cow_states_csv", (original,))
            ),
        ),
        source="http://127.0.0.1/", citation="none", licence="none",
    )  # fmt: skip


def test_fetch_converts_an_original_and_keeps_it_under_source(server: Server, tmp_path: Path) -> None:
    ds = converted_set(server, hashlib.sha256(PAYLOAD).hexdigest())
    out = datasets.fetch(ds, data_home=tmp_path, **FAST)
    assert out.read_bytes() == PAYLOAD
    assert leftovers(tmp_path) == ["test/source/t.csv", "test/t.csv"]
    assert b"\r\n" in (tmp_path / "test/source/t.csv").read_bytes()
    assert datasets.load(ds, data_home=tmp_path).num_rows == 4000
    datasets.fetch(ds, data_home=tmp_path, **FAST)  # present: nothing downloaded again
    assert server.hits["/crlf/t.csv"] == 1


def test_a_conversion_with_the_wrong_result_installs_nothing(server: Server, tmp_path: Path) -> None:
    ds = converted_set(server, "0" * 64)
    with pytest.raises(
        datasets.ChecksumError,
        match=r"test/t.csv converted by recipe 'cow_states_csv': sha256 .*, expected 0{64}; the result was not saved",
    ):
        datasets.fetch(ds, data_home=tmp_path, **FAST)
    assert leftovers(tmp_path) == ["test/source/t.csv"]  # the checked original stays, no result, no .part


def test_fetch_into_powerbalance_data_is_refused(
    server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ds = one_file_set(server, "files")
    monkeypatch.setenv("POWERBALANCE_DATA", str(tmp_path))
    assert datasets.is_read_only() and datasets.home_source() == "env"
    with pytest.raises(datasets.ReadOnlyDataHomeError, match="read-only to powerbalance") as e:
        datasets.fetch(ds, **FAST)
    assert e.value.command == "env -u POWERBALANCE_DATA powerbalance data fetch test-files"
    assert server.hits["/files/t.csv"] == 0 and leftovers(tmp_path) == []
    datasets.fetch(ds, data_home=tmp_path, **FAST)  # named explicitly, it is written
    assert leftovers(tmp_path) == ["test/files/t.csv"]
    assert datasets.fetch(ds, **FAST) == tmp_path / "test/files/t.csv"  # complete there: nothing to write
    assert server.hits["/files/t.csv"] == 1


def test_fetched_files_are_readable_by_others(server: Server, tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        out = datasets.fetch(one_file_set(server, "files"), data_home=tmp_path, **FAST)
    finally:
        os.umask(old)
    assert oct(out.stat().st_mode & 0o777) == "0o644"


def test_fetch_draws_a_progress_bar(server: Server, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ds = one_file_set(server, "files")
    datasets.fetch(ds, data_home=tmp_path, progress=True, **FAST)
    err = capsys.readouterr().err
    assert "t.csv" in err and "100%" in err and err.endswith("\n")
    datasets.fetch(ds, data_home=tmp_path / "quiet", progress=False, **FAST)
    assert capsys.readouterr().err == ""


# -- SIPRI's backend --------------------------------------------------------------------------


def test_fetch_sipri_live_posts_filters_and_records_a_sidecar(server: Server, tmp_path: Path) -> None:
    out = datasets.fetch(
        "sipri-register-live", data_home=tmp_path, sipri_url=server.url + "/api/p", years=(1950, 2029), **FAST
    )
    assert out == tmp_path / "sipri/register_live/trade-register.csv"
    assert out.read_bytes() == small_register()
    (post,) = server.posts
    assert post["headers"]["Content-Type"] == "application/json"
    assert post["headers"]["Origin"] == "https://armstransfers.sipri.org"
    body = json.loads(post["body"])
    (years,) = [f for f in body["filters"] if f["field"] == "Delivery year"]
    assert (years["value1"], years["value2"], years["condition"]) == (1950, 2029, "contains")
    # the file parses, from the path and from the bytes
    led = pb.read_sipri(out)
    assert len(led) == 4 and led.span == (2016, 2019)
    assert len(pb.read_sipri_bytes(out.read_bytes(), out.name)) == 4
    assert len(datasets.load("sipri-register-live", data_home=tmp_path)) == 4
    meta = json.loads((out.parent / "trade-register.csv.meta.json").read_text())
    assert meta["sha256"] == hashlib.sha256(small_register()).hexdigest()
    assert meta["generated"] == GENERATED and meta["size"] == len(small_register())
    assert meta["fetched"] and "no fixed checksum" in meta["note"]
    assert leftovers(tmp_path) == [
        "sipri/register_live/trade-register.csv",
        "sipri/register_live/trade-register.csv.meta.json",
    ]
    assert set(datasets.verify("sipri-register-live", data_home=tmp_path).column("status")) == {"ok"}
    # a changed file no longer matches what was fetched
    out.write_bytes(small_register().replace(b"500", b"501"))
    assert datasets.verify("sipri-register-live", data_home=tmp_path).column("status") == ["mismatch"]


@pytest.mark.parametrize(
    "api, message",
    [
        ("html", "did not answer JSON"),
        ("nobytes", "without a 'bytes' string"),
        ("garbage", "not a SIPRI trade register"),
    ],
)
def test_fetch_sipri_live_rejects_odd_answers(server: Server, tmp_path: Path, api: str, message: str) -> None:
    with pytest.raises(datasets.FetchError, match=message):
        datasets.fetch("sipri-register-live", data_home=tmp_path, sipri_url=f"{server.url}/api/{api}", **FAST)
    assert leftovers(tmp_path) == []


def test_fetch_sipri_live_offline(tmp_path: Path) -> None:
    port = closed_port()
    with pytest.raises(datasets.OfflineError, match="you are offline or the host is down"):
        datasets.fetch(
            "sipri-register-live", data_home=tmp_path, sipri_url=f"http://127.0.0.1:{port}/api/p", attempts=1
        )
    assert leftovers(tmp_path) == []


# -- the command line -------------------------------------------------------------------------


def cli(*args: str, env: Optional[Dict[str, str]] = None) -> subprocess.CompletedProcess:
    e = dict(os.environ)
    e.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "powerbalance", "data", *args],
        capture_output=True, text=True, env=e, timeout=120,
    )  # fmt: skip


def test_cli_list_and_verify_real_data(data_dir: Path) -> None:
    r = cli("list", env={"POWERBALANCE_DATA": str(data_dir)})
    assert r.returncode == 0, r.stderr
    assert f"data home: {data_dir} (env)" in r.stdout
    assert all(line.rstrip().endswith("yes") for line in r.stdout.splitlines()[2:]), r.stdout  # downloadable
    assert "sipri-register-2024" in r.stdout and "cow-nmc-v7" in r.stdout
    r = cli("verify", "--data-home", str(data_dir))
    assert r.returncode == 0, r.stdout + r.stderr
    assert "ok       sipri-register-2024 (4 file(s))" in r.stdout
    assert "absent   sipri-register-live" in r.stdout
    r = cli("verify", "sipri-tables-2022", "--data-home", str(data_dir))
    assert (r.returncode, r.stdout.strip()) == (0, "ok       sipri-tables-2022 (134 file(s))")


def test_cli_verify_reports_a_wrong_file(data_dir: Path, tmp_path: Path) -> None:
    for name in ("states2016.csv", "majors2016.csv"):
        (tmp_path / "cow_states").mkdir(exist_ok=True)
        shutil.copy(data_dir / "cow_states" / name, tmp_path / "cow_states" / name)
    assert cli("verify", "cow-states", "--data-home", str(tmp_path)).returncode == 0
    p = tmp_path / "cow_states" / "majors2016.csv"
    p.write_bytes(p.read_bytes().replace(b"2016", b"2017", 1))
    r = cli("verify", "cow-states", "--data-home", str(tmp_path))
    assert r.returncode == 1
    assert "FAILED   cow-states: 1 of 2 file(s)" in r.stdout
    assert "mismatch   cow_states/majors2016.csv: sha256" in r.stdout
    r = cli("verify", "--data-home", str(tmp_path))  # all sets: the others are absent, this one is wrong
    assert r.returncode == 1 and "absent   cow-nmc-v7" in r.stdout
    r = cli("verify", "cow-nmc-v7", "--data-home", str(tmp_path))
    assert r.returncode == 1 and "missing    cow_nmc/NMC-v7.0-abridged.csv" in r.stdout


def test_cli_fetch(server: Server, tmp_path: Path) -> None:
    r = cli("fetch", "sipri-register-live", "--data-home", str(tmp_path), "--sipri-url", server.url + "/api/p")
    assert r.returncode == 0, r.stderr
    assert "sipri-register-live: fetched" in r.stdout and "4 deliveries" in r.stdout
    assert f"SIPRI generated it: {GENERATED}" in r.stdout
    assert hashlib.sha256(small_register()).hexdigest() in r.stdout and "no fixed checksum" in r.stdout
    assert r.stderr == ""  # no progress bar when stderr is not a terminal
    assert cli("verify", "sipri-register-live", "--data-home", str(tmp_path)).returncode == 0


def test_cli_fetch_errors(tmp_path: Path) -> None:
    r = cli("fetch", "sipri-regster-2024", "--data-home", str(tmp_path))
    assert r.returncode == 2
    assert "powerbalance: error: unknown dataset 'sipri-regster-2024'; did you mean 'sipri-register-2024'" in r.stderr
    port = closed_port()
    r = cli(
        "fetch",
        "sipri-register-live",
        "--data-home",
        str(tmp_path),
        "--attempts",
        "1",
        "--sipri-url",
        f"http://127.0.0.1:{port}/api/p",
    )
    assert r.returncode == 2
    assert f"powerbalance: error: cannot reach 127.0.0.1:{port}:" in r.stderr
    assert "you are offline or the host is down; set POWERBALANCE_DATA to a folder that has the data" in r.stderr
    r = cli(
        "fetch",
        "cow-nmc-v7",
        "--data-home",
        str(tmp_path / "home"),
        "--attempts",
        "1",
        env={"POWERBALANCE_MIRROR": f"http://127.0.0.1:{port}"},
    )
    assert r.returncode == 2
    assert f"powerbalance: error: cannot reach 127.0.0.1:{port}:" in r.stderr  # the original, through the mirror
    assert not (tmp_path / "home").exists()  # not even an empty folder
    r = cli("fetch", "cow-nmc-v7", "--attempts", "0")
    assert r.returncode == 2 and "--attempts must be 1 or more" in r.stderr
    r = cli("fetch")
    assert r.returncode == 2 and "name the data sets to fetch" in r.stderr and "--all" in r.stderr
    r = cli("fetch", "atop", "--all")
    assert r.returncode == 2 and "not both" in r.stderr
    r = cli("fetch", "atop", "cow-nmc-v8", "--data-home", str(tmp_path))
    assert r.returncode == 2 and "unknown dataset 'cow-nmc-v8'" in r.stderr
    assert leftovers(tmp_path) == []  # an unknown name stops the command before any download
