//! Arms-trade dependence over a transfer [`Ledger`]: supplier dependence, client (market)
//! dependence and their asymmetry, the concentration of a recipient's suppliers and of a
//! supplier's clients, net exporter status, and the peak and change points of an annual series.
//!
//! All values are SIPRI TIV. A recipient's imports (a supplier's exports) sum **every** partner
//! of the ledger, including non-state actors, organisations and unknown suppliers or recipients,
//! as in SIPRI's fact sheets. Dependence in the sense of Hirschman (1945), *National Power and the
//! Structure of Foreign Trade*: a state is dependent on a partner that takes a large share of its
//! trade, and the partner gains leverage from the asymmetry (Keohane & Nye 1977).
//!
//! The tables take a list of periods: one per year ([`annual`]) for a series, or blocks such as
//! SIPRI's five-year periods ([`blocks`]).

use crate::actors::ActorId;
use crate::error::{Error, Result};
use crate::ledger::Ledger;
use crate::period::Period;
use crate::table::{Table, TableBuilder};
use std::collections::HashMap;

/// One period per year of `p`.
pub fn annual(p: Period) -> Vec<Period> {
    p.years().map(Period::year).collect()
}

/// The periods a dependence table reports: each year of `p` ([`annual`]) or, with `block`,
/// blocks of `block` years ([`blocks`]).
pub fn periods(p: Period, block: Option<usize>) -> Result<Vec<Period>> {
    match block {
        None => Ok(annual(p)),
        Some(n) => blocks(p, n),
    }
}

/// Consecutive blocks of `len` years from `p.start` (the last block may be shorter), e.g.
/// SIPRI's five-year periods with `len = 5`.
pub fn blocks(p: Period, len: usize) -> Result<Vec<Period>> {
    if len == 0 {
        return Err(Error::invalid("a block must hold at least one year"));
    }
    let mut out = vec![];
    let mut s = p.start;
    while s <= p.end {
        let e = (s + len as i32 - 1).min(p.end);
        out.push(Period { start: s, end: e });
        s = e + 1;
    }
    Ok(out)
}

/// An actor's partners in `p` (suppliers of a recipient, or clients of a supplier), with TIV,
/// largest first (ties by name).
fn partners(l: &Ledger, actor: ActorId, as_recipient: bool, p: Period) -> Vec<(ActorId, f64)> {
    let mut m: HashMap<ActorId, f64> = HashMap::new();
    for i in 0..l.len() {
        if !p.contains(l.year[i]) {
            continue;
        }
        let (me, other) = if as_recipient { (l.recipient[i], l.supplier[i]) } else { (l.supplier[i], l.recipient[i]) };
        if me == actor {
            *m.entry(other).or_insert(0.0) += l.tiv[i];
        }
    }
    let mut v: Vec<(ActorId, f64)> = m.into_iter().collect();
    let r = &l.registry;
    v.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| r.name(a.0).cmp(r.name(b.0))));
    v
}

/// A dependence figure: the partner, the TIV with it, the actor's total, the share and the HHI
/// of the actor's partners.
#[derive(Debug, Clone, PartialEq)]
pub struct Dependence {
    pub partner: ActorId,
    pub tiv: f64,
    pub total: f64,
    /// `tiv / total`.
    pub share: f64,
    /// HHI of the actor's partners, `sum_k s_k^2`.
    pub hhi: f64,
    pub n_partners: usize,
}

fn dependence(
    l: &Ledger, actor: ActorId, partner: Option<ActorId>, as_recipient: bool, p: Period,
) -> Result<Option<Dependence>> {
    let what = if as_recipient { "supplier dependence" } else { "client dependence" };
    l.require_dyadic(what)?;
    l.check_years(p, &format!("{what} of {} in {p}", l.registry.name(actor)))?;
    let v = partners(l, actor, as_recipient, p);
    let total: f64 = v.iter().map(|x| x.1).sum();
    if total <= 0.0 {
        return Ok(None);
    }
    let hhi = v.iter().map(|x| (x.1 / total).powi(2)).sum::<f64>().clamp(0.0, 1.0);
    let (partner, tiv) = match partner {
        None => v[0],
        Some(pa) => (pa, v.iter().find(|x| x.0 == pa).map_or(0.0, |x| x.1)),
    };
    Ok(Some(Dependence { partner, tiv, total, share: tiv / total, hhi, n_partners: v.len() }))
}

/// Supplier dependence of `recipient` in `p`: the share of its imports that came from `supplier`,
/// or from its top supplier when `supplier` is `None`:
/// `D_r(s) = TIV_sr / sum_k TIV_kr` (Hirschman 1945). `Ok(None)` when the recipient imported
/// nothing in `p`.
pub fn supplier_dependence(
    l: &Ledger, recipient: ActorId, supplier: Option<ActorId>, p: Period,
) -> Result<Option<Dependence>> {
    dependence(l, recipient, supplier, true, p)
}

/// Client (market) dependence of `supplier` in `p`: the share of its exports that went to
/// `client`, or to its top client: `M_s(r) = TIV_sr / sum_k TIV_sk` (Hirschman 1945).
pub fn client_dependence(
    l: &Ledger, supplier: ActorId, client: Option<ActorId>, p: Period,
) -> Result<Option<Dependence>> {
    dependence(l, supplier, client, false, p)
}

/// HHI of a recipient's suppliers in `p`: `sum_s (TIV_sr / TIV_.r)^2`, in `[1/n, 1]`
/// (Hirschman 1945; Herfindahl 1950). `None` without imports.
pub fn supplier_hhi(l: &Ledger, recipient: ActorId, p: Period) -> Result<Option<f64>> {
    Ok(supplier_dependence(l, recipient, None, p)?.map(|d| d.hhi))
}

/// HHI of a supplier's clients in `p`: `sum_r (TIV_sr / TIV_s.)^2` (Hirschman 1945; Herfindahl 1950).
pub fn client_hhi(l: &Ledger, supplier: ActorId, p: Period) -> Result<Option<f64>> {
    Ok(client_dependence(l, supplier, None, p)?.map(|d| d.hhi))
}

/// The asymmetry of a supplier-recipient dyad in `p`.
#[derive(Debug, Clone, PartialEq)]
pub struct Asymmetry {
    pub tiv: f64,
    /// `TIV_sr / TIV_.r`: the recipient's dependence on the supplier (`None` without imports).
    pub recipient_dependence: Option<f64>,
    /// `TIV_sr / TIV_s.`: the supplier's dependence on the recipient as a market.
    pub supplier_dependence: Option<f64>,
    /// `recipient_dependence − supplier_dependence`, in `[−1, 1]`: positive when the recipient
    /// depends on the supplier more than the supplier on it (the supplier has leverage).
    pub asymmetry: Option<f64>,
}

/// Dependence asymmetry of a dyad: `A_sr = TIV_sr / TIV_.r − TIV_sr / TIV_s.` (Hirschman 1945;
/// Keohane & Nye 1977). A side with no trade in `p` has a null dependence and a null asymmetry.
pub fn dependence_asymmetry(l: &Ledger, supplier: ActorId, recipient: ActorId, p: Period) -> Result<Asymmetry> {
    l.require_dyadic("dependence asymmetry")?;
    l.check_years(
        p,
        &format!("dependence asymmetry of {} -> {} in {p}", l.registry.name(supplier), l.registry.name(recipient)),
    )?;
    let (mut d, mut imp, mut exp) = (0.0, 0.0, 0.0);
    for i in 0..l.len() {
        if !p.contains(l.year[i]) {
            continue;
        }
        let s = l.supplier[i] == supplier;
        let r = l.recipient[i] == recipient;
        if s {
            exp += l.tiv[i];
        }
        if r {
            imp += l.tiv[i];
        }
        if s && r {
            d += l.tiv[i];
        }
    }
    let rd = (imp > 0.0).then(|| d / imp);
    let sd = (exp > 0.0).then(|| d / exp);
    let asymmetry = match (rd, sd) {
        (Some(a), Some(b)) => Some(a - b),
        _ => None,
    };
    Ok(Asymmetry { tiv: d, recipient_dependence: rd, supplier_dependence: sd, asymmetry })
}

fn dependence_table(
    l: &Ledger, actor: ActorId, partner: Option<ActorId>, as_recipient: bool, periods: &[Period],
) -> Result<Table> {
    let rows: Vec<Option<Dependence>> =
        periods.iter().map(|p| dependence(l, actor, partner, as_recipient, *p)).collect::<Result<_>>()?;
    let r = &l.registry;
    let (who, other) = if as_recipient { ("recipient", "supplier") } else { ("supplier", "client") };
    TableBuilder::new()
        .i64("start", periods.iter().map(|p| p.start as i64).collect())
        .i64("end", periods.iter().map(|p| p.end as i64).collect())
        .str(who, vec![r.name(actor); periods.len()])
        .str_opt(
            other,
            rows.iter().map(|d| d.as_ref().map(|d| r.name(d.partner)).or(partner.map(|p| r.name(p)))).collect(),
        )
        .f64("tiv", rows.iter().map(|d| d.as_ref().map_or(0.0, |d| d.tiv)).collect())
        .f64("total", rows.iter().map(|d| d.as_ref().map_or(0.0, |d| d.total)).collect())
        .f64_opt("share", rows.iter().map(|d| d.as_ref().map(|d| d.share)).collect())
        .f64_opt("hhi", rows.iter().map(|d| d.as_ref().map(|d| d.hhi)).collect())
        .i64("n_partners", rows.iter().map(|d| d.as_ref().map_or(0, |d| d.n_partners as i64)).collect())
        .build()
}

/// Supplier dependence of a recipient by period ([`supplier_dependence`]; Hirschman 1945), with
/// the HHI of its suppliers (`sum_s share_s^2`).
///
/// Columns: `start, end, recipient, supplier` (the given one, or the period's top supplier),
/// `tiv, total` (the recipient's imports), `share, hhi` (null without imports), `n_partners`.
pub fn supplier_dependence_table(
    l: &Ledger, recipient: ActorId, supplier: Option<ActorId>, periods: &[Period],
) -> Result<Table> {
    dependence_table(l, recipient, supplier, true, periods)
}

/// Client (market) dependence of a supplier by period ([`client_dependence`]; Hirschman 1945),
/// with the HHI of its clients. Columns: `start, end, supplier, client, tiv, total, share, hhi,
/// n_partners`.
pub fn client_dependence_table(
    l: &Ledger, supplier: ActorId, client: Option<ActorId>, periods: &[Period],
) -> Result<Table> {
    dependence_table(l, supplier, client, false, periods)
}

/// Dependence asymmetry of a dyad by period ([`dependence_asymmetry`]).
///
/// Columns: `start, end, tiv, recipient_dependence, supplier_dependence, asymmetry`.
pub fn asymmetry_table(l: &Ledger, supplier: ActorId, recipient: ActorId, periods: &[Period]) -> Result<Table> {
    let rows: Vec<Asymmetry> =
        periods.iter().map(|p| dependence_asymmetry(l, supplier, recipient, *p)).collect::<Result<_>>()?;
    TableBuilder::new()
        .i64("start", periods.iter().map(|p| p.start as i64).collect())
        .i64("end", periods.iter().map(|p| p.end as i64).collect())
        .f64("tiv", rows.iter().map(|a| a.tiv).collect())
        .f64_opt("recipient_dependence", rows.iter().map(|a| a.recipient_dependence).collect())
        .f64_opt("supplier_dependence", rows.iter().map(|a| a.supplier_dependence).collect())
        .f64_opt("asymmetry", rows.iter().map(|a| a.asymmetry).collect())
        .build()
}

/// Net exporter status of an actor by year over `years` (default: the ledger's span):
/// `net_t = exports_t − imports_t`; the actor is a net exporter in year t when `net_t > 0`.
/// `status` is `exporter`, `importer`, `balanced` (equal and non-zero) or `none` (no trade).
///
/// Columns: `year, exports, imports, net, net_exporter, status`.
pub fn net_exporter(l: &Ledger, actor: ActorId, years: Option<Period>) -> Result<Table> {
    l.require_dyadic("net exporter status")?;
    let p = l.years_or_all(
        years,
        &match years {
            Some(p) => format!("net_exporter({}, {p})", l.registry.name(actor)),
            None => format!("net_exporter({})", l.registry.name(actor)),
        },
    )?;
    let (mut e, mut m) = (vec![0.0; p.len()], vec![0.0; p.len()]);
    for i in 0..l.len() {
        if !p.contains(l.year[i]) {
            continue;
        }
        let k = (l.year[i] - p.start) as usize;
        if l.supplier[i] == actor {
            e[k] += l.tiv[i];
        }
        if l.recipient[i] == actor {
            m[k] += l.tiv[i];
        }
    }
    let status = |k: usize| {
        if e[k] > m[k] {
            "exporter"
        } else if m[k] > e[k] {
            "importer"
        } else if e[k] > 0.0 {
            "balanced"
        } else {
            "none"
        }
    };
    TableBuilder::new()
        .i64("year", p.years().map(i64::from).collect())
        .f64("exports", e.clone())
        .f64("imports", m.clone())
        .f64("net", (0..p.len()).map(|k| e[k] - m[k]).collect())
        .bool("net_exporter", (0..p.len()).map(|k| e[k] > m[k]).collect())
        .str("status", (0..p.len()).map(status).collect())
        .build()
}

fn present(series: &[(i32, Option<f64>)]) -> Result<Vec<(i32, f64)>> {
    let mut v: Vec<(i32, f64)> = series.iter().filter_map(|&(y, x)| x.map(|x| (y, x))).collect();
    if v.iter().any(|x| !x.1.is_finite()) {
        return Err(Error::invalid("the series has a non-finite value"));
    }
    v.sort_by_key(|x| x.0);
    if v.windows(2).any(|w| w[0].0 == w[1].0) {
        return Err(Error::invalid("the series repeats a year"));
    }
    if v.is_empty() {
        return Err(Error::invalid("the series has no values"));
    }
    Ok(v)
}

/// The peak of an annual series: the year of its largest value (the earliest on ties), and the
/// value. Missing values are skipped.
pub fn peak(series: &[(i32, Option<f64>)]) -> Result<(i32, f64)> {
    let v = present(series)?;
    let mut best = v[0];
    for &x in &v[1..] {
        if x.1 > best.1 {
            best = x;
        }
    }
    Ok(best)
}

/// [`peak`] as one row: `year, value`.
pub fn peak_table(series: &[(i32, Option<f64>)]) -> Result<Table> {
    let (y, v) = peak(series)?;
    TableBuilder::new().i64("year", vec![y as i64]).f64("value", vec![v]).build()
}

/// Options of [`change_points`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ChangePointOptions {
    /// Fewest years in a segment (at least 1; default 2).
    pub min_segment: usize,
    /// Penalty per change point in units of `ln n` (default 2: BIC, one mean and one location per
    /// change).
    pub penalty: f64,
    /// Most change points considered (default: no limit beyond `n / min_segment`).
    pub max_changes: Option<usize>,
}

impl Default for ChangePointOptions {
    fn default() -> Self {
        ChangePointOptions { min_segment: 2, penalty: 2.0, max_changes: None }
    }
}

/// A segment of constant mean.
#[derive(Debug, Clone, PartialEq)]
pub struct Segment {
    pub start: i32,
    pub end: i32,
    pub n: usize,
    pub mean: f64,
}

fn rss(p: &[f64], q: &[f64], a: usize, b: usize) -> f64 {
    // Sum of squared deviations of x[a..b] from its mean, from prefix sums p (x) and q (x^2).
    let n = (b - a) as f64;
    let s = p[b] - p[a];
    ((q[b] - q[a]) - s * s / n).max(0.0)
}

/// Change points in the mean of an annual series, by binary segmentation with a BIC penalty.
///
/// Method (Scott & Knott 1974; Vostrikova 1981 for binary segmentation; Yao 1988 for the BIC):
/// the observed values `x_1..x_n` (missing years skipped, years sorted) are split greedily: at
/// each step the split of an existing segment that most reduces the residual sum of squares
/// (`RSS = sum (x_t − mean of its segment)^2`) is made, each part keeping at least `min_segment`
/// values, until no split is possible or `max_changes` is reached. Of the nested models with
/// `k = 0, 1, ...` changes so found, the one minimising
/// `BIC(k) = n ln(RSS_k / n) + penalty · k · ln n` is returned (`RSS_k / n` floored at
/// `1e-12 · RSS_0 / n`, so an exact step is found once). A constant series has no change.
/// Returns the segments in order; every segment after the first starts at a change point.
pub fn change_points(series: &[(i32, Option<f64>)], o: ChangePointOptions) -> Result<Vec<Segment>> {
    if o.min_segment == 0 || !o.penalty.is_finite() || o.penalty < 0.0 {
        return Err(Error::invalid("min_segment must be at least 1 and the penalty finite and non-negative"));
    }
    let v = present(series)?;
    let n = v.len();
    let mut p = vec![0.0; n + 1];
    let mut q = vec![0.0; n + 1];
    for (i, x) in v.iter().enumerate() {
        p[i + 1] = p[i] + x.1;
        q[i + 1] = q[i] + x.1 * x.1;
    }
    let rss0 = rss(&p, &q, 0, n);
    let floor = 1e-12 * rss0 / n as f64;
    let bic = |r: f64, k: usize| -> f64 {
        let var = (r / n as f64).max(floor);
        if var <= 0.0 {
            f64::NEG_INFINITY
        } else {
            n as f64 * var.ln() + o.penalty * k as f64 * (n as f64).ln()
        }
    };
    let max_k = o.max_changes.unwrap_or(usize::MAX).min(n / o.min_segment);
    // cuts: sorted segment boundaries [0, .., n]
    let mut cuts = vec![0usize, n];
    let mut models: Vec<(Vec<usize>, f64)> = vec![(cuts.clone(), rss0)];
    let mut total = rss0;
    if rss0 > 0.0 {
        while models.len() - 1 < max_k {
            let mut best: Option<(usize, f64)> = None; // (cut position, reduction)
            for w in cuts.windows(2) {
                let (a, b) = (w[0], w[1]);
                let whole = rss(&p, &q, a, b);
                for c in a + o.min_segment..=b.saturating_sub(o.min_segment) {
                    let red = whole - rss(&p, &q, a, c) - rss(&p, &q, c, b);
                    if best.map_or(true, |x| red > x.1 + 1e-12 * (1.0 + x.1.abs())) {
                        best = Some((c, red));
                    }
                }
            }
            let Some((c, red)) = best else { break };
            cuts.push(c);
            cuts.sort_unstable();
            total = (total - red).max(0.0);
            models.push((cuts.clone(), total));
        }
    }
    let (cuts, _) = models
        .iter()
        .enumerate()
        .min_by(|(k1, m1), (k2, m2)| bic(m1.1, *k1).total_cmp(&bic(m2.1, *k2)).then(k1.cmp(k2)))
        .map(|(_, m)| m.clone())
        .unwrap_or((vec![0, n], rss0));
    Ok(cuts
        .windows(2)
        .map(|w| Segment {
            start: v[w[0]].0,
            end: v[w[1] - 1].0,
            n: w[1] - w[0],
            mean: (p[w[1]] - p[w[0]]) / (w[1] - w[0]) as f64,
        })
        .collect())
}

/// [`change_points`] as a table: `segment, start, end, n, mean, change` (`change` is true for a
/// segment that starts at a change point, i.e. every segment but the first), plus `peak_year`
/// and `peak_value` of the whole series ([`peak`]) repeated on each row.
pub fn change_points_table(series: &[(i32, Option<f64>)], o: ChangePointOptions) -> Result<Table> {
    let segs = change_points(series, o)?;
    let (py, pv) = peak(series)?;
    let n = segs.len();
    TableBuilder::new()
        .i64("segment", (1..=n as i64).collect())
        .i64("start", segs.iter().map(|s| s.start as i64).collect())
        .i64("end", segs.iter().map(|s| s.end as i64).collect())
        .i64("n", segs.iter().map(|s| s.n as i64).collect())
        .f64("mean", segs.iter().map(|s| s.mean).collect())
        .bool("change", (0..n).map(|k| k > 0).collect())
        .i64("peak_year", vec![py as i64; n])
        .f64("peak_value", vec![pv; n])
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actors::ActorRegistry;
    use crate::ledger::{Coverage, NO_DEAL};
    use crate::testing::{close, toy_ledger};
    use proptest::prelude::*;
    use std::sync::Arc;

    #[test]
    fn dependence_hand_checked() {
        let l = toy_ledger();
        let r = l.registry.clone();
        let (rus, ind, fra, chn) = (
            r.resolve("Russia").unwrap(),
            r.resolve("India").unwrap(),
            r.resolve("France").unwrap(),
            r.resolve("China").unwrap(),
        );
        let y16 = Period::year(2016);
        // India 2016: Russia 6, France 3, USA 1 of 10.
        let d = supplier_dependence(&l, ind, None, y16).unwrap().unwrap();
        assert_eq!(d.partner, rus);
        close(d.share, 0.6);
        close(d.hhi, 0.36 + 0.09 + 0.01);
        close(supplier_dependence(&l, ind, Some(fra), y16).unwrap().unwrap().share, 0.3);
        // Russia 2016: India 6, China 4 of 10.
        let c = client_dependence(&l, rus, None, y16).unwrap().unwrap();
        assert_eq!(c.partner, ind);
        close(c.share, 0.6);
        close(client_hhi(&l, rus, y16).unwrap().unwrap(), 0.52);
        close(client_dependence(&l, rus, Some(chn), y16).unwrap().unwrap().share, 0.4);
        assert_eq!(supplier_hhi(&l, rus, y16).unwrap(), None);
        // Russia -> India over 2016-2017: 8 of India's 12 imports, 8 of Russia's 12 exports: symmetric.
        let p = Period::new(2016, 2017).unwrap();
        let a = dependence_asymmetry(&l, rus, ind, p).unwrap();
        close(a.asymmetry.unwrap(), 0.0);
        // Russia -> China 2016: China's imports 4/4 = 1, Russia's exports 4/10 = 0.4: asymmetry 0.6.
        let a = dependence_asymmetry(&l, rus, chn, y16).unwrap();
        close(a.asymmetry.unwrap(), 0.6);
        let t = supplier_dependence_table(&l, ind, None, &annual(p)).unwrap();
        assert_eq!(t.f64s("share").unwrap(), vec![Some(0.6), Some(1.0)]);
        let t = client_dependence_table(&l, rus, Some(chn), &annual(p)).unwrap();
        assert_eq!(t.f64s("share").unwrap(), vec![Some(0.4), Some(0.0)]);
        // Over 2016-2017 China imported 6 (Russia 4, France 2) and Russia exported 12.
        let t = asymmetry_table(&l, rus, chn, &blocks(p, 5).unwrap()).unwrap();
        assert_eq!(t.num_rows(), 1);
        close(t.f64s("asymmetry").unwrap()[0].unwrap(), 4.0 / 6.0 - 4.0 / 12.0);
    }

    #[test]
    fn net_exporter_hand_checked() {
        let l = toy_ledger();
        let pak = l.registry.resolve("Pakistan").unwrap();
        let t = net_exporter(&l, pak, Some(Period::new(2016, 2017).unwrap())).unwrap();
        assert_eq!(t.f64s("net").unwrap(), vec![Some(0.0), Some(-4.0)]);
        assert_eq!(t.strings("status").unwrap()[1].as_deref(), Some("importer"));
        assert_eq!(t.strings("status").unwrap()[0].as_deref(), Some("none"));
        let chn = l.registry.resolve("China").unwrap();
        // Every year of the ledger (2011-2017): nothing before 2016, imports of 4 in 2016,
        // exports of 5 against imports of 2 in 2017.
        let t = net_exporter(&l, chn, None).unwrap();
        let mut status = vec![Some("none".to_string()); 5];
        status.extend([Some("importer".into()), Some("exporter".into())]);
        assert_eq!(t.strings("status").unwrap(), status);
        assert_eq!(t.f64s("net").unwrap()[5..], [Some(-4.0), Some(3.0)]);
        assert_eq!(blocks(Period::new(2000, 2011).unwrap(), 5).unwrap().len(), 3);
    }

    #[test]
    fn peak_and_change_points_hand_checked() {
        let s: Vec<(i32, Option<f64>)> = [1.0, 1.0, 1.0, 1.0, 5.0, 5.0, 5.0, 5.0]
            .iter()
            .enumerate()
            .map(|(i, x)| (2000 + i as i32, Some(*x)))
            .collect();
        let segs = change_points(&s, ChangePointOptions::default()).unwrap();
        assert_eq!(
            segs,
            vec![
                Segment { start: 2000, end: 2003, n: 4, mean: 1.0 },
                Segment { start: 2004, end: 2007, n: 4, mean: 5.0 }
            ]
        );
        assert_eq!(peak(&s).unwrap(), (2004, 5.0));
        // A plateau: one greedy split does not lower the BIC (150 vs 200 RSS), two do.
        let s: Vec<(i32, Option<f64>)> = [0.0, 0.0, 0.0, 10.0, 10.0, 10.0, 0.0, 0.0, 0.0]
            .iter()
            .enumerate()
            .map(|(i, x)| (1990 + i as i32, Some(*x)))
            .collect();
        let segs = change_points(&s, ChangePointOptions::default()).unwrap();
        assert_eq!(segs.iter().map(|s| s.start).collect::<Vec<_>>(), vec![1990, 1993, 1996]);
        let t = change_points_table(&s, ChangePointOptions::default()).unwrap();
        assert_eq!(t.i64s("peak_year").unwrap()[0], Some(1993));
        // Constant and noisy-flat series: no change.
        let c: Vec<(i32, Option<f64>)> = (0..10).map(|i| (2000 + i, Some(3.0))).collect();
        assert_eq!(change_points(&c, ChangePointOptions::default()).unwrap().len(), 1);
        let f: Vec<(i32, Option<f64>)> = [1.0, 1.1, 0.9, 1.0, 1.05, 0.95, 1.0, 1.1, 0.9, 1.0]
            .iter()
            .enumerate()
            .map(|(i, x)| (2000 + i as i32, Some(*x)))
            .collect();
        assert_eq!(change_points(&f, ChangePointOptions::default()).unwrap().len(), 1);
        // Missing years are skipped.
        let m = vec![(2000, Some(1.0)), (2001, None), (2002, Some(2.0))];
        assert_eq!(peak(&m).unwrap(), (2002, 2.0));
        assert!(peak(&[(2000, None)]).is_err());
        assert!(change_points(&s, ChangePointOptions { min_segment: 0, ..Default::default() }).is_err());
    }

    proptest! {
        #[test]
        fn hhi_bounds_and_relabelling(tivs in proptest::collection::vec(0.1f64..100.0, 1..6)) {
            let r = ActorRegistry::builtin();
            let names = ["Russia", "France", "United States", "China", "Germany", "Israel"];
            let ind = r.resolve("India").unwrap();
            let mut l = Ledger::empty(Arc::new(r.clone()), Coverage::Dyadic);
            let mut l2 = Ledger::empty(Arc::new(r.clone()), Coverage::Dyadic);
            for (k, t) in tivs.iter().enumerate() {
                l.push(r.resolve(names[k]).unwrap(), ind, 2000, *t, NO_DEAL);
                // The same flows with the suppliers relabelled (reversed names).
                l2.push(r.resolve(names[5 - k]).unwrap(), ind, 2000, *t, NO_DEAL);
            }
            let h = supplier_hhi(&l, ind, Period::year(2000)).unwrap().unwrap();
            let n = tivs.len() as f64;
            prop_assert!(h >= 1.0 / n - 1e-12 && h <= 1.0 + 1e-12);
            let h2 = supplier_hhi(&l2, ind, Period::year(2000)).unwrap().unwrap();
            prop_assert!((h - h2).abs() < 1e-12);
            let d = supplier_dependence(&l, ind, None, Period::year(2000)).unwrap().unwrap();
            let d2 = supplier_dependence(&l2, ind, None, Period::year(2000)).unwrap().unwrap();
            prop_assert!((d.share - d2.share).abs() < 1e-12);
        }
    }
}
