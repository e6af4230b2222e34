//! The military-expenditure, alliance, ideal-point and GDP readers and the dependence, alignment
//! and triangle metrics against the project's data folder, checked against the figures of
//! `sipri_milex/README.md`, `alliances/README.md`, `un_ideal_points/README.md` and `gdp/README.md`.
//!
//! Needs the data: `POWERBALANCE_DATA=/path/to/data cargo test -p powerbalance-core --test relations_data`
//! (the folder that holds `sipri_milex/`, `alliances/`, `un_ideal_points/`, `gdp/`, `cow_nmc/`,
//! `sipri/`). Without it these tests fail; they never pass silently.

mod common;

use common::data;
use powerbalance_core::capabilities::read_nmc;
use powerbalance_core::gdp::{maddison_rank, read_maddison, read_sdp_gdp, EconMeasure};
use powerbalance_core::metrics::alignment::{ideal_point_distance, s_score_dyad, s_scores, Distance};
use powerbalance_core::metrics::dependence::{
    annual, change_points, client_dependence, dependence_asymmetry, net_exporter, peak, supplier_dependence,
    supplier_dependence_table, ChangePointOptions,
};
use powerbalance_core::metrics::triangle::{classify, triangle_series, Thresholds};
use powerbalance_core::milex::{milex_rank, read_milex, MilexFlag, MilexSeries};
use powerbalance_core::relations::{
    read_alliances, read_ideal_points, AllianceSource, AllianceType, IdealPointEstimate,
};
use powerbalance_core::{sipri, ActorRegistry, Period};
use std::collections::HashSet;
use std::hash::Hash;

const USA: u16 = 2;
const RUS: u16 = 365;
const CHN: u16 = 710;

/// A file's figures as its README gives them: rows, the years covered, distinct states or countries.
fn figures<T: Eq + Hash>(rows: usize, coverage: Period, units: &[T]) -> (usize, (i32, i32), usize) {
    (rows, (coverage.start, coverage.end), units.iter().collect::<HashSet<_>>().len())
}

fn near(got: f64, want: f64, tol: f64, what: &str) {
    assert!((got - want).abs() <= tol, "{what}: got {got}, want {want} (tolerance {tol})");
}

#[test]
fn sipri_milex_readme_figures() {
    let m = read_milex(&data("sipri_milex/sipri_milex_1949_2024_long.csv")).unwrap();
    assert_eq!(figures(m.len(), m.coverage(), &m.country), (13_148, (1949, 2024), 173));
    let flags = &m.flags[0];
    let count = |f: MilexFlag| flags.iter().filter(|&&x| x == f).count();
    assert_eq!(
        [
            count(MilexFlag::Reported),
            count(MilexFlag::Estimate),
            count(MilexFlag::Uncertain),
            count(MilexFlag::Unavailable),
            count(MilexFlag::NotIndependent)
        ],
        [6_356, 1_814, 156, 4_655, 167]
    );
    assert!(m.conflicts.is_empty(), "ccode-years with values in two rows: {:?}", m.conflicts);
    println!("SIPRI milex: {} rows, {} placeholder zeros read as missing", m.len(), m.placeholder_zeros.len());
    for (code, name, c, cur, sh) in [
        (USA, "USA", 968_381.6, 997_309.0, 0.0342),
        (CHN, "CHN", 317_561.0, 313_658.3, 0.0171),
        (RUS, "RUS", 150_534.0, 148_967.3, 0.0705),
    ] {
        near(m.value(code, 2024, MilexSeries::Constant).unwrap(), c, 0.06, name);
        near(m.value(code, 2024, MilexSeries::Current).unwrap(), cur, 0.06, name);
        near(m.value(code, 2024, MilexSeries::ShareGdp).unwrap(), sh, 5e-5, name);
    }
    assert_eq!(m.flag(USA, 2024, MilexSeries::Constant), Some(MilexFlag::Reported));
    assert_eq!(m.flag(CHN, 2024, MilexSeries::Constant), Some(MilexFlag::Estimate));
    let r = milex_rank(&m, 2024, MilexSeries::Constant).unwrap();
    let top: Vec<String> = r.strings("country").unwrap().into_iter().take(6).map(|x| x.unwrap()).collect();
    assert_eq!(top, ["United States of America", "China", "Russia", "Germany", "India", "Saudi Arabia"]);
    let v = r.f64s("value").unwrap();
    near(v[3].unwrap(), 86_301.0, 1.0, "Germany");
    near(v[4].unwrap(), 83_623.0, 1.0, "India");
    near(v[5].unwrap(), 78_954.0, 1.0, "Saudi Arabia");
    let ratio = |s| m.value(CHN, 2024, s).unwrap() / m.value(USA, 2024, s).unwrap();
    near(ratio(MilexSeries::Constant), 0.328, 5e-4, "CHN/USA constant");
    near(ratio(MilexSeries::Current), 0.315, 5e-4, "CHN/USA current");
    // Placeholder zeros: Russia 1987-1990 and 1992 current US$; the USSR row gives 1987-1990.
    assert_eq!(m.value(RUS, 1992, MilexSeries::Current), None);
    assert!(m.value(RUS, 1988, MilexSeries::Current).unwrap() > 200_000.0);
    assert_eq!(m.value(731, 2000, MilexSeries::Current), None, "North Korea's zeros are placeholders");
    assert_eq!(m.value(94, 2000, MilexSeries::Current), Some(0.0), "Costa Rica spends nothing");
    // China starts in 1989 in constant US$.
    assert_eq!(m.value(CHN, 1988, MilexSeries::Constant), None);
    assert!(m.value(CHN, 1989, MilexSeries::Constant).is_some());
}

#[test]
fn china_above_russia_from_1995_in_sipri_constant_usd() {
    let m = read_milex(&data("sipri_milex/sipri_milex_1949_2024_long.csv")).unwrap();
    let c = m.series(CHN, MilexSeries::Constant, Some(Period { start: 1992, end: 2024 })).unwrap();
    let r = m.series(RUS, MilexSeries::Constant, Some(Period { start: 1992, end: 2024 })).unwrap();
    let mut line = String::new();
    for ((y, c), (_, r)) in c.iter().zip(&r) {
        let (c, r) = (c.unwrap(), r.unwrap());
        line.push_str(&format!("{y}: CHN {c:.0} RUS {r:.0} ({:.2}); ", c / r));
        if *y >= 1995 {
            assert!(c > r, "{y}: China {c} not above Russia {r}");
        } else {
            assert!(r > c, "{y}: Russia {r} should be ahead of China {c}");
        }
    }
    println!("SIPRI constant 2023 US$ m, CHN vs RUS: {line}");
    near(c[3].1.unwrap(), 26_112.0, 1.0, "China 1995");
    near(r[3].1.unwrap(), 25_863.0, 1.0, "Russia 1995");
    // Current US$: China ahead in 1993, Russia 1994-1997, China from 1998.
    for y in 1993..=2024 {
        let (c, r) = (m.value(CHN, y, MilexSeries::Current).unwrap(), m.value(RUS, y, MilexSeries::Current).unwrap());
        assert_eq!(c > r, y == 1993 || y >= 1998, "{y}: current CHN {c} RUS {r}");
    }
}

#[test]
fn alliance_files_readme_figures() {
    let cow = read_alliances(&data("alliances/cow_alliance_v4.1_dyad_year.csv")).unwrap();
    assert_eq!((cow.source, cow.directed, cow.len()), (AllianceSource::Cow, false, 60_392));
    assert_eq!(cow.coverage(), Period { start: 1816, end: 2012 });
    for b in [RUS, CHN] {
        let years: Vec<i32> = (1816..=2012).filter(|&y| !cow.types(USA, b, y).unwrap().is_empty()).collect();
        assert_eq!(years, vec![1962, 1963, 1964], "USA-{b}");
        for y in years {
            let t = cow.types(b, USA, y).unwrap();
            assert!(t.contains(AllianceType::Neutrality) && t.level() == 2);
        }
    }
    let rc: Vec<i32> = (1816..=2012).filter(|&y| !cow.types(RUS, CHN, y).unwrap().is_empty()).collect();
    let def = rc.iter().filter(|&&y| cow.types(CHN, RUS, y).unwrap().contains(AllianceType::Defense)).count();
    assert_eq!((rc.len(), rc[0], *rc.last().unwrap(), def), (66, 1896, 2012, 41));
    assert!(cow.types(USA, RUS, 2013).is_err(), "no value outside 1816-2012");

    let atop = read_alliances(&data("alliances/atop_v5.1_directed_dyad_year.csv")).unwrap();
    assert_eq!((atop.source, atop.directed, atop.len()), (AllianceSource::Atop, true, 273_296));
    assert_eq!(atop.coverage(), Period { start: 1815, end: 2018 });
    let mut differ = 0;
    let mut pairs = 0;
    for i in 0..atop.len() {
        let (a, b, y) = (atop.ccode1[i], atop.ccode2[i], atop.year[i]);
        if a < b {
            pairs += 1;
            if atop.types(a, b, y).unwrap().contains(AllianceType::Defense)
                != atop.types(b, a, y).unwrap().contains(AllianceType::Defense)
            {
                differ += 1;
            }
        }
    }
    assert_eq!((pairs, differ), (136_648, 492));
    for (a, b, n, first) in [(USA, RUS, 51, 1942), (USA, CHN, 17, 1942), (RUS, CHN, 76, 1896)] {
        let ys: Vec<i32> = (1815..=2018)
            .filter(|&y| !atop.types(a, b, y).unwrap().is_empty() || !atop.types(b, a, y).unwrap().is_empty())
            .collect();
        assert_eq!((ys.len(), ys[0], *ys.last().unwrap()), (n, first, 2018), "ATOP {a}-{b}");
    }
    println!("COW alliances: {} dyad-years 1816-2012; ATOP: {} directed dyad-years 1815-2018", cow.len(), atop.len());
}

#[test]
fn ideal_points_readme_figures_and_triangle() {
    let ip = read_ideal_points(&data("un_ideal_points/IdealpointsJuly2025.csv")).unwrap();
    assert_eq!(figures(ip.len(), ip.coverage(), &ip.ccode), (11_440, (1946, 2024), 199));
    let missing: Vec<usize> = ip.estimates.iter().map(|v| v.iter().filter(|x| x.is_none()).count()).collect();
    assert_eq!(missing, vec![19, 208, 202]);
    let fp = IdealPointEstimate::FinalPassage;
    for (y, u, c, r) in [
        (1990, 2.959, -0.149, -0.104),
        (2000, 2.557, -0.719, 0.186),
        (2016, 2.442, -0.484, 0.198),
        (2022, 2.146, -1.351, -0.809),
        (2024, 2.206, -0.854, -0.598),
    ] {
        near(ip.value(USA, y, fp).unwrap(), u, 5e-4, "USA");
        near(ip.value(CHN, y, fp).unwrap(), c, 5e-4, "CHN");
        near(ip.value(RUS, y, fp).unwrap(), r, 5e-4, "RUS");
    }
    assert_eq!(ip.value(CHN, 1970, fp), None, "the PRC takes the seat in 1971");
    assert!(ip.value(CHN, 1971, fp).is_some());
    let d = ideal_point_distance(&ip, CHN, RUS, fp, Some(Period { start: 1971, end: 2024 })).unwrap();
    assert_eq!(d.num_rows(), 54);

    // The China-Russia-USA triangle from ideal points: score = −distance, positive when the two
    // are within one unit of each other.
    let t = Thresholds::single(-1.0).unwrap();
    let years: Vec<i32> = vec![1975, 1985, 1990, 1995, 2000, 2010, 2016, 2022, 2024];
    let scores: Vec<(i32, [Option<f64>; 3])> = years
        .iter()
        .map(|&y| {
            let s = |a, b| ip.distance(a, b, y, fp).map(|d| -d);
            (y, [s(CHN, RUS), s(RUS, USA), s(USA, CHN)])
        })
        .collect();
    let tab = triangle_series(["China", "Russia", "USA"], &scores, t).unwrap();
    let kinds = tab.strings("type").unwrap();
    let actor = tab.strings("actor").unwrap();
    for (k, (y, s)) in scores.iter().enumerate() {
        println!(
            "UN ideal points {y}: CHN-RUS {:.3}, RUS-USA {:.3}, USA-CHN {:.3} -> {} {}",
            -s[0].unwrap(),
            -s[1].unwrap(),
            -s[2].unwrap(),
            kinds[k].as_deref().unwrap(),
            actor[k].as_deref().unwrap_or("")
        );
    }
    let x = classify(["China", "Russia", "USA"], scores[2].1.map(|v| v.unwrap()), t).unwrap();
    assert_eq!(x.kind.name(), "stable marriage");
    assert_eq!(x.kind.actor(), Some("USA"), "1990: the USA is the pariah");
    assert_eq!(x.balanced, Some(true));
    // Since 2000 China and Russia vote within one unit of each other and far from the USA: a
    // stable marriage with the USA as pariah. Before 1990 (and in 1995) the three are apart: unit veto.
    for k in 0..years.len() {
        let want =
            if years[k] == 1990 || years[k] >= 2000 { ("stable marriage", Some("USA")) } else { ("unit veto", None) };
        assert_eq!((kinds[k].as_deref().unwrap(), actor[k].as_deref()), want, "{}", years[k]);
    }
}

#[test]
fn alliance_portfolio_s_scores() {
    let cow = read_alliances(&data("alliances/cow_alliance_v4.1_dyad_year.csv")).unwrap();
    let atop = read_alliances(&data("alliances/atop_v5.1_directed_dyad_year.csv")).unwrap();
    let nmc = read_nmc(&data("cow_nmc/NMC-60-abridged.csv")).unwrap();
    let t = Thresholds::single(0.9).unwrap();
    for y in [1950, 1962, 1970, 1990, 2000, 2012] {
        for (name, al) in [("COW", &cow), ("ATOP", &atop)] {
            let s = |a, b| s_score_dyad(al, &nmc, a, b, y, Distance::Absolute).unwrap().unwrap();
            let (cr, ru, uc) = (s(CHN, RUS), s(RUS, USA), s(USA, CHN));
            for v in [cr, ru, uc] {
                assert!((-1.0..=1.0).contains(&v.0) && (-1.0..=1.0).contains(&v.1.unwrap()));
            }
            let tri = classify(["China", "Russia", "USA"], [cr.1.unwrap(), ru.1.unwrap(), uc.1.unwrap()], t).unwrap();
            println!(
                "S {name} {y} (unweighted / CINC-weighted): CHN-RUS {:.3}/{:.3}, RUS-USA {:.3}/{:.3}, USA-CHN {:.3}/{:.3}; weighted triangle at 0.9: {} {}",
                cr.0, cr.1.unwrap(), ru.0, ru.1.unwrap(), uc.0, uc.1.unwrap(), tri.kind.name(), tri.kind.actor().unwrap_or("")
            );
        }
    }
    // 1950: the Sino-Soviet defence pact; the USA's allies (NATO, Rio) are not China's or Russia's.
    let (u, _) = s_score_dyad(&cow, &nmc, CHN, RUS, 1950, Distance::Absolute).unwrap().unwrap();
    let (v, _) = s_score_dyad(&cow, &nmc, USA, CHN, 1950, Distance::Absolute).unwrap().unwrap();
    assert!(u > v);
    let all = s_scores(&cow, &nmc, 2000, None, Distance::Absolute).unwrap();
    let n = nmc.states_in(2000).len();
    assert_eq!(all.num_rows(), n * (n - 1) / 2);
}

#[test]
fn gdp_readme_figures() {
    let m = read_maddison(&data("gdp/maddison_mpd2023.csv")).unwrap();
    assert_eq!(figures(m.len(), m.coverage(), &m.iso3), (23_280, (1, 2022), 169));
    let reg = ActorRegistry::builtin();
    for (y, code, want) in [
        (2022, USA, 19_493.0),
        (2022, CHN, 26_966.0),
        (2022, RUS, 3_731.0),
        (2000, USA, 12_947.0),
        (2000, CHN, 5_953.0),
        (2000, RUS, 1_547.0),
    ] {
        let g = m.value_cow(reg, code, y, EconMeasure::Gdp).unwrap().unwrap() / 1e9;
        println!("Maddison GDP {y} ccode {code}: {g:.0} bn 2011 int'l $");
        near(g, want, 0.6, &format!("Maddison GDP {y} {code}"));
    }
    // Through COW code 365 the Soviet Union is SUN through 1991, Russia after.
    let sun = m.value("SUN", 1991, EconMeasure::Gdp).unwrap().unwrap();
    assert_eq!(m.value_cow(reg, RUS, 1991, EconMeasure::Gdp).unwrap(), Some(sun));
    let r = maddison_rank(&m, 2022, EconMeasure::Gdp).unwrap();
    assert!(!r.strings("iso3").unwrap().contains(&Some("SUN".into())), "no double counting of the USSR in 2022");
    assert!(m.series_cow(USA, EconMeasure::Gdp, Period { start: 2000, end: 2023 }).is_err());

    let s = read_sdp_gdp(&data("gdp/cow_sdp_gdp_log.csv")).unwrap();
    assert_eq!(figures(s.len(), s.coverage(), &s.ccode), (27_753, (1800, 2016), 227));
    let empty = (0..s.len())
        .filter(|&i| s.gdp[i].is_none() && s.pop[i].is_none() && s.sdp[i].is_none() && s.gdppc[i].is_none())
        .count();
    assert_eq!(empty, 432);
    for (code, want) in [(USA, 14_585.0), (CHN, 6_303.0), (RUS, 1_536.0)] {
        let g = s.value(code, 2000, EconMeasure::Gdp).unwrap() / 1e9;
        near(g, want, 0.5 + want * 1e-3, "AFM GDP 2000");
    }
    for code in [USA, CHN, RUS] {
        assert!(s
            .series(code, EconMeasure::Gdp, Some(Period { start: 1800, end: 2015 }))
            .unwrap()
            .iter()
            .all(|x| x.1.is_some()));
    }
}

#[test]
fn arms_dependence_from_the_2026_register() {
    let l = sipri::read_sipri(&data("sipri/register_newformat_2026/trade_register_1995-2024.csv")).unwrap();
    let r = l.registry.clone();
    let [rus, chn, ind, usa] = ["Russia", "China", "India", "United States"].map(|name| r.resolve(name).unwrap());
    for p in [Period::new(2000, 2004).unwrap(), Period::new(2010, 2014).unwrap(), Period::new(2020, 2024).unwrap()] {
        let d = supplier_dependence(&l, chn, Some(rus), p).unwrap().unwrap();
        let i = supplier_dependence(&l, ind, None, p).unwrap().unwrap();
        let c = client_dependence(&l, rus, Some(chn), p).unwrap().unwrap();
        let a = dependence_asymmetry(&l, rus, chn, p).unwrap();
        println!(
            "{p}: China's imports from Russia {:.1}% (HHI of suppliers {:.3}); India's top supplier {} {:.1}%; Russia's exports to China {:.1}%; asymmetry Russia->China {:+.3}",
            100.0 * d.share, d.hhi, r.name(i.partner), 100.0 * i.share, 100.0 * c.share, a.asymmetry.unwrap()
        );
        assert!((0.0..=1.0).contains(&d.share) && d.hhi <= 1.0);
    }
    let t = supplier_dependence_table(&l, chn, Some(rus), &annual(Period::new(1995, 2024).unwrap())).unwrap();
    assert_eq!(t.num_rows(), 30);
    let ne = net_exporter(&l, chn, Some(Period::new(1995, 2024).unwrap())).unwrap();
    let status = ne.strings("status").unwrap();
    let first_exporter = (0..30).find(|&k| status[k].as_deref() == Some("exporter")).map(|k| 1995 + k as i32);
    println!(
        "China a net exporter (TIV) first in {first_exporter:?}; years as net exporter: {}",
        status.iter().filter(|s| s.as_deref() == Some("exporter")).count()
    );
    let exports = |code| -> Vec<(i32, Option<f64>)> {
        let ex = net_exporter(&l, code, Some(Period::new(1995, 2024).unwrap())).unwrap();
        (1995..=2024).zip(ex.f64s("exports").unwrap()).collect()
    };
    let series = exports(usa);
    let (py, pv) = peak(&series).unwrap();
    let segs = change_points(&series, ChangePointOptions::default()).unwrap();
    println!(
        "US exports peak {py} ({pv:.0} TIV m); change points (binary segmentation, BIC): {:?}",
        segs.iter().map(|s| (s.start, s.end, s.mean.round())).collect::<Vec<_>>()
    );
    let rs = exports(rus);
    let segs = change_points(&rs, ChangePointOptions::default()).unwrap();
    println!(
        "Russia's exports peak {:?}; segments {:?}",
        peak(&rs).unwrap(),
        segs.iter().map(|s| (s.start, s.end, s.mean.round())).collect::<Vec<_>>()
    );
}
