"""Named public datasets: a registry, a data home, checked downloads and loaders.

Every data set powerbalance knows is registered here by name (``sipri-register-2024``,
``cow-nmc-v7``, ``un-ideal-points``, ...) with its vintage, its files (paths relative to the
*data home*), the sha256 and size of each file, a citation, a licence note and the source: the
publisher's page, and for files that reached us through a public GitHub mirror, the mirror's raw
URL at a pinned commit. These records are part of the package (``powerbalance/datasets.json``,
read and checked on first use); the data files are never shipped.

The data home is, in this order (:func:`data_home`, :func:`home_source`): the ``data_home``
argument, the ``POWERBALANCE_DATA`` environment variable, or the user data home, a per-user
cache folder (``$XDG_CACHE_HOME/powerbalance``, else ``~/.cache/powerbalance``;
``~/Library/Caches/powerbalance`` on macOS, ``%LOCALAPPDATA%`` on Windows). Files sit under it
with the layout of the project's shared data folder
(``sipri/register_newformat_2024/trade-register_1990-2023.csv``, ``cow_nmc/...``), so
``POWERBALANCE_DATA`` can point at a folder that already holds them. That folder is read-only to
powerbalance (it may be shared, as CI's is): :func:`fetch` writes only into the user data home or
a data home passed explicitly, and a missing file there is an error naming the command that
gets it (:func:`fetch_command`, :func:`require`).

- :func:`load` reads a data set into its domain object: a :class:`powerbalance.Ledger` for SIPRI
  arms transfers, :class:`powerbalance.Capabilities` for COW NMC, ``MilitaryExpenditure``,
  ``Alliances``, ``IdealPoints``, the GDP tables and the COW state list of
  :mod:`powerbalance.capabilities`, a :class:`pyarrow.Table` for the country codes.
- :func:`fetch` downloads a data set: written atomically (a temporary file in the same folder,
  fsync, rename; mode 0644 under umask 022), checked against its sha256 and size, retried with
  exponential backoff on server errors, stalls and dropped connections, each attempt bounded by a
  deadline derived from the file's size (:data:`MIN_RATE`) and by its registered size, with a
  progress bar on a terminal, one fetch at a time per data home (an ``flock`` on the folder). A
  failed or interrupted download leaves nothing in the data home: no partial or ``.part`` file,
  no empty folder.
- Every registered data set is downloadable. Where the publisher's file is not the file we read
  (R ``.rda``, Stata ``.dta``, Excel ``.xlsx``), :func:`fetch` downloads the original(s) from
  pinned URLs into ``<folder>/source/`` (checked), converts them with the recipe of
  :mod:`powerbalance._convert` that the data folder's README gives ("Original for download"),
  and installs the result only when it has the registered sha256. The libraries: ``pyreadr``
  (R data, via the C library librdata: wheels everywhere, verified byte for byte), ``pandas``
  (``read_stata``), ``openpyxl`` (the SIPRI workbook's flags are font colours, which only a
  reader of cell styles sees). They are imported only when a conversion runs.
- ``POWERBALANCE_MIRROR=BASE`` sends every download of ``https://HOST/PATH`` to
  ``BASE/HOST/PATH`` (:func:`mirrored`): a local mirror of the originals, or a test server.
- :func:`verify` checks the files in the data home against the registry; :func:`list` gives one
  row per data set (present, verified, downloadable).

SIPRI arms transfers can also be fetched live (``sipri-register-live``) from the SIPRI
database's own backend, as the public clients call it (``POST /trades/trade-register-csv/``).
SIPRI revises past years in every release, so a live download has no fixed checksum: its sha256,
the date SIPRI generated it and the date it was fetched are recorded in a sidecar file
(``<file>.meta.json``), which :func:`verify` checks against later.

The same is on the command line: ``powerbalance data home``, ``powerbalance data list``,
``powerbalance data fetch NAME... | --all`` (:data:`REPLICATION`), ``powerbalance data verify [NAME]``.

Examples
--------
>>> import powerbalance as pb
>>> "sipri-register-2024" in pb.datasets.names()
True
>>> pb.datasets.info("cow-nmc-v7").vintage
'NMC 7.0 (2025)'
>>> pb.datasets.path("cow-nmc-v7").relative_to(pb.datasets.data_home()).as_posix()
'cow_nmc/NMC-v7.0-abridged.csv'
>>> pb.read_nmc(pb.datasets.path("cow-nmc-v7")).release  # a file of the data home, read by its reader
'7.0'
>>> pb.datasets.missing(["cow-nmc-v7", "atop"], data_home="/nonexistent")
['cow-nmc-v7', 'atop']
"""

from __future__ import annotations

import builtins
import dataclasses
import datetime as _dt
import errno
import io
import json
import os
import re
import sys
import threading
import time
import urllib.parse
from pathlib import Path
from typing import (
    IO,
    TYPE_CHECKING,
    Any,
    Callable,
    Dict,
    Iterable,
    List,
    Optional,
    Sequence,
    Set,
    Tuple,
    TypeVar,
    Union,
)

# The network and file-writing modules (http.client, ssl, socket, urllib.request, tempfile,
# hashlib, ...) are imported by the functions that fetch, write or check files, so that the
# data-home rule (`powerbalance run`, `pb.datasets.path`) does not load them.
if TYPE_CHECKING:
    import urllib.request

from .errors import DataFileNotFoundError, PowerbalanceError
from .table import Table

__all__ = [
    "DataFile",
    "Dataset",
    "DatasetError",
    "UnknownDatasetError",
    "DatasetNotFoundError",
    "DataUnavailableError",
    "FetchError",
    "OfflineError",
    "ChecksumError",
    "NotDownloadableError",
    "ReadOnlyDataHomeError",
    "Original",
    "Build",
    "REPLICATION",
    "ENV_DATA_HOME",
    "ENV_MIRROR",
    "mirrored",
    "REGISTRY",
    "SIPRI_BACKEND",
    "data_home",
    "fetch",
    "fetch_command",
    "home_source",
    "info",
    "is_read_only",
    "list",
    "load",
    "missing",
    "names",
    "path",
    "paths",
    "register",
    "require",
    "verify",
]

_list = builtins.list  # this module defines its own ``list``
_T = TypeVar("_T")

PathLike = Union[str, "os.PathLike[str]"]

#: Environment variable naming the data home.
ENV_DATA_HOME = "POWERBALANCE_DATA"
#: Environment variable overriding the SIPRI backend's base URL.
ENV_SIPRI_URL = "POWERBALANCE_SIPRI_URL"
#: Environment variable naming a mirror: every download of ``https://HOST/PATH`` goes to
#: ``$POWERBALANCE_MIRROR/HOST/PATH`` instead (see :func:`mirrored`).
ENV_MIRROR = "POWERBALANCE_MIRROR"
#: Bytes per second a download must average: the default deadline of one attempt at a file is
#: ``timeout + size / MIN_RATE`` seconds (see :func:`fetch`).
MIN_RATE = 20_000
#: The size assumed for the live SIPRI answer when deriving its deadline (the register of
#: 1950-2025 is about 8 MB, 11 MB as base64 in JSON).
LIVE_EXPECTED_BYTES = 16 * 1024 * 1024
#: The most bytes accepted from the live SIPRI backend (a fixed file is capped at its registered
#: size): a body that does not end is cut there.
LIVE_MAX_BYTES = 64 * 1024 * 1024
#: The SIPRI Arms Transfers Database's backend, as public clients call it (see ``sipri/API.md``
#: of the shared data).
SIPRI_BACKEND = "https://atbackend.sipri.org/api/p"
#: Where the SIPRI portal lives; sent as ``Origin`` and ``Referer``, as the portal does.
SIPRI_PORTAL = "https://armstransfers.sipri.org"

# -- errors ---------------------------------------------------------------------------------


class DatasetError(PowerbalanceError):
    """Base class of the errors of :mod:`powerbalance.datasets`."""


class UnknownDatasetError(DatasetError, KeyError):
    """No data set has this name. ``name`` and ``suggestions`` (the nearest names) are set."""

    def __init__(self, name: str, suggestions: Sequence[str] = ()) -> None:
        self.name = name
        self.suggestions = _list(suggestions)
        hint = f"; did you mean {', '.join(repr(s) for s in self.suggestions)}?" if self.suggestions else ""
        super().__init__(f"unknown dataset {name!r}{hint} (`powerbalance data list` shows them all)")

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0])


class DatasetNotFoundError(DatasetError, DataFileNotFoundError):
    """A data set's files are not in the data home. ``name`` and ``missing`` are set."""

    def __init__(self, name: str, home: Path, missing: Sequence[str], command: Optional[str] = None) -> None:
        self.name = name
        self.missing = _list(missing)
        self.command = command or f"powerbalance data fetch {name}"
        shown = ", ".join(self.missing[:3]) + (f" and {len(self.missing) - 3} more" if len(self.missing) > 3 else "")
        super().__init__(
            errno.ENOENT,
            f"dataset {name!r} is not in the data home {home}: missing {shown}; run "
            f"`{self.command}` or set {ENV_DATA_HOME} to a folder that has the data",
            str(home / self.missing[0]) if self.missing else str(home),
        )

    def __str__(self) -> str:
        return str(self.strerror)


class FetchError(DatasetError, OSError):
    """A download failed. Nothing was written to the data home."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


class OfflineError(FetchError):
    """The host could not be reached (no network, a wrong address, or the host is down)."""


class ChecksumError(FetchError):
    """A file's sha256 (or size) is not the registered one."""


class NotDownloadableError(FetchError):
    """A file of the data set has neither a download URL nor a conversion recipe (a data set
    :func:`register`-ed without them); every built-in data set is downloadable."""


# -- the registry ---------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class DataFile:
    """One file of a data set.

    Attributes
    ----------
    path : str
        Relative to the data home, ``/``-separated.
    sha256, size : str or None, int or None
        The fixed content; None for a live download (its hash is recorded when fetched).
    url : str or None
        Where exactly these bytes can be downloaded (a mirror's raw URL at a pinned commit);
        None when the file was converted here from another format (see ``origin``).
    origin : str or None
        The file this one was made from, when it is not a byte-for-byte copy (raw URL at a
        pinned commit).
    note : str
        How the file relates to the publisher's release.
    build : Build or None
        For a converted file: the originals to download and the recipe of
        :mod:`powerbalance._convert` that makes this file from them.
    reader : str or None
        The reader :func:`load` uses for this file: ``"nmc"`` (:func:`powerbalance.read_nmc`),
        ``"states"``, ``"majors"``, ``"milex"``, ``"alliances"``, ``"ideal_points"``,
        ``"maddison"``, ``"sdp_gdp"``; None for a pyarrow table (CSV) or a path (other files).
    """

    path: str
    sha256: Optional[str]
    size: Optional[int]
    url: Optional[str] = None
    origin: Optional[str] = None
    note: str = ""
    build: Optional["Build"] = None
    reader: Optional[str] = None

    @property
    def downloadable(self) -> bool:
        """True when :func:`fetch` can get this file (downloaded, or converted from originals)."""
        return bool(self.url) or self.build is not None


@dataclasses.dataclass(frozen=True)
class Original:
    """A publisher's file that a converted file is made from.

    ``path`` is where it is kept in the data home (``<folder>/source/...``, the layout of the
    project's shared data folder; or the registered file itself when the original is one),
    ``url`` the pinned download, ``sha256`` and ``size`` its content.
    """

    path: str
    url: str
    sha256: str
    size: int


@dataclasses.dataclass(frozen=True)
class Build:
    """How a converted file is made: ``recipe`` (a function of :mod:`powerbalance._convert`)
    applied to ``inputs`` (the :class:`Original` files, in the order the recipe takes them)."""

    recipe: str
    inputs: Tuple[Original, ...]


@dataclasses.dataclass(frozen=True)
class Dataset:
    """A named, versioned data set.

    Attributes
    ----------
    name : str
        The registry name (``"sipri-register-2024"``).
    title, vintage : str
        What it is and which release.
    kind : str
        ``"sipri"`` (read with :func:`powerbalance.read_sipri`), ``"sipri-live"`` (the same,
        fetched live from SIPRI's backend) or ``"csv"`` (read with :mod:`pyarrow.csv`).
    files : tuple of DataFile
    source : str
        The publisher's page.
    citation, licence : str
        How to cite it, and the terms as the publisher states them.
    mirror : str
        The public repository and commit the files came from, when not from the publisher.
    load_path : str
        What :func:`load` reads, relative to the data home: a file or (for SIPRI) a folder.
        Default: the first file.
    notes : str
        Quirks a user should know.
    """

    name: str
    title: str
    vintage: str
    kind: str
    files: Tuple[DataFile, ...]
    source: str
    citation: str
    licence: str
    mirror: str = ""
    load_path: str = ""
    notes: str = ""

    def __post_init__(self) -> None:
        if self.kind not in ("sipri", "sipri-live", "csv"):
            raise ValueError(f"dataset {self.name!r}: unknown kind {self.kind!r}")
        if not self.files:
            raise ValueError(f"dataset {self.name!r} has no files")
        for f in self.files:
            if f.path.startswith("/") or ".." in f.path.split("/"):
                raise ValueError(f"dataset {self.name!r}: file path must be relative: {f.path!r}")

    @property
    def live(self) -> bool:
        """True for a data set fetched live (no fixed checksum)."""
        return self.kind == "sipri-live"

    @property
    def size(self) -> int:
        """Total size in bytes of the files with a fixed size."""
        return sum(f.size or 0 for f in self.files)

    @property
    def primary(self) -> str:
        """What :func:`load` reads by default, relative to the data home."""
        return self.load_path or self.files[0].path


# The built-in registry is a package data file, ``datasets.json`` beside this module, read on the
# first use of :data:`REGISTRY` (not when the module is imported). Its records:
#
# - ``repos``: the public GitHub repositories the files and originals come from, each at the
#   commit the sha256 sums pin (``name``, ``commit``), by a short key;
# - ``originals``: the publishers' files that converted files are made from (see each data
#   folder's README, "Original for download"), by key: ``path`` in the data home, ``repo`` and
#   ``raw`` (the path in the repository), ``size``, ``sha256`` (an :class:`Original`);
# - ``datasets``: the fields of each :class:`Dataset`, in the order ``powerbalance data list``
#   shows them; each of its ``files`` is a :class:`DataFile` of one of four forms: a copy
#   (``path, repo, raw, size, sha256``), a converted file (``path, recipe, inputs`` (keys of
#   originals), ``size, sha256``; its ``origin`` is the first input's URL), an original kept as
#   it is (``original``: a key), or a live download (``path`` with ``size`` and ``sha256`` null);
#   ``note`` and ``reader`` are optional in all four.
#
# Every record is checked when the file is read: a missing, unknown or mistyped field raises a
# DatasetError naming the entry and the field.

_RECORDS = "datasets.json"
# How a file record says which form it is: by the first of these fields it has (else a live file).
_LIVE = "live file (no 'original', 'recipe' or 'repo')"
_FILE_FORMS = (("original", "kept original"), ("recipe", "converted"), ("repo", "copy"))
_SHA256 = re.compile(r"[0-9a-f]{64}")
# The fields of each kind of record and their JSON types; those of _OPTIONAL may be left out.
_NOTE = {"note": str, "reader": str}
_FIELDS: Dict[str, Dict[str, type]] = {
    "registry": {"about": str, "repos": dict, "originals": dict, "datasets": _list},
    "repo": {"name": str, "commit": str},
    "original": {"path": str, "repo": str, "raw": str, "size": int, "sha256": str},
    "dataset": {
        **{f.name: str for f in dataclasses.fields(Dataset) if f.name != "files"},
        "files": _list,
    },
    "copy": {"path": str, "repo": str, "raw": str, "size": int, "sha256": str, **_NOTE},
    "converted": {"path": str, "recipe": str, "inputs": _list, "size": int, "sha256": str, **_NOTE},
    "kept original": {"original": str, **_NOTE},
    _LIVE: {"path": str, "size": type(None), "sha256": type(None), **_NOTE},
}
_OPTIONAL = {"about", "mirror", "load_path", "notes", "note", "reader"}
_JSON_TYPE = {type(None): "null", str: "a string", int: "an integer", _list: "a list", dict: "an object"}


class _Records:
    """The records of :data:`_RECORDS`, checked as they are read (``where`` names the file)."""

    def __init__(self, document: Any, where: str) -> None:
        self.where = where
        top = self.fields(document, _FIELDS["registry"], "top level")
        self.repos = {k: self.fields(v, _FIELDS["repo"], f"repo {k!r}") for k, v in top["repos"].items()}
        self.originals = {k: self.original(k, v) for k, v in top["originals"].items()}
        self.datasets = tuple(self.dataset(i, v) for i, v in enumerate(top["datasets"], 1))

    def error(self, entry: str, problem: str) -> DatasetError:
        return DatasetError(f"malformed dataset registry {self.where}: {entry}: {problem}")

    def fields(self, record: Any, types: Dict[str, type], entry: str) -> Dict[str, Any]:
        """``record``, a JSON object with exactly the fields of ``types`` (some optional), each of its type."""
        if not isinstance(record, dict):
            raise self.error(entry, f"expected an object, got {json.dumps(record)[:60]}")
        unknown = sorted(record.keys() - types.keys())
        if unknown:
            raise self.error(entry, f"unknown field {unknown[0]!r} (known: {', '.join(types)})")
        for key, kind in types.items():
            if key not in record:
                if key in _OPTIONAL:
                    continue
                raise self.error(entry, f"field {key!r} is missing")
            value: Any = record[key]
            if not isinstance(value, kind) or (isinstance(value, bool) and kind is int):
                raise self.error(entry, f"field {key!r} must be {_JSON_TYPE[kind]}, not {json.dumps(value)[:60]}")
            if key == "sha256" and isinstance(value, str) and not _SHA256.fullmatch(value):
                raise self.error(entry, f"field 'sha256' must be 64 lowercase hex digits, not {value!r}")
            if key == "size" and isinstance(value, int) and value < 0:
                raise self.error(entry, f"field 'size' must not be negative, not {value}")
        return dict(record)

    def key(self, table: Dict[str, _T], key: str, entry: str, field: str) -> _T:
        """The record ``key`` of ``table`` (the repos or the originals) that ``field`` names."""
        if key not in table:
            among = "repos" if field == "repo" else "originals"
            raise self.error(entry, f"field {field!r} names {key!r}, which is not among the {among}")
        return table[key]

    def raw(self, record: Dict[str, Any], entry: str) -> str:
        """The raw URL of ``record``'s ``raw`` path in its ``repo`` at the pinned commit."""
        repo = self.key(self.repos, record["repo"], entry, "repo")
        return f"https://raw.githubusercontent.com/{repo['name']}/{repo['commit']}/{record['raw']}"

    def original(self, key: str, value: Any) -> Original:
        entry = f"original {key!r}"
        r = self.fields(value, _FIELDS["original"], entry)
        return Original(r["path"], self.raw(r, entry), r["sha256"], r["size"])

    def file(self, value: Any, entry: str) -> DataFile:
        form = next((f for k, f in _FILE_FORMS if isinstance(value, dict) and k in value), _LIVE)
        r = self.fields(value, _FIELDS[form], f"{entry} ({form})")
        note, reader = r.get("note", ""), r.get("reader")
        if form == "kept original":
            o = self.key(self.originals, r["original"], entry, "original")
            return DataFile(o.path, o.sha256, o.size, o.url, note=note, reader=reader)
        if form == "converted":
            if not r["inputs"]:
                raise self.error(entry, "field 'inputs' must name at least one original")
            inputs = tuple(self.key(self.originals, k, entry, "inputs") for k in r["inputs"])
            build = Build(r["recipe"], inputs)
            return DataFile(r["path"], r["sha256"], r["size"], None, inputs[0].url, note, build=build, reader=reader)
        url = self.raw(r, entry) if form == "copy" else None
        return DataFile(r["path"], r["sha256"], r["size"], url, note=note, reader=reader)

    def dataset(self, i: int, value: Any) -> Dataset:
        name = value.get("name") if isinstance(value, dict) else None
        entry = f"dataset {i}" + (f" ({name!r})" if isinstance(name, str) else "")
        r = self.fields(value, _FIELDS["dataset"], entry)
        r["files"] = tuple(self.file(f, f"{entry}, file {j}") for j, f in enumerate(r["files"], 1))
        try:
            return Dataset(**r)
        except ValueError as e:
            raise self.error(entry, str(e)) from None


def _read_records(text: str, where: str) -> Tuple[Dataset, ...]:
    """The data sets of a registry file's ``text`` (JSON); ``where`` names it in the errors."""
    try:
        document = json.loads(text)
    except ValueError as e:
        raise DatasetError(f"malformed dataset registry {where}: {e}") from None
    return _Records(document, where).datasets


_registry_lock = threading.Lock()

#: Name -> :class:`Dataset`: the built-in data sets (the package's ``datasets.json``, read on
#: first use) and those added with :func:`register`.
REGISTRY: Dict[str, Dataset]

#: The data sets the replication (``powerbalance replicate``, the notebooks) reads: every
#: built-in set except the live one. ``powerbalance data fetch --all`` gets these.
REPLICATION: Tuple[str, ...]


def _registry() -> Dict[str, Dataset]:
    """:data:`REGISTRY`, with the built-in data sets read from the package's records on first use."""
    with _registry_lock:
        if "REGISTRY" not in globals():
            from importlib import resources

            text = resources.files("powerbalance").joinpath(_RECORDS).read_text(encoding="utf-8")
            builtin = _read_records(text, f"powerbalance/{_RECORDS}")
            globals()["REPLICATION"] = tuple(ds.name for ds in builtin if not ds.live)
            globals()["REGISTRY"] = {ds.name: ds for ds in builtin}
    registry: Dict[str, Dataset] = globals()["REGISTRY"]
    return registry


def __getattr__(name: str) -> Any:
    if name in ("REGISTRY", "REPLICATION"):  # read on first use
        _registry()
        return globals()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def register(dataset: Dataset, *, replace: bool = False) -> Dataset:
    """Add a data set to :data:`REGISTRY` (for example a local mirror); return it.

    Raises ``ValueError`` if the name is taken, unless ``replace``.

    Examples
    --------
    A file of your own in the data home (here the NMC file), registered with its size and
    sha256 so that :func:`load` and :func:`verify` check it:

    >>> import hashlib
    >>> f = path("cow-nmc-v7")
    >>> mine = register(Dataset(
    ...     name="my-nmc", title="COW NMC, my copy", vintage="7.0", kind="csv",
    ...     files=(DataFile("cow_nmc/NMC-v7.0-abridged.csv", hashlib.sha256(f.read_bytes()).hexdigest(),
    ...                     f.stat().st_size, reader="nmc"),),
    ...     source="https://correlatesofwar.org/data-sets/national-material-capabilities/",
    ...     citation="Singer, Bremer & Stuckey (1972)", licence="as the publisher states"))
    >>> load("my-nmc").release, verify("my-nmc")["status"]
    ('7.0', ['ok'])
    """
    if not isinstance(dataset, Dataset):
        raise TypeError(f"register() takes a Dataset, not {type(dataset).__name__}")
    registry = _registry()
    if dataset.name in registry and not replace:
        raise ValueError(f"dataset {dataset.name!r} is already registered (pass replace=True)")
    registry[dataset.name] = dataset
    return dataset


def names() -> List[str]:
    """The registered data set names, in registry order."""
    return _list(_registry())


def info(name: Union[str, Dataset]) -> Dataset:
    """The registry entry of a data set.

    Raises
    ------
    UnknownDatasetError
        With the nearest names in ``suggestions``.
    """
    if isinstance(name, Dataset):
        return name
    try:
        return _registry()[name]
    except (KeyError, TypeError):
        import difflib

        key = str(name)
        close = difflib.get_close_matches(key.lower(), names(), n=3, cutoff=0.6)
        if not close:
            close = [n for n in names() if key.lower() in n][:3]
        raise UnknownDatasetError(key, close) from None


# -- data home ------------------------------------------------------------------------------


def _user_cache_dir() -> Path:
    if sys.platform.startswith("win"):
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        return Path(base) / "powerbalance" / "Cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "powerbalance"
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg and os.path.isabs(xdg) else Path.home() / ".cache"
    return base / "powerbalance"


def data_home(data_home: Optional[PathLike] = None) -> Path:
    """The data home: ``data_home`` if given, else ``$POWERBALANCE_DATA``, else a user cache dir.

    The folder is not created here (:func:`fetch` creates what it writes).

    Examples
    --------
    >>> data_home("/tmp/pbdata").name
    'pbdata'
    """
    if data_home is not None:
        return Path(os.fspath(data_home)).expanduser()
    env = os.environ.get(ENV_DATA_HOME)
    if env:
        return Path(env).expanduser()
    return _user_cache_dir()


def home_source(data_home: Optional[PathLike] = None) -> str:
    """Where the data home comes from: ``"argument"``, ``"env"`` (``POWERBALANCE_DATA``) or ``"user"``.

    A folder named by ``POWERBALANCE_DATA`` is read-only to powerbalance (it may be shared, as CI's
    is): :func:`fetch` refuses to write there unless the folder is also passed explicitly.

    Examples
    --------
    >>> home_source("/tmp/pbdata")
    'argument'
    """
    if data_home is not None:
        return "argument"
    return "env" if os.environ.get(ENV_DATA_HOME) else "user"


def is_read_only(data_home: Optional[PathLike] = None) -> bool:
    """True when the data home is the folder named by ``POWERBALANCE_DATA`` (read-only to the package)."""
    return home_source(data_home) == "env"


def fetch_command(names: Sequence[str], data_home: Optional[PathLike] = None) -> str:
    """The one shell command that gets ``names`` into the data home (what error messages print)."""
    joined = " ".join(names)
    if home_source(data_home) == "argument":
        return f"powerbalance data fetch {joined} --data-home {_home(data_home)}"
    if home_source(data_home) == "env":
        return f"env -u {ENV_DATA_HOME} powerbalance data fetch {joined}"
    return f"powerbalance data fetch {joined}"


def missing(names: Iterable[str], *, data_home: Optional[PathLike] = None) -> List[str]:
    """The data sets among ``names`` that lack a file in the data home (sizes only, no hashing).

    Examples
    --------
    >>> missing(["cow-nmc-v7"], data_home="/nonexistent")
    ['cow-nmc-v7']
    """
    home = _home(data_home)
    out = []
    for n in names:
        ds = info(n)
        if any(_check_file(ds, f, home, hash_=False)["status"] != "ok" for f in ds.files):
            out.append(ds.name)
    return out


class DataUnavailableError(DatasetError, DataFileNotFoundError):
    """Data sets a command needs are not in the data home and could not be fetched.

    ``names`` (the missing data sets), ``home`` and ``command`` (the one command that gets them)
    are set; the message names all three.
    """

    def __init__(self, names: Sequence[str], home: Path, command: str, reason: str = "") -> None:
        self.names = _list(names)
        self.home = home
        self.command = command
        why = f" ({reason})" if reason else ""
        super().__init__(
            errno.ENOENT,
            f"missing data in {home}: {', '.join(self.names)}{why}; get them with `{command}`",
            str(home),
        )

    def __str__(self) -> str:
        return str(self.strerror)


def require(
    names: Iterable[str],
    *,
    data_home: Optional[PathLike] = None,
    fetch: bool = False,
    progress: Optional[bool] = None,
) -> Path:
    """Make sure the data sets ``names`` are in the data home; return the data home.

    With ``fetch=True`` the missing ones are downloaded (see :func:`fetch`) when the data home
    is writable (not the read-only ``POWERBALANCE_DATA`` folder). Otherwise, or when a
    download fails, raises :class:`DataUnavailableError` naming every missing data set and the
    one command that gets them.

    Unless ``progress`` is False, each data set fetched is announced on stderr by one line (its
    name, files, size and the data home), on a terminal or not; the progress bar of each file
    follows on a terminal (``progress=None``) or always (``progress=True``).
    """
    names = _list(names)
    home = _home(data_home)
    lacking = missing(names, data_home=data_home)
    if not lacking:
        return home
    command = fetch_command(lacking, data_home)
    if not fetch:
        raise DataUnavailableError(lacking, home, command)
    if is_read_only(data_home):
        raise DataUnavailableError(lacking, home, command, f"{ENV_DATA_HOME} is read-only to powerbalance")
    for i, n in enumerate(lacking, 1):
        if progress is not False:  # one line per data set, on a terminal or not (a log shows it)
            ds = info(n)
            files = f"{len(ds.files)} file{'s' if len(ds.files) != 1 else ''}"
            size = "" if not ds.size else f", {ds.size / 1e6:.1f} MB" if ds.size >= 1e6 else f", {ds.size / 1e3:.0f} kB"
            sys.stderr.write(f"fetching {n} ({i} of {len(lacking)}: {files}{size}) into {home}\n")
            sys.stderr.flush()
        try:
            globals()["fetch"](n, data_home=home, progress=progress)
        except FetchError as e:
            raise DataUnavailableError(missing(names, data_home=data_home), home, command, str(e)) from e
    return home


def _pick(ds: Dataset, file: Optional[str]) -> str:
    """The relative path of a file of ``ds`` given by its path or base name."""
    if file is None:
        return ds.primary
    for f in ds.files:
        if file in (f.path, f.path.rsplit("/", 1)[-1]):
            return f.path
    known = ", ".join(f.path.rsplit("/", 1)[-1] for f in ds.files[:6]) + (", ..." if len(ds.files) > 6 else "")
    raise DatasetError(f"dataset {ds.name!r} has no file {file!r} (it has {known})")


def path(name: Union[str, Dataset], *, data_home: Optional[PathLike] = None, file: Optional[str] = None) -> Path:
    """Where a data set (or one of its files) is in the data home; it may not exist yet.

    Without ``file``: what :func:`load` reads (a file, or a folder for the multi-file SIPRI
    sets). ``file`` is a file's base name or its relative path.

    Examples
    --------
    >>> path("cow-nmc-v7", data_home="/data").as_posix()
    '/data/cow_nmc/NMC-v7.0-abridged.csv'
    """
    ds = info(name)
    return _home(data_home) / _pick(ds, file)


def paths(name: Union[str, Dataset], *, data_home: Optional[PathLike] = None) -> List[Path]:
    """Every file of a data set in the data home (they may not exist yet)."""
    ds = info(name)
    home = _home(data_home)
    return [home / f.path for f in ds.files]


def _home(value: Optional[PathLike]) -> Path:
    return data_home(value)


# -- checking -------------------------------------------------------------------------------


def _sha256_file(p: Path) -> str:
    import hashlib

    h = hashlib.sha256()
    with open(p, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _meta_path(p: Path) -> Path:
    return p.with_name(p.name + ".meta.json")


def _read_meta(p: Path) -> Optional[Dict[str, Any]]:
    mp = _meta_path(p)
    try:
        with open(mp, "r", encoding="utf-8") as fh:
            value = json.load(fh)
    except (OSError, ValueError):
        return None
    return value if isinstance(value, dict) else None


def _check_file(ds: Dataset, f: DataFile, home: Path, *, hash_: bool = True) -> Dict[str, Any]:
    p = home / f.path
    row: Dict[str, Any] = {
        "dataset": ds.name,
        "file": f.path,
        "status": "ok",
        "problem": None,
        "size": None,
        "expected_sha256": f.sha256,
        "sha256": None,
    }
    try:
        st = p.stat()
    except OSError:
        row.update(status="missing", problem=f"{p} does not exist")
        return row
    if not p.is_file():
        row.update(status="missing", problem=f"{p} is not a file")
        return row
    row["size"] = st.st_size
    expected_size = f.size
    if f.sha256 is None:  # live: compare with the sidecar
        meta = _read_meta(p)
        if meta is None or not isinstance(meta.get("sha256"), str):
            row.update(
                status="unrecorded", problem=f"no readable {_meta_path(p).name} beside the file (fetch it again)"
            )
            if hash_:
                row["sha256"] = _sha256_file(p)
            return row
        row["expected_sha256"] = meta["sha256"]
        expected_size = meta.get("size") if isinstance(meta.get("size"), int) else None
    if expected_size is not None and st.st_size != expected_size:
        row.update(status="mismatch", problem=f"size {st.st_size} bytes, expected {expected_size}")
        return row
    if hash_:
        actual = _sha256_file(p)
        row["sha256"] = actual
        if actual != row["expected_sha256"]:
            row.update(status="mismatch", problem=f"sha256 {actual}, expected {row['expected_sha256']}")
    return row


_VERIFY_COLUMNS = ["dataset", "file", "status", "problem", "size", "expected_sha256", "sha256"]


def _table(rows: List[Dict[str, Any]], columns: Sequence[str], types: Dict[str, Any]) -> Table:
    import pyarrow as pa

    return Table(pa.table({c: pa.array([r[c] for r in rows], type=types.get(c, pa.string())) for c in columns}))


def verify(
    name: Union[str, Dataset, None] = None,
    *,
    data_home: Optional[PathLike] = None,
    strict: bool = False,
) -> Table:
    """Check the files of one data set (or of all) in the data home against the registry.

    Parameters
    ----------
    name : str, optional
        A data set; all registered data sets when None.
    data_home : path, optional
        See :func:`data_home`.
    strict : bool, default False
        Raise :class:`ChecksumError` (or :class:`DatasetNotFoundError`) instead of returning
        when a file is missing or does not match.

    Returns
    -------
    Table
        One row per file: ``dataset, file, status, problem, size, expected_sha256, sha256``.
        ``status`` is ``ok``, ``missing``, ``mismatch`` (size or sha256 differ) or, for a live
        download without its sidecar, ``unrecorded``.

    Examples
    --------
    >>> verify("cow-nmc-v7", data_home="/nonexistent").select(["dataset", "file", "status"])
    Table: 1 row x 3 columns
    dataset     file                           status
    cow-nmc-v7  cow_nmc/NMC-v7.0-abridged.csv  missing
    """
    import pyarrow as pa

    home = _home(data_home)
    sets = [info(name)] if name is not None else _list(_registry().values())
    rows = [_check_file(ds, f, home) for ds in sets for f in ds.files]
    if strict:
        bad = [r for r in rows if r["status"] != "ok"]
        if bad:
            missing = [r for r in bad if r["status"] == "missing"]
            if len(missing) == len(bad) and len(sets) == 1:
                raise DatasetNotFoundError(sets[0].name, home, [r["file"] for r in missing])
            lines = "; ".join(f"{r['file']}: {r['status']} ({r['problem']})" for r in bad[:5])
            more = f"; and {len(bad) - 5} more" if len(bad) > 5 else ""
            raise ChecksumError(f"{len(bad)} file(s) in {home} do not match the registry: {lines}{more}")
    return _table(rows, _VERIFY_COLUMNS, {"size": pa.int64()})


def list(*, data_home: Optional[PathLike] = None, verify: bool = True) -> Table:  # noqa: A001
    """One row per registered data set, with what the data home holds.

    Parameters
    ----------
    data_home : path, optional
        See :func:`data_home`.
    verify : bool, default True
        Hash the files present (a second or so for all data sets); with False, ``verified``
        only reflects sizes.

    Returns
    -------
    Table
        ``name, vintage, kind, files`` (count), ``size`` (bytes; null for a live set),
        ``present`` (every file is there), ``verified`` (every file matches its sha256),
        ``downloadable`` (fetch can get every file), ``title``, ``source``.

    Examples
    --------
    >>> t = list(data_home="/nonexistent")
    >>> t.row(0)["name"], t.row(0)["present"]
    ('sipri-tables-2022', False)
    """
    import pyarrow as pa

    home = _home(data_home)
    rows = []
    for ds in _registry().values():
        checks = [_check_file(ds, f, home, hash_=verify) for f in ds.files]
        present = all(c["status"] != "missing" for c in checks)
        rows.append(
            {
                "name": ds.name,
                "vintage": ds.vintage,
                "kind": ds.kind,
                "files": len(ds.files),
                "size": None if ds.live else ds.size,
                "present": present,
                "verified": all(c["status"] == "ok" for c in checks),
                "downloadable": ds.live or all(f.downloadable for f in ds.files),
                "title": ds.title,
                "source": ds.source,
            }
        )
    cols = ["name", "vintage", "kind", "files", "size", "present", "verified", "downloadable", "title", "source"]
    types = {
        "files": pa.int64(),
        "size": pa.int64(),
        "present": pa.bool_(),
        "verified": pa.bool_(),
        "downloadable": pa.bool_(),
    }
    return _table(rows, cols, types)


# -- loading --------------------------------------------------------------------------------


def load(
    name: Union[str, Dataset],
    *,
    data_home: Optional[PathLike] = None,
    file: Optional[str] = None,
) -> Any:
    """Read a data set from the data home into its domain object.

    Parameters
    ----------
    name : str
        A registered data set (:func:`names`).
    data_home : path, optional
        See :func:`data_home`.
    file : str, optional
        One file of the data set, by base name, instead of the default (see each data set's
        ``notes``): e.g. ``load("cow-states", file="majors2016.csv")``.

    Returns
    -------
    What each data set is, read with the package's reader of it:

    ==================================  ===========================================================================
    ``sipri-*`` (arms transfers, live)  :class:`powerbalance.Ledger` (:func:`powerbalance.read_sipri`)
    ``cow-nmc-v6``, ``cow-nmc-v7``      :class:`powerbalance.Capabilities` (:func:`powerbalance.read_nmc`)
    ``sipri-milex``                     :class:`~powerbalance.MilitaryExpenditure` (``read_milex``, the long CSV)
    ``cow-alliances``, ``atop``         :class:`~powerbalance.Alliances` (``read_alliances``)
    ``un-ideal-points``                 :class:`~powerbalance.IdealPoints` (``read_ideal_points``)
    ``maddison-2023``                   :class:`~powerbalance.Maddison` (``read_maddison``)
    ``cow-sdp-gdp``                     :class:`~powerbalance.SdpGdp` (``read_sdp_gdp``)
    ``cow-states``                      :class:`~powerbalance.StateList` (``read_states``; majors2016: ``read_majors``)
    ``country-codes``                   :class:`pyarrow.Table` (the crosswalk; countrycode_codelist.csv the list)
    ==================================  ===========================================================================

    Any other CSV file (a data set you :func:`register`) is a :class:`pyarrow.Table` read with
    :mod:`pyarrow.csv` (types inferred, empty fields null, every other string such as ``NA``
    kept); a file that is not CSV (the SIPRI workbook, ``file="SIPRI-Milex-data-1949-2024_2.xlsx"``)
    is its :class:`pathlib.Path`.

    Raises
    ------
    DatasetNotFoundError
        When files are missing; the message names the command that fetches them (see
        :func:`fetch_command`). Sizes are checked; use :func:`verify` for the checksums.
    ChecksumError
        When a file there has the wrong size.

    Examples
    --------
    >>> len(load("sipri-register-2024"))  # the registered files only (their sizes are checked)  # doctest: +SKIP
    59157
    >>> load("cow-states", file="majors2016.csv", data_home="/nonexistent")
    Traceback (most recent call last):
    ...
    powerbalance.datasets.DatasetNotFoundError: dataset 'cow-states' is not in the data home /nonexistent: ...
    """
    ds = info(name)
    home = _home(data_home)
    target = _pick(ds, file)
    if file is None and target not in {f.path for f in ds.files}:  # a folder: all its files
        needed = [f for f in ds.files if f.path.startswith(target.rstrip("/") + "/")]
    else:
        needed = [f for f in ds.files if f.path == target]
    lacking = []
    for f in needed:
        row = _check_file(ds, f, home, hash_=False)
        if row["status"] == "missing":
            lacking.append(f.path)
        elif row["status"] == "mismatch":
            raise ChecksumError(
                f"{home / f.path}: {row['problem']}; it is not the registered file of {ds.name!r} "
                f"(`powerbalance data fetch {ds.name} --force` replaces it)"
            )
    if lacking:
        raise DatasetNotFoundError(ds.name, home, lacking, fetch_command([ds.name], data_home))
    p = home / target
    if ds.kind in ("sipri", "sipri-live"):
        from .ledger import read_sipri

        return read_sipri(p)
    reader = needed[0].reader if len(needed) == 1 else None
    if reader is not None:
        return _reader(reader)(p)
    if p.suffix.lower() != ".csv":
        return p
    import pyarrow.csv as pacsv

    return pacsv.read_csv(
        p,
        convert_options=pacsv.ConvertOptions(null_values=[""], strings_can_be_null=True),
    )


_READERS = {
    "nmc": "read_nmc",
    "states": "read_states",
    "majors": "read_majors",
    "milex": "read_milex",
    "alliances": "read_alliances",
    "ideal_points": "read_ideal_points",
    "maddison": "read_maddison",
    "sdp_gdp": "read_sdp_gdp",
}


def _reader(key: str) -> Callable[[Path], Any]:
    if key not in _READERS:
        raise DatasetError(f"unknown reader {key!r} (known: {', '.join(_READERS)})")
    from . import capabilities

    reader: Callable[[Path], Any] = getattr(capabilities, _READERS[key])
    return reader


# -- fetching -------------------------------------------------------------------------------


class _Retryable(Exception):
    """A failure worth another attempt; ``kind`` is offline, timeout, server or truncated."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


class _Progress:
    """A one-line progress bar on stderr, drawn only when ``enabled``."""

    def __init__(self, label: str, total: Optional[int], enabled: bool) -> None:
        self.label = label if len(label) <= 40 else "..." + label[-37:]
        self.total = total
        self.enabled = enabled
        self.done = 0
        self._last = 0.0
        self._drawn = False

    def reset(self, total: Optional[int]) -> None:
        self.total = total
        self.done = 0

    def update(self, n: int) -> None:
        self.done += n
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self._last < 0.1 and (self.total is None or self.done < self.total):
            return
        self._last = now
        self._draw()

    @staticmethod
    def _bytes(n: int, scale: int) -> str:
        return f"{n / 1e6:.1f}" if scale >= 1_000_000 else f"{n / 1e3:.1f}"

    def _draw(self) -> None:
        scale = max(self.total or 0, self.done)
        unit = "MB" if scale >= 1_000_000 else "kB"
        done = self._bytes(self.done, scale)
        if self.total:
            frac = min(1.0, self.done / self.total)
            bar = "#" * int(24 * frac) + "." * (24 - int(24 * frac))
            text = f"\r{self.label:<40} [{bar}] {100 * frac:3.0f}% {done:>6}/{self._bytes(self.total, scale)} {unit}"
        else:
            text = f"\r{self.label:<40} {done:>6} {unit}"
        sys.stderr.write(text)
        sys.stderr.flush()
        self._drawn = True

    def close(self) -> None:
        if self.enabled:
            if not self._drawn:
                self._draw()
            sys.stderr.write("\n")
            sys.stderr.flush()


def _host(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return parts.netloc or url


def _offline_message(url: str, reason: object) -> str:
    return (
        f"cannot reach {_host(url)}: {reason}; you are offline or the host is down; "
        f"set {ENV_DATA_HOME} to a folder that has the data"
    )


def _user_agent() -> str:
    try:
        from . import __version__

        return f"powerbalance/{__version__} (+https://www.sipri.org data client; python-urllib)"
    except Exception:  # pragma: no cover - during a partial import
        return "powerbalance (python-urllib)"


def mirrored(url: str) -> str:
    """``url`` as it is downloaded: with ``POWERBALANCE_MIRROR=BASE`` set, ``https://HOST/PATH``
    becomes ``BASE/HOST/PATH`` (a local mirror of the originals, or a test server); other URLs,
    and every URL when the variable is unset or empty, are unchanged.

    Examples
    --------
    >>> import os
    >>> os.environ["POWERBALANCE_MIRROR"] = "http://127.0.0.1:8080/m/"
    >>> mirrored("https://raw.githubusercontent.com/o/r/c/f.csv")
    'http://127.0.0.1:8080/m/raw.githubusercontent.com/o/r/c/f.csv'
    >>> del os.environ["POWERBALANCE_MIRROR"]
    >>> mirrored("https://raw.githubusercontent.com/o/r/c/f.csv")
    'https://raw.githubusercontent.com/o/r/c/f.csv'
    """
    base = os.environ.get(ENV_MIRROR, "").strip()
    if not base or not url.startswith("https://"):
        return url
    return base.rstrip("/") + "/" + url[len("https://") :]


def _deadline_for(size: Optional[int], timeout: float, deadline: Optional[float]) -> float:
    """Seconds one attempt at one file may take: ``deadline`` if given, else ``timeout + size /
    MIN_RATE`` (the registered size; :data:`LIVE_EXPECTED_BYTES` for a live download)."""
    if deadline is not None:
        return deadline
    return timeout + (size if size is not None else LIVE_EXPECTED_BYTES) / MIN_RATE


class _Fatal(Exception):
    """A failure another attempt will not cure (wrapped into :class:`FetchError`)."""


def _stream_once(
    req: urllib.request.Request,
    sink: IO[bytes],
    timeout: float,
    bar: _Progress,
    *,
    limit: int,
    deadline: float,
    started: float,
    expected: Optional[int] = None,
) -> None:
    """One attempt: send ``req`` and copy the body into ``sink``. Raises :class:`_Retryable`
    for transient failures, :class:`FetchError` for the others.

    ``timeout`` bounds each wait for the server (connection, headers, every read); ``deadline``
    bounds the whole attempt (a server that sends a byte a second never trips the first);
    ``limit`` is the most bytes accepted (a body that never ends is cut there)."""
    import http.client
    import socket
    import ssl
    import urllib.error
    import urllib.request

    url = req.full_url
    try:
        resp = urllib.request.urlopen(req, timeout=timeout)
    except urllib.error.HTTPError as e:
        e.close()
        if 300 <= e.code < 400:
            raise FetchError(
                f"{_host(url)} answered HTTP {e.code} for {url}: a redirect loop (or too many redirects: "
                f"{e.reason}); the file was not saved"
            ) from None
        if e.code >= 500 or e.code in (408, 429):
            raise _Retryable("server", f"{_host(url)} answered HTTP {e.code} {e.reason} for {url}") from None
        raise FetchError(f"{_host(url)} answered HTTP {e.code} {e.reason} for {url}") from None
    except urllib.error.URLError as e:
        if isinstance(e.reason, ssl.SSLCertVerificationError):
            raise FetchError(
                f"{_host(url)}: the TLS certificate cannot be verified ({e.reason.verify_message})"
            ) from None
        if isinstance(e.reason, (socket.timeout, TimeoutError)):
            raise _Retryable("timeout", f"{_host(url)} did not answer within {timeout:g} s") from None
        raise _Retryable("offline", _offline_message(url, e.reason)) from None
    except (socket.timeout, TimeoutError):
        raise _Retryable("timeout", f"{_host(url)} did not answer within {timeout:g} s") from None
    except (ConnectionError, http.client.HTTPException, OSError) as e:
        raise _Retryable("offline", _offline_message(url, e)) from None
    with resp:
        length = resp.headers.get("Content-Length")
        total = int(length) if length and length.strip().isdigit() else None
        if total is not None and total > limit:
            raise FetchError(f"{url} announces {total} bytes, more than the {limit} expected; the file was not saved")
        bar.reset(total)
        got = 0
        try:
            while True:
                chunk = resp.read1(1 << 16)
                if not chunk:
                    break
                got += len(chunk)
                if got > limit:
                    raise FetchError(
                        f"{url} sent more than the {limit} bytes expected (a body that does not end?); "
                        "stopped, the file was not saved"
                    )
                sink.write(chunk)
                bar.update(len(chunk))
                if time.monotonic() - started > deadline:
                    raise _Retryable(
                        "timeout",
                        f"the download of {url} took longer than its deadline of {deadline:g} s "
                        f"(got {got} of {total if total is not None else '?'} bytes)",
                    )
        except (socket.timeout, TimeoutError):
            raise _Retryable("timeout", f"the download of {url} stalled: no data for {timeout:g} s") from None
        except http.client.IncompleteRead as e:
            got += len(e.partial)
            raise _Retryable("truncated", f"the download of {url} was cut short: got {got} of {total} bytes") from None
        except (ConnectionError, http.client.HTTPException) as e:
            raise _Retryable("truncated", f"the download of {url} was cut short ({e}) after {got} bytes") from None
        except OSError as e:
            if isinstance(e, FetchError):
                raise
            raise _Retryable("truncated", f"the download of {url} was cut short ({e}) after {got} bytes") from None
        if total is not None and got != total:
            raise _Retryable("truncated", f"the download of {url} was cut short: got {got} of {total} bytes")
        if total is None and expected is not None and got < expected:  # no Content-Length (chunked)
            raise _Retryable(
                "truncated", f"the download of {url} was cut short: got {got} of the {expected} bytes expected"
            )


def _retrying(
    make_request: Callable[[], urllib.request.Request],
    sink: IO[bytes],
    *,
    attempts: int,
    backoff: float,
    timeout: float,
    bar: _Progress,
    limit: int,
    deadline: float,
    expected: Optional[int] = None,
) -> None:
    """Run :func:`_stream_once` until it succeeds, up to ``attempts`` times, waiting
    ``backoff * 2**i`` seconds (at most 60) between attempts. ``sink`` is emptied each time;
    each attempt has its own ``deadline``."""
    if attempts < 1:
        raise ValueError(f"attempts must be 1 or more, not {attempts}")
    last: Optional[_Retryable] = None
    for i in range(attempts):
        if i:
            time.sleep(min(60.0, backoff * 2 ** (i - 1)))
        sink.seek(0)
        sink.truncate()
        try:
            _stream_once(
                make_request(),
                sink,
                timeout,
                bar,
                limit=limit,
                deadline=deadline,
                started=time.monotonic(),
                expected=expected,
            )
            return
        except _Retryable as e:
            last = e
    assert last is not None
    tries = f" ({attempts} attempt{'s' if attempts != 1 else ''})"
    if last.kind == "offline":
        raise OfflineError(str(last) + tries)
    raise FetchError(str(last) + tries)


def _fsync_dir(d: Path) -> None:
    if os.name != "posix":
        return
    try:
        fd = os.open(d, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _umask() -> int:
    """The process's umask (read from /proc where it can be, so as not to change it)."""
    try:
        with open("/proc/self/status", "r", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _mkdirs(d: Path, created: List[Path]) -> None:
    """``mkdir -p d``, recording in ``created`` the folders this call made (outermost first)."""
    todo = []
    p = d
    while not p.exists():
        todo.append(p)
        if p.parent == p:
            break
        p = p.parent
    for q in reversed(todo):
        try:
            q.mkdir()
            created.append(q)
        except FileExistsError:
            pass


def _remove_empty(created: List[Path]) -> None:
    """Remove the folders in ``created`` that are empty, innermost first."""
    for d in sorted(set(created), key=lambda p: len(p.parts), reverse=True):
        try:
            d.rmdir()
        except OSError:
            pass


def _install(
    dest: Path,
    write: Callable[[IO[bytes]], None],
    check: Callable[[Path], None],
    created: Optional[List[Path]] = None,
) -> None:
    """Write ``dest`` atomically: ``write`` fills a temporary file (``.NAME.XXXX.part``) in the
    same folder, ``check`` may reject it; then fsync and rename. The file gets the mode a new
    file gets under the umask (0644 under umask 022), not ``mkstemp``'s 0600. On any failure
    (an interrupt too) the temporary file is removed. Folders made are added to ``created``."""
    import tempfile

    _mkdirs(dest.parent, created if created is not None else [])
    fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.name}.", suffix=".part")
    try:
        if os.name == "posix":
            os.fchmod(fd, 0o666 & ~_umask())
        with os.fdopen(fd, "w+b") as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        check(Path(tmp))
        os.replace(tmp, dest)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    _fsync_dir(dest.parent)


def _expect(f: Union[DataFile, Original], where: str, what: str = "the file was not saved") -> Callable[[Path], None]:
    def check(tmp: Path) -> None:
        size = tmp.stat().st_size
        if f.size is not None and size != f.size:
            raise ChecksumError(f"{where}: got {size} bytes, expected {f.size}; {what}")
        if f.sha256 is not None:
            actual = _sha256_file(tmp)
            if actual != f.sha256:
                raise ChecksumError(
                    f"{where}: sha256 {actual}, expected {f.sha256}; {what} "
                    "(the source changed or the download was corrupted)"
                )

    return check


def _want_progress(progress: Optional[bool]) -> bool:
    if progress is not None:
        return progress
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


class _HomeLock:
    """An exclusive ``flock`` on the data home folder itself (no lock file), held while a fetch
    writes there: a second fetch into the same data home waits for the first, then finds the
    files present and verified. A no-op where ``fcntl`` is missing (Windows)."""

    def __init__(self, home: Path, show: bool) -> None:
        self.home = home
        self.show = show
        self.fd: Optional[int] = None

    def __enter__(self) -> "_HomeLock":
        try:
            import fcntl
        except ImportError:  # pragma: no cover - Windows
            return self
        self.fd = os.open(self.home, os.O_RDONLY)
        try:
            fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            sys.stderr.write(f"powerbalance: waiting for another fetch into {self.home} to finish\n")
            sys.stderr.flush()
            fcntl.flock(self.fd, fcntl.LOCK_EX)
        except BaseException:
            os.close(self.fd)
            self.fd = None
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        if self.fd is not None:
            os.close(self.fd)  # closing the descriptor releases the lock
            self.fd = None


class ReadOnlyDataHomeError(FetchError):
    """:func:`fetch` was asked to write into the folder named by ``POWERBALANCE_DATA``, which is
    read-only to powerbalance. ``home`` and ``command`` (the command that fetches into the user
    data home instead) are set."""

    def __init__(self, names: Sequence[str], home: Path) -> None:
        self.names = _list(names)
        self.home = home
        self.command = fetch_command(self.names, None)
        super().__init__(
            f"{ENV_DATA_HOME} names {home}, which is read-only to powerbalance: it does not download "
            f"{', '.join(self.names)} there. Fetch into the user data home ({_user_cache_dir()}) with "
            f"`{self.command}` and run without {ENV_DATA_HOME}, or pass that folder explicitly "
            f"(`--data-home {home}`, data_home=...) to write there"
        )


def fetch(
    name: Union[str, Dataset],
    *,
    data_home: Optional[PathLike] = None,
    force: bool = False,
    attempts: int = 4,
    backoff: float = 1.0,
    timeout: float = 60.0,
    deadline: Optional[float] = None,
    progress: Optional[bool] = None,
    sipri_url: Optional[str] = None,
    years: Tuple[int, Optional[int]] = (1950, None),
) -> Path:
    """Download a data set into the data home; return :func:`path` of it.

    Files already there with the right sha256 are kept (unless ``force``); a live data set
    (``sipri-register-live``) is downloaded again each time. Each file is written
    to a temporary file in its folder, checked (size and sha256 where the version is fixed),
    fsynced and renamed into place: a failed or wrong download leaves nothing behind, not even
    the folders it made. Files get the usual mode (0644 under umask 022).

    A converted file (made from an R ``.rda``, a Stata ``.dta`` or an Excel workbook; its
    :attr:`DataFile.build`) is made here: its originals are downloaded from their pinned URLs
    into ``<folder>/source/`` of the data home (checked against their sha256 and size), converted
    by the recipe of :mod:`powerbalance._convert`, and the result is installed only when it has
    the registered sha256.

    Where it writes: only into the user data home or an explicit ``data_home``. The folder named
    by ``POWERBALANCE_DATA`` is read-only to powerbalance (it may be shared, as CI's is):
    fetching into it raises :class:`ReadOnlyDataHomeError` (naming the command that fetches
    into the user data home), unless the data set is already there, verified.

    One fetch at a time writes into a data home: the folder is locked (``flock`` on the folder
    itself, no lock file); a second fetch waits, then finds the files in place.

    ``POWERBALANCE_MIRROR=BASE`` sends every download of ``https://HOST/PATH`` to
    ``BASE/HOST/PATH`` (see :func:`mirrored`), the live SIPRI request too.

    Parameters
    ----------
    name : str
        A registered data set.
    data_home : path, optional
        See :func:`data_home`. Given explicitly, it is written to even when it is the folder of
        ``POWERBALANCE_DATA``.
    force : bool, default False
        Download (and convert) even the files that are present and verified.
    attempts : int, default 4
        Tries per file; server errors (5xx, 429), connection errors, stalls, deadlines and
        cut-short bodies are retried after ``backoff``, ``2*backoff``, ``4*backoff``, ... seconds.
        Wrong bytes, a body longer than the registered size, HTTP 4xx and redirect loops are not.
    backoff : float, default 1.0
        The first delay, in seconds.
    timeout : float, default 60
        Seconds without an answer or without data before an attempt is given up.
    deadline : float, optional
        Seconds one attempt at one file may take in all. Default: ``timeout + size /
        MIN_RATE``, from the registered size (:data:`MIN_RATE` = 20,000 bytes/s, so a 6 MB
        file may take 60 + 310 s); for the live SIPRI set, from :data:`LIVE_EXPECTED_BYTES`.
        It ends a server that sends a byte a second, which no per-read timeout catches.
    progress : bool, optional
        Draw a progress bar (bytes) on stderr; by default only when stderr is a terminal.
    sipri_url : str, optional
        The SIPRI backend's base URL for ``sipri-register-live`` (default
        ``$POWERBALANCE_SIPRI_URL`` or :data:`SIPRI_BACKEND`).
    years : (int, int or None), default (1950, None)
        Delivery years asked of the live SIPRI backend; None means the current year.

    Raises
    ------
    ReadOnlyDataHomeError
        The data home is the ``POWERBALANCE_DATA`` folder and the data set is not complete there.
    OfflineError
        The host cannot be reached.
    ChecksumError
        A file (or an original, or a conversion's result) does not have its registered sha256 or
        size (nothing is saved).
    NotDownloadableError
        Some files of a data set registered without a URL or a recipe are not in the data home.
    FetchError
        Any other download failure (HTTP 4xx, repeated 5xx, a stall, a deadline, a cut-short or
        endless body, a redirect loop, an original that cannot be converted).

    Examples
    --------
    >>> fetch("cow-nmc-v6")  # downloads (about 1 MB) into the user data home  # doctest: +SKIP
    PosixPath('/home/me/.cache/powerbalance/cow_nmc/NMC-60-abridged.csv')
    """
    ds = info(name)
    home = _home(data_home)
    show = _want_progress(progress)
    if is_read_only(data_home):
        if not ds.live and all(_check_file(ds, f, home)["status"] == "ok" for f in ds.files):
            return home / ds.primary
        raise ReadOnlyDataHomeError([ds.name], home)
    created: List[Path] = []
    _mkdirs(home, created)
    try:
        with _HomeLock(home, show):
            try:
                if ds.live:
                    _fetch_sipri_live(
                        ds, home, sipri_url=sipri_url, years=years, attempts=attempts, backoff=backoff,
                        timeout=timeout, deadline=deadline, show=show, created=created,
                    )  # fmt: skip
                else:
                    _fetch_files(
                        ds,
                        home,
                        force,
                        created,
                        attempts=attempts,
                        backoff=backoff,
                        timeout=timeout,
                        deadline=deadline,
                        show=show,
                    )
            except BaseException:
                _remove_empty([d for d in created if d != home])  # while the lock is held
                raise
    except BaseException:
        _remove_empty(created)
        raise
    return home / ds.primary


def _download(
    url: str,
    dest: Path,
    expected: Union[DataFile, Original],
    where: str,
    created: List[Path],
    *,
    attempts: int,
    backoff: float,
    timeout: float,
    deadline: Optional[float],
    show: bool,
) -> None:
    """Download ``url`` (through the mirror, if one is set) into ``dest``, checked against
    ``expected``'s size and sha256."""
    actual_url = mirrored(url)
    bar = _Progress(dest.name, expected.size, show)
    limit = expected.size if expected.size is not None else LIVE_MAX_BYTES

    def request() -> urllib.request.Request:
        import urllib.request

        return urllib.request.Request(actual_url, headers={"User-Agent": _user_agent()})

    def write(fh: IO[bytes]) -> None:
        _retrying(
            request, fh, attempts=attempts, backoff=backoff, timeout=timeout, bar=bar,
            limit=limit, deadline=_deadline_for(expected.size, timeout, deadline), expected=expected.size,
        )  # fmt: skip

    try:
        _install(dest, write, _expect(expected, f"{where}: {actual_url}"), created)
    finally:
        bar.close()


def _fetch_files(
    ds: Dataset,
    home: Path,
    force: bool,
    created: List[Path],
    **kw: Any,
) -> None:
    unavailable = []
    fresh: Set[str] = set()  # paths downloaded by this call (an original can be a file of the set)
    for f in ds.files:
        dest = home / f.path
        if f.path in fresh or (not force and dest.is_file() and _check_file(ds, f, home)["status"] == "ok"):
            continue
        if f.url:
            _download(f.url, dest, f, ds.name, created, **kw)
            fresh.add(f.path)
        elif f.build is not None:
            _build(ds, f, home, force, created, fresh, **kw)
        else:
            unavailable.append(f)
    if unavailable:
        lines = "; ".join(
            f"{f.path} ({f.note or 'converted'}; made from {f.origin or 'the publisher release'})"
            for f in unavailable[:3]
        )
        more = f"; and {len(unavailable) - 3} more" if len(unavailable) > 3 else ""
        raise NotDownloadableError(
            f"dataset {ds.name!r}: {len(unavailable)} file(s) cannot be downloaded: they have no download URL "
            f"and no conversion recipe: {lines}{more}. Copy them into {home}, or set {ENV_DATA_HOME} to a folder "
            f"that has the data (the publisher: {ds.source})"
        )


def _build(ds: Dataset, f: DataFile, home: Path, force: bool, created: List[Path], fresh: Set[str], **kw: Any) -> None:
    """Make a converted file: get its originals (checked), run its recipe, check the result."""
    build = f.build
    assert build is not None
    from . import _convert

    recipe = _convert.RECIPES.get(build.recipe)
    if recipe is None:
        raise NotDownloadableError(f"dataset {ds.name!r}: {f.path}: unknown conversion recipe {build.recipe!r}")
    inputs = []
    for o in build.inputs:
        p = home / o.path
        if o.path not in fresh and (
            force or not (p.is_file() and p.stat().st_size == o.size and _sha256_file(p) == o.sha256)
        ):
            _download(o.url, p, o, f"{ds.name} (original of {f.path.rsplit('/', 1)[-1]})", created, **kw)
            fresh.add(o.path)
        inputs.append(p)
    if kw.get("show"):
        sys.stderr.write(
            f"converting {', '.join(o.path.rsplit('/', 1)[-1] for o in build.inputs)} -> {f.path} "
            f"({build.recipe})\n"
        )
        sys.stderr.flush()

    def write(fh: IO[bytes]) -> None:
        try:
            data = recipe(*inputs)
        except (_convert.ConversionError, ImportError, ValueError, KeyError, OSError) as e:
            if isinstance(e, ImportError):
                raise FetchError(
                    f"dataset {ds.name!r}: converting {', '.join(o.path for o in build.inputs)} needs "
                    f"{e.name or e}, which is not installed (pip install powerbalance brings it)"
                ) from None
            raise FetchError(f"dataset {ds.name!r}: cannot convert the originals into {f.path}: {e}") from None
        fh.write(data)

    _install(
        home / f.path,
        write,
        _expect(f, f"{ds.name}: {f.path} converted by recipe {build.recipe!r}", "the result was not saved"),
        created,
    )


# -- SIPRI's backend ------------------------------------------------------------------------


def sipri_register_request(first_year: int, last_year: int) -> Dict[str, Any]:
    """The JSON body of ``POST /trades/trade-register-csv/``, as public clients send it."""
    return {
        "filters": [
            {
                "field": "Delivery year",
                "condition": "contains",
                "value1": first_year,
                "value2": last_year,
                "listData": [],
            },
            {"field": "opendeals", "condition": "", "value1": "", "value2": "", "listData": []},
            {"field": "exportOption", "condition": "", "value1": "", "value2": "", "listData": []},
        ],
        "logic": "AND",
    }


_GENERATED = re.compile(rb"Data generated:\s*([^\r\n;\"]+)", re.IGNORECASE)


def _fetch_sipri_live(
    ds: Dataset,
    home: Path,
    *,
    sipri_url: Optional[str],
    years: Tuple[int, Optional[int]],
    attempts: int,
    backoff: float,
    timeout: float,
    deadline: Optional[float],
    show: bool,
    created: List[Path],
) -> None:
    base = (sipri_url or os.environ.get(ENV_SIPRI_URL) or SIPRI_BACKEND).rstrip("/")
    url = mirrored(base + "/trades/trade-register-csv/")
    first, last = years[0], years[1] if years[1] is not None else _dt.date.today().year
    body = sipri_register_request(int(first), int(last))
    payload = json.dumps(body).encode("utf-8")

    def request() -> urllib.request.Request:
        import urllib.request

        return urllib.request.Request(
            url,
            data=payload,
            method="POST",
            headers={
                "Content-Type": "application/json",
                "Accept": "application/json, text/plain, */*",
                "Origin": SIPRI_PORTAL,
                "Referer": SIPRI_PORTAL + "/",
                "User-Agent": _user_agent(),
            },
        )

    import base64
    import binascii
    import hashlib

    bar = _Progress("SIPRI trade register (live)", None, show)
    buf = io.BytesIO()
    try:
        _retrying(
            request, buf, attempts=attempts, backoff=backoff, timeout=timeout, bar=bar,
            limit=LIVE_MAX_BYTES, deadline=_deadline_for(None, timeout, deadline),
        )  # fmt: skip
    finally:
        bar.close()
    hint = "the backend may have changed (see the shared data's sipri/API.md)"
    try:
        answer = json.loads(buf.getvalue().decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as e:
        raise FetchError(f"{url} did not answer JSON ({e}); {hint}") from None
    if not isinstance(answer, dict) or not isinstance(answer.get("bytes"), str):
        keys = sorted(answer) if isinstance(answer, dict) else type(answer).__name__
        raise FetchError(f"{url} answered JSON without a 'bytes' string (got {keys}); {hint}")
    try:
        data = base64.b64decode(answer["bytes"], validate=True)
    except (binascii.Error, ValueError) as e:
        raise FetchError(f"{url} answered 'bytes' that are not base64 ({e}); {hint}") from None
    if not data.strip():
        raise FetchError(f"{url} answered an empty file for delivery years {first}-{last}")
    from .ledger import read_sipri_bytes

    fname = ds.primary.rsplit("/", 1)[-1]
    try:
        led = read_sipri_bytes(data, fname)
    except PowerbalanceError as e:
        raise FetchError(
            f"{url} answered a file that is not a SIPRI trade register powerbalance can read: {e}; {hint}"
        ) from None
    m = _GENERATED.search(data[:4096])
    generated = m.group(1).decode("latin-1").strip() if m else None
    sha = hashlib.sha256(data).hexdigest()
    dest = home / ds.primary
    _install(dest, lambda fh: _write_all(fh, data), lambda tmp: None, created)
    meta = {
        "dataset": ds.name,
        "url": url,
        "request": body,
        "fetched": _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat(),
        "generated": generated,
        "sha256": sha,
        "size": len(data),
        "entries": len(led),
        "note": "Fetched live: SIPRI revises its data, so this release has no fixed checksum; "
        "the sha256 is that of the file as fetched. Cite 'SIPRI Arms Transfers Database' with the generated date.",
    }
    text = (json.dumps(meta, indent=2) + "\n").encode("utf-8")
    try:
        _install(_meta_path(dest), lambda fh: _write_all(fh, text), lambda tmp: None, created)
    except BaseException:
        try:  # a register without its sidecar would not verify: take it away too
            dest.unlink()
        except OSError:
            pass
        raise


def _write_all(fh: IO[bytes], data: bytes) -> None:
    fh.write(data)
