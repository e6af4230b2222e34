"""The transfer ledger and its metrics: SIPRI arms-transfer data as result tables.

All values are SIPRI trend-indicator values (TIV, millions of constant 1990 US dollars, a volume
measure, not the financial value of deals). Shares are fractions (0.365, not 36.5) of a total
over *all* entries, as SIPRI computes them: the world total includes non-state actors,
organisations and unknown suppliers or recipients. Periods are inclusive (2016-2020 is five
years).
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any, Optional, Tuple, Union

from . import _native, _wrap
from ._wrap import NativeProperty, PathLike
from .errors import InvalidArgumentError
from .table import Table

__all__ = ["Ledger", "read_sipri", "read_sipri_bytes"]

Period = Tuple[int, int]

if TYPE_CHECKING:
    from .capabilities import MilitaryExpenditure


def _count(name: str, value: Optional[int]) -> Optional[int]:
    if value is not None and value < 0:
        raise InvalidArgumentError(f"{name} must be 0 or more, not {value}")
    return value


def _period(name: str, value: Optional[Period]) -> Optional[Period]:
    if value is None:
        return None
    try:
        start, end = value
    except (TypeError, ValueError):
        raise InvalidArgumentError(f"{name} must be a (start, end) pair of years, not {value!r}") from None
    return int(start), int(end)


class Ledger(_wrap.Wrapper[_native.Ledger]):
    """Deliveries of major arms (SIPRI TIV, millions) by supplier, recipient and year.

    Get one with :func:`powerbalance.read_sipri`. A ledger is immutable: methods return result
    tables (:class:`powerbalance.Table`) or, for :meth:`follow_succession`, a new ledger.

    Actor names may be given in any spelling SIPRI has used (``"Turkey"``/``"Turkiye"``,
    ``"UAE"``/``"United Arab Emirates"``), any case, or as SIPRI's three-letter code
    (``"CHI"``); an unknown name raises :class:`powerbalance.errors.UnknownActorError` with the
    nearest known names. The Soviet Union and Russia are different actors unless you call
    :meth:`follow_succession`.

    Every method that takes a period checks it against the years the ledger covers
    (:attr:`years`) and raises :class:`powerbalance.errors.CoverageError` when it (or a
    ``compare`` period) reaches outside: the 2024 register covers 1950-2023, so
    ``exporters(2020, 2024)`` raises instead of summing 2020-2023 under a 2020-2024 label.
    A series without ``start``/``end`` spans the coverage.

    Examples
    --------
    >>> import powerbalance as pb
    >>> led = pb.read_sipri(pb.datasets.path("sipri-register-2024"))  # the register in the data home
    >>> led.exporters(2016, 2020, top=3).select(["rank", "supplier", "tiv", "share"])
    Table: 3 rows x 4 columns
    rank  supplier         tiv  share
       1  Russia         1,690  42.2%
       2  United States  1,180  29.5%
       3  France           660  16.5%
    """

    __slots__ = ()
    _native_class = _native.Ledger
    _how = "powerbalance.read_sipri(path)"

    def __reduce__(self) -> Tuple[Any, Tuple[bytes]]:
        # pickled as Arrow IPC bytes of its columns and JSON of the rest (exact round trip)
        from ._sweep import _ledger_from_ipc

        return (_ledger_from_ipc, (bytes(_native.ledger_to_ipc(self._native)),))

    # -- fact-sheet tables ------------------------------------------------------------------

    def importers(
        self,
        start: int,
        end: int,
        *,
        top: Optional[int] = None,
        suppliers: int = 3,
        compare: Optional[Period] = None,
    ) -> Table:
        """The largest importers of a period, laid out as in SIPRI's fact sheets.

        For each recipient r over the years ``start..end``:

        - ``tiv`` = TIV_r, the sum of its imports;
        - ``share`` = TIV_r / TIV_world, with TIV_world the sum over *all* entries of the
          period (every supplier, including non-state actors and unknown suppliers);
        - with ``compare=(cs, ce)``: ``tiv_compare`` and ``share_compare`` for that period, and
          ``change_pct`` = 100 (TIV_r(period) - TIV_r(compare)) / TIV_r(compare) (null when the
          comparison TIV is 0);
        - ``supplier_k``, ``supplier_k_share`` for k = 1..``suppliers``: the k-th largest
          supplier and its share of r's imports, TIV_sr / TIV_r (null when r has fewer).

        Rows are ordered by TIV, ties by name.

        Source: SIPRI, *Trends in International Arms Transfers, 2020* (Wezeman et al., 2021),
        table 2.

        Parameters
        ----------
        start, end : int
            The period, both years included.
        top : int, optional
            Keep the first ``top`` rows (all recipients when None).
        suppliers : int, default 3
            Main suppliers to list per recipient (0 for none; needed for a totals-only file).
        compare : (int, int), optional
            A second period, e.g. the previous five years.

        Returns
        -------
        Table
            Columns ``rank, recipient, tiv, share``, then ``tiv_compare, share_compare,
            change_pct`` with ``compare``, then ``supplier_1, supplier_1_share, ...``.

        Examples
        --------
        >>> led = pb.read_sipri(pb.datasets.path("sipri-register-2024"))
        >>> t = led.importers(2016, 2020, top=3, compare=(2012, 2015))
        >>> t.row(0)["recipient"], t.row(0)["share"]
        ('Saudi Arabia', 0.25)
        >>> t.select(["recipient", "tiv", "share", "tiv_compare", "change_pct", "supplier_1", "supplier_1_share"])
        Table: 3 rows x 7 columns
        recipient       tiv  share  tiv_compare  change_pct  supplier_1     supplier_1_share
        Saudi Arabia  1,000  25.0%            0              United States            100.0%
        India           990  24.8%            0              France                    66.7%
        China           960  24.0%          300     +220.0%  Russia                   100.0%
        """
        return Table(
            self._native.importers(
                start, end, _count("top", top), _count("suppliers", suppliers) or 0, _period("compare", compare)
            )
        )

    def exporters(
        self,
        start: int,
        end: int,
        *,
        top: Optional[int] = None,
        clients: int = 3,
        compare: Optional[Period] = None,
    ) -> Table:
        """The largest exporters of a period, laid out as in SIPRI's fact sheets.

        For each supplier s over ``start..end``: ``tiv`` = TIV_s; ``share`` = TIV_s / TIV_world
        (all entries of the period, including non-state and unknown suppliers); with
        ``compare``, ``tiv_compare, share_compare`` and ``change_pct`` = 100 (TIV_s(period) -
        TIV_s(compare)) / TIV_s(compare); ``client_k``, ``client_k_share`` = TIV_sr / TIV_s for
        the k-th largest client. Ordered by TIV, ties by name.

        Source: SIPRI, *Trends in International Arms Transfers, 2020* (Wezeman et al., 2021),
        table 1.

        Parameters
        ----------
        start, end : int
            The period, both years included.
        top : int, optional
            Keep the first ``top`` rows (all suppliers when None).
        clients : int, default 3
            Main clients to list per supplier (0 for none).
        compare : (int, int), optional
            A second period for the comparison columns.

        Returns
        -------
        Table
            Columns ``rank, supplier, tiv, share``, then ``tiv_compare, share_compare,
            change_pct`` with ``compare``, then ``client_1, client_1_share, ...``.

        Examples
        --------
        >>> led = pb.read_sipri(pb.datasets.path("sipri-register-2024"))
        >>> t = led.exporters(2016, 2020, top=5)
        >>> t.column("supplier")[:2]
        ['Russia', 'United States']
        """
        return Table(
            self._native.exporters(
                start, end, _count("top", top), _count("clients", clients) or 0, _period("compare", compare)
            )
        )

    # -- dyads and partners -----------------------------------------------------------------

    def dyad(
        self,
        supplier: str,
        recipient: str,
        start: Optional[int] = None,
        end: Optional[int] = None,
    ) -> Table:
        """The annual series of one supplier-recipient dyad.

        For each year t: ``tiv`` = TIV_sr,t (0 in years without deliveries);
        ``share_of_supplier_exports`` = TIV_sr,t / TIV_s.,t (the recipient's share of the
        supplier's exports to all recipients); ``share_of_recipient_imports`` = TIV_sr,t /
        TIV_.r,t; ``supplier_exports`` = TIV_s.,t; ``recipient_imports`` = TIV_.r,t. A share is
        null in a year where its denominator is 0.

        Source: SIPRI Arms Transfers Database; the shares as in SIPRI's fact sheets (Wezeman et
        al., 2021).

        Parameters
        ----------
        supplier, recipient : str
            Actor names (any known spelling or SIPRI code).
        start, end : int, optional
            Years to cover; a missing bound is taken from the ledger's span.

        Returns
        -------
        Table
            Columns ``year, tiv, share_of_supplier_exports, share_of_recipient_imports,
            supplier_exports, recipient_imports``.

        Examples
        --------
        >>> led = pb.read_sipri(pb.datasets.path("sipri-register-2024"))
        >>> t = led.dyad("Russia", "China", start=2015, end=2018)
        >>> t.filter(year=2017).column("tiv")
        [400.0]
        >>> t
        Table: 4 rows x 6 columns
        year  tiv  share_of_supplier_exports  share_of_recipient_imports  supplier_exports  recipient_imports
        2015    0                                                                        0                  0
        2016  160                     100.0%                      100.0%               160                160
        2017  400                     100.0%                      100.0%               400                400
        2018  400                      50.0%                      100.0%               800                400
        """
        return Table(self._native.dyad(supplier, recipient, start, end))

    def suppliers(self, recipient: str, start: int, end: int) -> Table:
        """A recipient's suppliers over a period.

        ``share`` = TIV_sr / TIV_.r, the supplier's share of the recipient's imports
        (SIPRI fact sheets; Wezeman et al., 2021).

        Returns
        -------
        Table
            Columns ``rank, supplier, tiv, share``, largest first.

        Examples
        --------
        >>> led = pb.read_sipri(pb.datasets.path("sipri-register-2024"))
        >>> led.suppliers("India", 2016, 2020)
        Table: 2 rows x 4 columns
        rank  supplier  tiv  share
           1  France    660  66.7%
           2  Russia    330  33.3%
        """
        return Table(self._native.suppliers(recipient, start, end))

    def clients(self, supplier: str, start: int, end: int) -> Table:
        """A supplier's clients over a period.

        ``share`` = TIV_sr / TIV_s., the client's share of the supplier's exports
        (SIPRI fact sheets; Wezeman et al., 2021).

        Returns
        -------
        Table
            Columns ``rank, recipient, tiv, share``, largest first.

        Examples
        --------
        >>> led = pb.read_sipri(pb.datasets.path("sipri-register-2024"))
        >>> led.clients("Russia", 2016, 2020)
        Table: 3 rows x 4 columns
        rank  recipient  tiv  share
           1  China      960  56.8%
           2  Algeria    400  23.7%
           3  India      330  19.5%
        """
        return Table(self._native.clients(supplier, start, end))

    # -- totals -----------------------------------------------------------------------------

    def by_supplier(self, start: int, end: int) -> Table:
        """TIV delivered by every supplier over a period, with its share of world exports.

        ``share_s`` = TIV_s / sum_k TIV_k, summed over every supplier including non-state
        actors and unknown suppliers (SIPRI fact sheets; Wezeman et al., 2021).

        Returns
        -------
        Table
            Columns ``rank, supplier, tiv, share``.

        Examples
        --------
        >>> led = pb.read_sipri(pb.datasets.path("sipri-register-2024"))
        >>> led.by_supplier(2016, 2020).head(3)
        Table: 3 rows x 4 columns
        rank  supplier         tiv  share
           1  Russia         1,690  42.2%
           2  United States  1,180  29.5%
           3  France           660  16.5%
        """
        return Table(self._native.by_supplier(start, end))

    def by_recipient(self, start: int, end: int) -> Table:
        """TIV received by every recipient over a period, with its share of world imports.

        ``share_r`` = TIV_r / sum_k TIV_k over all recipients (SIPRI fact sheets; Wezeman et al.,
        2021).

        Returns
        -------
        Table
            Columns ``rank, recipient, tiv, share``.

        Examples
        --------
        >>> led = pb.read_sipri(pb.datasets.path("sipri-register-2024"))
        >>> led.by_recipient(2016, 2020).head(3)
        Table: 3 rows x 4 columns
        rank  recipient       tiv  share
           1  Saudi Arabia  1,000  25.0%
           2  India           990  24.8%
           3  China           960  24.0%
        """
        return Table(self._native.by_recipient(start, end))

    def by_dyad(self, start: int, end: int) -> Table:
        """TIV by supplier-recipient pair over a period, largest first.

        ``share`` = TIV_sr / TIV_world; ``share_of_supplier_exports`` = TIV_sr / TIV_s.;
        ``share_of_recipient_imports`` = TIV_sr / TIV_.r (SIPRI fact sheets; Wezeman et al.,
        2021).

        Returns
        -------
        Table
            Columns ``supplier, recipient, tiv, share, share_of_supplier_exports,
            share_of_recipient_imports``.

        Examples
        --------
        >>> led = pb.read_sipri(pb.datasets.path("sipri-register-2024"))
        >>> led.by_dyad(2016, 2020).head(3)
        Table: 3 rows x 6 columns
        supplier       recipient       tiv  share  share_of_supplier_exports  share_of_recipient_imports
        United States  Saudi Arabia  1,000  25.0%                      84.7%                      100.0%
        Russia         China           960  24.0%                      56.8%                      100.0%
        France         India           660  16.5%                     100.0%                       66.7%
        """
        return Table(self._native.by_dyad(start, end))

    def by_category(
        self, start: int, end: int, *, supplier: Optional[str] = None, recipient: Optional[str] = None
    ) -> Table:
        """TIV delivered over a period by armament category, between the given parties.

        ``tiv_c`` = the TIV of the deliveries of category c in ``start..=end`` (from
        ``supplier`` to ``recipient``; None: any); ``share_c`` = tiv_c / sum_k tiv_k, the share of
        the filtered total in the period, so the shares sum to 1 (SIPRI Arms Transfers Database,
        armament categories). SIPRI's categories get one name across releases (the 2026
        register's "Air-defence systems" is "Air defence systems").

        Only the new-format registers (``sipri-register-2024``, ``sipri-register-2026``) carry
        the category; on another release this raises
        :class:`~powerbalance.errors.InvalidArgumentError` naming one that does.

        Parameters
        ----------
        start, end : int
            The years, both included (within the ledger's :attr:`years`).
        supplier, recipient : str, optional
            Keep only the deliveries of this supplier / to this recipient.

        Returns
        -------
        Table
            Columns ``category, tiv, share``, largest first.

        Examples
        --------
        >>> led = pb.read_sipri(pb.datasets.path("sipri-register-2024"))
        >>> led.by_category(2016, 2020, supplier="Russia")
        Table: 3 rows x 3 columns
        category           tiv  share
        Aircraft           960  56.8%
        Ships              400  23.7%
        Armoured vehicles  330  19.5%
        """
        return Table(self._native.by_category(start, end, supplier, recipient))

    def by_region(
        self,
        start: int,
        end: int,
        *,
        supplier: Optional[str] = None,
        recipient: Optional[str] = None,
        side: str = "recipient",
        regions: Union[None, "MilitaryExpenditure", PathLike] = None,
    ) -> Table:
        """TIV delivered over a period by region (of the recipient, or of the supplier).

        Regions are SIPRI's (Africa, Americas, Asia & Oceania, Europe, Middle East) as its
        military expenditure workbook gives them per country. Actors the workbook does not list
        are placed by documented rules (see :meth:`regions`): a state by its COW code's range,
        a non-state actor by the country in its name (``Hezbollah (Lebanon)*``), organisations
        under "International organisations", unknown actors under "Unknown".
        ``share_g`` = tiv_g / sum_k tiv_k over the filtered deliveries in the period.

        Parameters
        ----------
        start, end : int
            The years, both included.
        supplier, recipient : str, optional
            Keep only the deliveries of this supplier / to this recipient.
        side : {"recipient", "supplier"}
            Whose region: the recipient's (where the arms go, the default) or the supplier's.
        regions : MilitaryExpenditure or path, optional
            SIPRI's military expenditure table (:func:`powerbalance.read_milex`, or the path of
            its long CSV); by default the ``sipri-milex`` data set of the data home.

        Returns
        -------
        Table
            Columns ``region, tiv, share``, largest first.

        Examples
        --------
        >>> led = pb.read_sipri(pb.datasets.path("sipri-register-2024"))
        >>> led.by_region(2016, 2020, supplier="Russia", regions=pb.datasets.path("sipri-milex"))
        Table: 2 rows x 3 columns
        region            tiv  share
        Asia & Oceania  1,290  76.3%
        Africa            400  23.7%
        """
        return Table(self._native.by_region(start, end, supplier, recipient, side, _regions(regions)))

    def regions(self, regions: Union[None, "MilitaryExpenditure", PathLike] = None) -> Table:
        """Every actor of the ledger with its region and the rule that placed it.

        Rules, first that applies: ``milex workbook`` (a state the workbook lists, by name, ISO3
        or COW code), ``COW code range`` (2-199 Americas, 200-399 Europe, 400-626 Africa,
        630-699 Middle East, 700-999 Asia & Oceania), ``location`` (a few territories:
        Palestine, Western Sahara, ...), ``country in the name`` (non-state actors),
        ``organisation``, ``unknown``.

        Parameters
        ----------
        regions : MilitaryExpenditure or path, optional
            As for :meth:`by_region`.

        Returns
        -------
        Table
            Columns ``actor, kind, region, rule``, in the order of the ledger's actor registry.

        Examples
        --------
        >>> led = pb.read_sipri(pb.datasets.path("sipri-register-2024"))
        >>> rows = {r["actor"]: (r["region"], r["rule"]) for r in led.regions(pb.datasets.path("sipri-milex"))}
        >>> for name in ["China", "India", "Hezbollah (Lebanon)*", "NATO**"]:
        ...     print(name, rows[name])
        China ('Asia & Oceania', 'milex workbook')
        India ('Asia & Oceania', 'COW code range')
        Hezbollah (Lebanon)* ('Middle East', 'country in the name')
        NATO** ('International organisations', 'organisation')
        """
        return Table(self._native.regions(_regions(regions)))

    def orders(
        self,
        start: Optional[int] = None,
        end: Optional[int] = None,
        *,
        supplier: Optional[str] = None,
        recipient: Optional[str] = None,
    ) -> Table:
        """Orders against deliveries: one row per deal ordered in ``start..=end`` (order years;
        both None: every order), open orders included.

        ``number_open`` = ``number_ordered - number_delivered`` (null where SIPRI gives no
        number ordered); ``open_order`` is True for an order with nothing delivered yet;
        ``tiv_delivered`` is SIPRI's TIV of delivered weapons of the deal. Only the classic
        trade register (``sipri-classic-2026``) carries the numbers ordered and the open orders;
        on another release this raises :class:`~powerbalance.errors.InvalidArgumentError`
        naming it.

        Returns
        -------
        Table
            Columns ``supplier, recipient, order_year, order_year_estimated, designation,
            description, status, number_ordered, number_delivered, number_open, first_delivery,
            last_delivery, tiv_order, tiv_delivered, open_order``, by order year.

        Examples
        --------
        >>> led = pb.read_sipri(pb.datasets.path("sipri-classic-2026"))
        >>> cols = ["order_year", "designation", "number_ordered", "number_delivered", "open_order"]
        >>> led.orders(recipient="China").select(cols)
        Table: 3 rows x 5 columns
        order_year  designation  number_ordered  number_delivered  open_order
              1990  Su-27                    24                24  no
              2015  Su-35                    24                24  no
              2024  Il-76MD-90A               4                 0  yes
        """
        return Table(self._native.orders(start, end, supplier, recipient))

    def deals(
        self,
        start: Optional[int] = None,
        end: Optional[int] = None,
        *,
        supplier: Optional[str] = None,
        recipient: Optional[str] = None,
        category: Optional[str] = None,
        designation: Optional[str] = None,
    ) -> Table:
        """Search the deals: by supplier, recipient, armament category, designation (a part of
        it, any case) and delivery years.

        One row per deal (a new-format register's rows of one SIPRI id are one deal), with the
        TIV and numbers delivered in ``start..=end``; without years, every deal, open orders
        included. A category filter needs a new-format register.

        Returns
        -------
        Table
            Columns ``sipri_id, supplier, recipient, designation, description, category,
            order_year, number_ordered, number_delivered, first_delivery, last_delivery, tiv,
            status``.

        Examples
        --------
        >>> led = pb.read_sipri(pb.datasets.path("sipri-register-2024"))
        >>> led.deals(supplier="Russia", recipient="China").select(["sipri_id", "designation", "category", "tiv"])
        Table: 2 rows x 4 columns
        sipri_id  designation  category             tiv
          900009  S-400        Air defence systems  300
          900001  Su-35        Aircraft             960
        """
        return Table(self._native.deals(start, end, supplier, recipient, category, designation))

    def series(self, actor: str, start: Optional[int] = None, end: Optional[int] = None) -> Table:
        """One actor's annual exports and imports.

        For each year t: ``exports`` = TIV_a.,t, ``imports`` = TIV_.a,t, ``net_exports`` =
        exports - imports, ``share_of_world_exports`` = exports / world,
        ``share_of_world_imports`` = imports / world, ``world`` = the sum of all entries of the
        year (SIPRI Arms Transfers Database; shares as in Wezeman et al., 2021). In a
        totals-only ledger the missing side is 0 and its share null.

        Parameters
        ----------
        actor : str
            Any known spelling or SIPRI code.
        start, end : int, optional
            Years to cover; a missing bound is taken from the ledger's span.

        Returns
        -------
        Table
            Columns ``year, exports, imports, net_exports, share_of_world_exports,
            share_of_world_imports, world``.

        Examples
        --------
        >>> led = pb.read_sipri(pb.datasets.path("sipri-register-2024"))
        >>> led.series("India", start=2018, end=2020)
        Table: 3 rows x 7 columns
        year  exports  imports  net_exports  share_of_world_exports  share_of_world_imports  world
        2018        0        0            0                    0.0%                    0.0%    800
        2019        0      330         -330                    0.0%                  100.0%    330
        2020        0      660         -660                    0.0%                   78.6%    840
        """
        return Table(self._native.series(actor, start, end))

    def supplier_dependence(
        self, recipient: str, start: int, end: int, *, supplier: Optional[str] = None, block: Optional[int] = None
    ) -> Table:
        """A recipient's dependence on its suppliers: ``D_rs = TIV_sr / sum_k TIV_kr`` by year
        (or block of ``block`` years); see :func:`powerbalance.metrics.supplier_dependence`.

        Examples
        --------
        >>> led = pb.read_sipri(pb.datasets.path("sipri-register-2024"))
        >>> led.supplier_dependence("India", 2016, 2020, supplier="Russia", block=5)
        Table: 1 row x 9 columns
        start   end  recipient  supplier  tiv  total  share     hhi  n_partners
         2016  2020  India      Russia    330    990  33.3%  0.5556           2
        """
        from . import metrics

        return metrics.supplier_dependence(self, recipient, start, end, supplier=supplier, block=block)

    def client_dependence(
        self, supplier: str, start: int, end: int, *, client: Optional[str] = None, block: Optional[int] = None
    ) -> Table:
        """A supplier's dependence on its clients: ``M_sr = TIV_sr / sum_k TIV_sk`` by year or
        block; see :func:`powerbalance.metrics.client_dependence`.

        Examples
        --------
        >>> led = pb.read_sipri(pb.datasets.path("sipri-register-2024"))
        >>> led.client_dependence("Russia", 2016, 2020, client="India", block=5)
        Table: 1 row x 9 columns
        start   end  supplier  client  tiv  total  share     hhi  n_partners
         2016  2020  Russia    India   330  1,690  19.5%  0.4168           3
        """
        from . import metrics

        return metrics.client_dependence(self, supplier, start, end, client=client, block=block)

    def dependence_asymmetry(
        self, supplier: str, recipient: str, start: int, end: int, *, block: Optional[int] = None
    ) -> Table:
        """The recipient's supplier dependence minus the supplier's market dependence on it, by
        year or block; see :func:`powerbalance.metrics.dependence_asymmetry`.

        Examples
        --------
        >>> led = pb.read_sipri(pb.datasets.path("sipri-register-2024"))
        >>> led.dependence_asymmetry("Russia", "China", 2012, 2020, block=3)
        Table: 3 rows x 6 columns
        start   end  tiv  recipient_dependence  supplier_dependence  asymmetry
         2012  2014  300                     1                    1          0
         2015  2017  560                     1                    1          0
         2018  2020  400                     1                0.354      0.646
        """
        from . import metrics

        return metrics.dependence_asymmetry(self, supplier, recipient, start, end, block=block)

    def net_exporter(self, actor: str, start: Optional[int] = None, end: Optional[int] = None) -> Table:
        """An actor's exports, imports and net exporter status (``exports > imports``) by year;
        see :func:`powerbalance.metrics.net_exporter`.

        Examples
        --------
        >>> led = pb.read_sipri(pb.datasets.path("sipri-register-2024"))
        >>> led.net_exporter("China", start=2016, end=2018)
        Table: 3 rows x 6 columns
        year  exports  imports   net  net_exporter  status
        2016        0      160  -160  no            importer
        2017      120      400  -280  no            importer
        2018        0      400  -400  no            importer
        """
        from . import metrics

        return metrics.net_exporter(self, actor, start=start, end=end)

    def world(self, start: Optional[int] = None, end: Optional[int] = None) -> Table:
        """The world total of transfers by year: ``tiv_t`` = the sum of all entries of year t
        (every supplier and recipient, including non-state actors and unknowns; SIPRI Arms
        Transfers Database).

        Returns
        -------
        Table
            Columns ``year, tiv``.

        Examples
        --------
        >>> led = pb.read_sipri(pb.datasets.path("sipri-register-2024"))
        >>> led.world(start=2016, end=2020)
        Table: 5 rows x 2 columns
        year    tiv
        2016  1,510
        2017    520
        2018    800
        2019    330
        2020    840
        """
        return Table(self._native.world(start, end))

    def total(self, start: int, end: int) -> float:
        """The sum of TIV over all entries of a period (the world total, SIPRI Arms Transfers
        Database).

        Examples
        --------
        >>> led = pb.read_sipri(pb.datasets.path("sipri-register-2024"))
        >>> led.total(2016, 2020)
        4000.0
        """
        return self._native.total(start, end)

    # -- the data themselves ----------------------------------------------------------------

    def entries(self) -> Table:
        """The ledger's entries: ``supplier, recipient, year, tiv`` and, where the source has
        deals (the trade registers), ``sipri_id, designation, description, category,
        order_year, status, numbers_delivered, tiv_unit, tiv_deal_unit, flags``.

        Examples
        --------
        >>> led = pb.read_sipri(pb.datasets.path("sipri-register-2024"))
        >>> russia_2018 = led.entries().filter(supplier="Russia", year=2018)
        >>> russia_2018.select(["recipient", "tiv", "sipri_id", "designation", "order_year"])
        Table: 2 rows x 5 columns
        recipient  tiv  sipri_id  designation  order_year
        China      400    900001  Su-35              2015
        Algeria    400    900006  Project-636        2014
        """
        return Table(self._native.entries())

    def report(self) -> Table:
        """The load report, one row per file read: ``path, format, coverage, generated,
        preamble_lines, data_rows, rows_read, rows_skipped, entries, new_actors, notes``.

        Every data row is accounted for: ``rows_read + rows_skipped == data_rows``.

        Examples
        --------
        >>> led = pb.read_sipri(pb.datasets.path("sipri-register-2024"))
        >>> led.report().select(["format", "preamble_lines", "data_rows", "rows_read", "entries"])
        Table: 1 row x 5 columns
        format          preamble_lines  data_rows  rows_read  entries
        trade-register              11         11         11       11
        """
        return Table(self._native.report())

    def skipped(self) -> Table:
        """Every row not read, with the reason: ``path, line, reason`` (files of a folder that
        were skipped whole have line 0).

        Examples
        --------
        >>> led = pb.read_sipri(pb.datasets.path("sipri-register-2024"))
        >>> led.skipped().num_rows
        0
        """
        return Table(self._native.skipped())

    def actors(self) -> Table:
        """The actors of this ledger's registry: the built-in ones and names met in the files
        (``builtin`` false). Columns ``id, name, kind, sipri_code, cow_code, iso3, aliases,
        successor, predecessor, builtin``.

        Examples
        --------
        >>> led = pb.read_sipri(pb.datasets.path("sipri-register-2024"))
        >>> led.actors().filter(builtin=False).num_rows  # every name in the file is a known actor
        0
        >>> led.actors().filter(name="Soviet Union").select(["name", "kind", "cow_code", "successor"])
        Table: 1 row x 4 columns
        name          kind   cow_code  successor
        Soviet Union  state       365  Russia
        """
        return Table(self._native.actors())

    def follow_succession(self) -> "Ledger":
        """A new ledger in which every actor with a successor is replaced by its latest
        successor: the Soviet Union's deliveries become Russia's. This ledger is unchanged.

        Examples
        --------
        >>> led = pb.read_sipri(pb.datasets.path("sipri-classic-2026"))
        >>> led.dyad("Russia", "China", start=1991, end=1992).column("tiv")
        [0.0, 0.0]
        >>> merged = led.follow_succession()
        >>> merged.dyad("Russia", "China", start=1991, end=1992).column("tiv")
        [240.0, 240.0]
        """
        return Ledger(self._native.follow_succession())

    def resolve(self, name: str) -> str:
        """The canonical name of an actor spelling (``"Turkiye"`` -> ``"Turkiye"``,
        ``"turkey"`` -> ``"Turkiye"``, ``"CHI"`` -> ``"China"``).

        Raises
        ------
        powerbalance.errors.UnknownActorError
            With ``suggestions``, when no actor has this name.

        Examples
        --------
        >>> led = pb.read_sipri(pb.datasets.path("sipri-register-2024"))
        >>> led.resolve("turkey"), led.resolve("CHI")
        ('Turkiye', 'China')
        """
        return self._native.resolve(name)

    layout = NativeProperty[str](
        """What the rows hold: ``"dyadic"`` (supplier x recipient), ``"export-totals"`` or
        ``"import-totals"``. (The years the ledger covers are :attr:`years`.)"""
    )
    annual_estimated = NativeProperty[bool](
        """True when annual values are estimates: the classic register gives deal totals over
        a list of delivery years, which the reader spreads evenly."""
    )
    span = NativeProperty[Optional[Period]](
        """``(first_year, last_year)`` with an entry, or None for an empty ledger."""
    )

    @property
    def years(self) -> Optional[Period]:
        """``(first_year, last_year)`` the ledger *covers*: every period query must lie inside.

        The coverage is the inclusive span of the years of the rows read, fixed when the file is
        read (a folder: the union span of its files), and carried unchanged through scenarios,
        :meth:`follow_succession` and Arrow IPC export. It is not the span a file's heading
        announces: the 2026 register's heading says 1995-2025 but it holds no 2025 delivery,
        so it covers 1995-2024. A query whose period (or comparison period) reaches outside it
        raises :class:`powerbalance.errors.CoverageError`; inside it a year without deliveries
        is a real zero. A scenario's what-if covers its baseline's years, even where the
        scenario removed every delivery of a year (so :attr:`span` may be shorter).
        """
        return self._native.years


def _regions(regions: Union[None, "MilitaryExpenditure", PathLike]) -> _native.Milex:
    """The native military expenditure table that gives SIPRI's regions (default: the
    ``sipri-milex`` data set of the data home)."""
    from .capabilities import MilitaryExpenditure, read_milex

    if regions is None:
        from . import datasets

        regions = datasets.path("sipri-milex")
    m = regions if isinstance(regions, MilitaryExpenditure) else read_milex(regions)
    return m.native


def read_sipri(path: PathLike) -> Ledger:
    """Read a SIPRI Arms Transfers Database export, or a folder of them, into a ledger.

    The layout is detected from the file itself: the trade registers (new per-delivery-year
    format, 2024 and 2026 vintages, and the classic Latin-1 one-row-per-deal register), the TIV
    tables (per supplier, "All" totals, long tables) and SIPRI's official totals. Every data row
    is accounted for in :meth:`Ledger.report` and :meth:`Ledger.skipped`. A folder is read as
    one ledger; files that would double count (a totals table beside dyadic files) are
    skipped and listed.

    Source: SIPRI Arms Transfers Database, https://www.sipri.org/databases/armstransfers.

    Parameters
    ----------
    path : str or os.PathLike
        A file or a folder.

    Raises
    ------
    powerbalance.errors.DataFormatError
        (or its subclasses ``EmptyFileError``, ``EncodingError``, ``OverlapError``) with
        ``path``, ``line``, ``column`` and ``column_name`` where they apply.
    powerbalance.errors.DataIOError
        When the path cannot be read (``DataFileNotFoundError`` when it does not exist).

    Examples
    --------
    >>> import powerbalance as pb
    >>> led = pb.read_sipri(pb.datasets.path("sipri-register-2024"))
    >>> len(led), led.report()["format"]
    (11, ['trade-register'])
    """
    return Ledger(_native.read_sipri(os.fspath(path)))


def read_sipri_bytes(data: Union[bytes, bytearray, memoryview], name: str = "<bytes>") -> Ledger:
    """Read a SIPRI export held in memory (a download, an upload in a notebook).

    Parameters
    ----------
    data : bytes-like
        The file's bytes.
    name : str, default ``"<bytes>"``
        The file name to use in the load report and in error messages; it may also help
        the reader tell the layout (e.g. ``TIV-Export-CHI-1950-2021.csv``).

    Examples
    --------
    >>> data = pb.datasets.path("sipri-classic-2026").read_bytes()
    >>> led = pb.read_sipri_bytes(data, "trade-register.csv")
    >>> len(led), led.annual_estimated
    (7, True)
    """
    return Ledger(_native.read_sipri_bytes(bytes(data), name))
