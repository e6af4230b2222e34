"""The one base of the package's thin classes over a native object (:class:`Ledger`,
:class:`Capabilities`, :class:`StateList`, :class:`MilitaryExpenditure`, ...): the type check
of the constructor, the ``native`` property, ``len`` and ``repr``; the coverage of a data set by
year; the source of alliance dyad-years; :class:`NativeProperty`, a property that is the native
object's attribute of the same name."""

from __future__ import annotations

import os
from typing import Any, Callable, ClassVar, Generic, Optional, Protocol, Sized, Tuple, Type, TypeVar, Union, overload

__all__ = [
    "Alliance",
    "AllianceWrapper",
    "NativeProperty",
    "PathLike",
    "Wrapper",
    "Yearly",
    "YearlyWrapper",
    "from_path",
]

PathLike = Union[str, "os.PathLike[str]"]

N = TypeVar("N", bound=Sized)
W = TypeVar("W")
T = TypeVar("T")


class NativeProperty(property, Generic[T]):
    """A read-only property of a :class:`Wrapper` that is its native object's attribute of the
    same name: ``release = NativeProperty[str]("The NMC release.")`` in a class body is
    ``@property def release(self) -> str`` returning ``self._native.release``, with that
    docstring (a ``property``, so ``help()`` and the API walks see it as one)."""

    def __init__(self, doc: str) -> None:
        super().__init__(self._get)
        self.__doc__ = doc  # on the instance: the class's docstring would shadow property's own
        self._name = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self._name = name

    def _get(self, obj: Any) -> T:
        value: T = getattr(obj._native, self._name)
        return value

    @overload
    def __get__(self, obj: None, owner: Optional[type] = None) -> "NativeProperty[T]": ...

    @overload
    def __get__(self, obj: object, owner: Optional[type] = None) -> T: ...

    def __get__(self, obj: Optional[object], owner: Optional[type] = None) -> Any:
        return super().__get__(obj, owner)


class Wrapper(Generic[N]):
    """A Python class over one native object of type ``N``.

    A subclass sets :attr:`_native_class` (the native type it wraps) and :attr:`_how` (how a user
    gets an instance, for the message of the ``TypeError`` raised when the constructor is given
    anything else).
    """

    __slots__ = ("_native",)

    _native_class: ClassVar[type]
    _how: ClassVar[str]

    def __init__(self, native: N) -> None:
        if not isinstance(native, self._native_class):
            raise TypeError(f"use {self._how} to get a {type(self).__name__}")
        self._native: N = native

    @property
    def native(self) -> N:
        """The underlying native object (of ``powerbalance._native``)."""
        return self._native

    def __len__(self) -> int:
        return len(self._native)

    def __repr__(self) -> str:
        return repr(self._native)


class Yearly(Protocol):
    """A native data set with a span of years."""

    @property
    def coverage(self) -> Tuple[int, int]: ...

    def __len__(self) -> int: ...


Y = TypeVar("Y", bound=Yearly)


class YearlyWrapper(Wrapper[Y]):
    """A wrapper of a data set by year: :attr:`coverage` besides the :class:`Wrapper`'s."""

    __slots__ = ()

    coverage = NativeProperty[Tuple[int, int]](
        """The first and last year of the data (every period asked for must lie inside)."""
    )


class Alliance(Yearly, Protocol):
    """A native set of alliance dyad-years: its source and whether it is directed."""

    @property
    def source(self) -> str: ...

    @property
    def directed(self) -> bool: ...


A = TypeVar("A", bound=Alliance)


class AllianceWrapper(YearlyWrapper[A]):
    """A wrapper of alliance dyad-years (:class:`powerbalance.Alliances`,
    :class:`powerbalance.panels.AllianceYears`): :attr:`source` and :attr:`directed` besides the
    coverage."""

    __slots__ = ()

    source = NativeProperty[str](
        """The source's name (``"COW alliances v4.1"``, ``"ATOP 5.1"``, or the one given to
        :func:`powerbalance.panels.alliance_years`)."""
    )
    directed = NativeProperty[bool]("""True when ``(a, b)`` and ``(b, a)`` are read separately (ATOP).""")


def from_path(
    value: Any, cls: Type[W], read: Callable[[PathLike], W], what: str, how: str
) -> Optional[W]:
    """``value`` as a ``cls``: None stays None, a path is read with ``read``, an instance is kept.

    Raises
    ------
    TypeError
        For anything else, naming the argument (``what``) and how to get a ``cls`` (``how``).
    """
    if value is None:
        return None
    obj = read(value) if isinstance(value, (str, os.PathLike)) else value
    if not isinstance(obj, cls):
        raise TypeError(f"{what} must be {cls.__name__} ({how}) or a path, not {type(value).__name__}")
    return obj
