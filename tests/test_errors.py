"""Bad input reaches Python as the right exception of ``powerbalance.errors``, with the file,
line and column a user needs to fix it, and never as pyo3's ``PanicException``."""

from __future__ import annotations

from pathlib import Path
from typing import Callable, List, Type, TypeVar

import powerbalance as pb
import pytest
from powerbalance import errors

#: China's per-supplier TIV table of the 2022 release, in the data home.
CHINA_TABLE = "sipri/tiv_tables_2022/360info_TIV-Export-by-supplier_1950-2021/TIV-Export-CHI-1950-2021.csv"


@pytest.fixture(scope="module")
def register_lines(data_dir: Path) -> List[bytes]:
    path = data_dir / "sipri" / "register_newformat_2024" / "trade-register_1990-2023.csv"
    return path.read_bytes().split(b"\n")


def readers(path: Path) -> List[Callable[[], pb.Ledger]]:
    """The same input read from a path and from bytes."""
    return [lambda: pb.read_sipri(path), lambda: pb.read_sipri_bytes(path.read_bytes(), str(path))]


def check_not_panic(e: BaseException) -> None:
    assert type(e).__name__ != "PanicException"
    assert isinstance(e, errors.PowerbalanceError)


E = TypeVar("E", bound=errors.DataFormatError)


def raised_by_each_reader(path: Path, cls: Type[E]) -> List[E]:
    """Read ``path`` from the file and from its bytes: each raises ``cls`` (not a panic) naming
    the file; the two errors, for the caller's own checks."""
    out: List[E] = []
    for read in readers(path):
        with pytest.raises(cls) as info:
            read()
        check_not_panic(info.value)
        assert info.value.path == str(path)
        out.append(info.value)
    return out


def test_hierarchy() -> None:
    assert issubclass(errors.DataFormatError, ValueError)
    for cls in (errors.EmptyFileError, errors.EncodingError, errors.OverlapError):
        assert issubclass(cls, errors.DataFormatError)
    assert issubclass(errors.UnknownActorError, KeyError)
    assert issubclass(errors.InvalidArgumentError, ValueError)
    assert issubclass(errors.DataIOError, OSError)
    assert issubclass(errors.DataFileNotFoundError, FileNotFoundError)
    for name in errors.__all__:
        assert issubclass(getattr(errors, name), errors.PowerbalanceError)
    assert pb.errors is errors


def test_truncated_file(tmp_path: Path, register_lines: List[bytes]) -> None:
    # the download stopped in the middle of line 41
    cut = register_lines[40][: len(register_lines[40]) // 3]
    path = tmp_path / "trade-register.csv"
    path.write_bytes(b"\n".join(register_lines[:40]) + b"\n" + cut)
    for e in raised_by_each_reader(path, errors.DataFormatError):
        assert type(e) is errors.DataFormatError
        assert e.line == 41
        assert e.column is not None and e.column >= 1
        assert e.column_name is not None
        assert "41" in str(e) and "truncated" in str(e)


def test_truncated_wide_table(tmp_path: Path, data_dir: Path) -> None:
    src = data_dir / CHINA_TABLE
    lines = src.read_bytes().split(b"\n")
    path = tmp_path / src.name
    path.write_bytes(b"\n".join(lines[:14]) + b"\n" + lines[14][:30])
    with pytest.raises(errors.DataFormatError) as info:
        pb.read_sipri(path)
    assert info.value.line == 15 and info.value.column is not None and info.value.column_name is not None


def test_bad_value(tmp_path: Path, data_dir: Path) -> None:
    src = data_dir / CHINA_TABLE
    lines = src.read_bytes().split(b"\n")
    lines[13] = lines[13].replace(b",", b",x", 1)  # first year cell of the first recipient row
    path = tmp_path / src.name
    path.write_bytes(b"\n".join(lines))
    with pytest.raises(errors.DataFormatError) as info:
        pb.read_sipri(path)
    e = info.value
    assert (e.line, e.column, e.column_name) == (14, 2, "1950")
    assert '"x"' in str(e)


def test_wrong_header(tmp_path: Path, register_lines: List[bytes]) -> None:
    header = register_lines[11].replace(b"Recipient", b"Recipent")
    path = tmp_path / "renamed.csv"
    path.write_bytes(b"\n".join(register_lines[:11] + [header] + register_lines[12:40]))
    for e in raised_by_each_reader(path, errors.DataFormatError):
        assert e.line == 12
        assert "Recipient" in str(e)


@pytest.mark.parametrize("content", [b"", b"\n\n   \n"], ids=["no-bytes", "blank-lines"])
def test_empty_file(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "empty.csv"
    path.write_bytes(content)
    for e in raised_by_each_reader(path, errors.EmptyFileError):
        assert isinstance(e, ValueError)


@pytest.mark.parametrize(
    "content",
    [b"caf\xe9,cr\xe8me,br\xfbl\xe9e\n1,2,3\n", bytes(range(256)) * 8],
    ids=["latin1-text", "binary"],
)
def test_not_utf8_not_sipri(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "other.csv"
    path.write_bytes(content)
    for e in raised_by_each_reader(path, errors.EncodingError):
        assert e.line is not None and e.line >= 1
        assert e.column is not None and e.column >= 1
        assert "UTF-8" in str(e)


def test_missing_file(tmp_path: Path) -> None:
    missing = tmp_path / "nope.csv"
    with pytest.raises(errors.DataFileNotFoundError) as info:
        pb.read_sipri(missing)
    e = info.value
    assert isinstance(e, FileNotFoundError) and isinstance(e, errors.DataIOError)
    assert e.filename == str(missing) and e.path == str(missing)
    assert e.errno == 2


def test_unknown_actor(ledger_2026: pb.Ledger) -> None:
    for call in (
        lambda: ledger_2026.dyad("Rusia", "China"),
        lambda: ledger_2026.suppliers("Chine", 2016, 2020),
        lambda: ledger_2026.series("Atlantis"),
        lambda: ledger_2026.resolve("Rusia"),
    ):
        with pytest.raises(errors.UnknownActorError) as info:
            call()
        check_not_panic(info.value)
        assert info.value.name in str(info.value)
    with pytest.raises(KeyError):
        ledger_2026.clients("Rusia", 2016, 2020)


def test_invalid_period(ledger_2026: pb.Ledger) -> None:
    calls: List[Callable[[], object]] = [
        lambda: ledger_2026.importers(2020, 2016),
        lambda: ledger_2026.exporters(2016, 2020, compare=(2015, 2011)),
        lambda: ledger_2026.dyad("Russia", "China", start=2010, end=2000),
        lambda: ledger_2026.by_supplier(2020, 2019),
        lambda: ledger_2026.total(2001, 2000),
        lambda: ledger_2026.world(start=2030),
        lambda: ledger_2026.importers(2016, 2020, top=-1),
        lambda: ledger_2026.importers(2016, 2020, suppliers=-2),
        lambda: ledger_2026.importers(2016, 2020, compare=(2011,)),  # type: ignore[arg-type]
        # absurd years fail cleanly instead of allocating one slot per year
        lambda: ledger_2026.world(start=0, end=2_000_000_000),
        lambda: ledger_2026.dyad("Russia", "China", end=20016),
        lambda: ledger_2026.total(-(2**31), 2**31 - 1),
    ]
    for call in calls:
        with pytest.raises(errors.InvalidArgumentError) as info:
            call()
        check_not_panic(info.value)
        assert isinstance(info.value, ValueError)
    with pytest.raises(errors.InvalidArgumentError, match="2020-2016"):
        ledger_2026.importers(2020, 2016)


def test_totals_only_ledger_refuses_dyadic_metrics(data_dir: Path) -> None:
    led = pb.read_sipri(data_dir / "sipri" / "tiv_totals_2020-2021" / "jmjames37_TIV-Import-All-1950-2020.csv")
    assert led.layout == "import-totals"
    assert led.importers(2016, 2020, suppliers=0).num_rows > 0
    with pytest.raises(errors.InvalidArgumentError, match="supplier"):
        led.importers(2016, 2020)  # main suppliers need dyadic data
    with pytest.raises(errors.InvalidArgumentError):
        led.dyad("Russia", "China")


def test_wrong_types_are_type_errors(ledger_2026: pb.Ledger) -> None:
    with pytest.raises(TypeError):
        ledger_2026.importers("2016", 2020)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        pb.read_sipri(42)  # type: ignore[arg-type]
