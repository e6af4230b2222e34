//! The COW readers and capability metrics against the project's data folder, checked against the
//! figures of `cow_nmc/README.md` and `cow_states/README.md` and the known values.
//!
//! Needs the data: `POWERBALANCE_DATA=/path/to/data cargo test -p powerbalance-core --test capabilities_data`
//! (the folder that holds `cow_nmc/` and `cow_states/`). Without it these tests fail; they never
//! pass silently.

mod common;

use common::data;
use powerbalance_core::capabilities::{
    self, cinc_rows, read_majors, read_nmc, read_states, Capabilities, Component, Measure, MissingRule, NmcLayout,
};
use powerbalance_core::metrics::{concentration, transition};
use powerbalance_core::{ActorRegistry, Period};

const USA: u16 = 2;
const RUS: u16 = 365;
const CHN: u16 = 710;

fn v6() -> Capabilities {
    read_nmc(&data("cow_nmc/NMC-60-abridged.csv")).unwrap()
}

fn v7() -> Capabilities {
    read_nmc(&data("cow_nmc/NMC-v7.0-abridged.csv")).unwrap()
}

fn missing(c: &Capabilities, comp: Component) -> usize {
    c.component(comp).iter().filter(|v| v.is_none()).count()
}

#[test]
fn nmc_files_read_with_their_layouts() {
    let a = v6();
    assert_eq!(
        (a.layout, a.release.as_str(), a.version_column.as_deref()),
        (NmcLayout::CowAbridged, "6.0", Some("2021"))
    );
    assert_eq!(a.len(), 15_951);
    assert_eq!(a.coverage(), Period { start: 1816, end: 2016 });
    let counts: Vec<usize> = Component::ALL.iter().map(|c| missing(&a, *c)).collect();
    assert_eq!(counts, vec![2_217, 426, 26, 448, 0, 68]);
    let b = v7();
    assert_eq!((b.layout, b.release.as_str()), (NmcLayout::Unversioned, "7.0"));
    assert_eq!(b.len(), 17_121);
    assert_eq!(b.coverage(), Period { start: 1816, end: 2022 });
    let counts: Vec<usize> = Component::ALL.iter().map(|c| missing(&b, *c)).collect();
    assert_eq!(counts, vec![2_360, 456, 26, 448, 0, 68]);
    for c in [&a, &b] {
        let mut codes = c.ccode.clone();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), 217);
        // Morocco 1912: the one non-integer component.
        assert_eq!(c.value(600, 1912, Measure::Component(Component::Tpop)), Some(4517.6));
        assert_eq!(c.value(USA, 1816, Measure::Cinc), Some(0.039697491));
    }
    println!("NMC 6.0: {} rows; NMC 7.0: {} rows", a.len(), b.len());
}

#[test]
fn cinc_2016_published_and_recomputed() {
    let c = v6();
    let rows = cinc_rows(&c, 2016, None, MissingRule::Available).unwrap();
    for (code, name, want) in [(USA, "USA", 0.1331), (CHN, "CHN", 0.2306), (RUS, "RUS", 0.0365)] {
        let published = c.value(code, 2016, Measure::Cinc).unwrap();
        let r = rows.iter().find(|r| r.ccode == code).unwrap();
        let recomputed = r.cinc.unwrap();
        println!(
            "NMC 6.0 CINC 2016 {name}: published {published:.8}, recomputed {recomputed:.8}, diff {:.2e}",
            recomputed - published
        );
        assert!((published - want).abs() < 5e-5, "{name} published {published} vs {want}");
        assert!((recomputed - published).abs() < 1e-6, "{name}: recomputed {recomputed} vs published {published}");
    }
    // Over every state-year of both files, COW's published CINC is the recomputed one.
    for c in [v6(), v7()] {
        let mut worst: (f64, u16, i32) = (0.0, 0, 0);
        for y in c.coverage().years() {
            for r in cinc_rows(&c, y, None, MissingRule::Available).unwrap() {
                if let (Some(x), Some(p)) = (r.cinc, c.value(r.ccode, y, Measure::Cinc)) {
                    let d = (x - p).abs();
                    if d > worst.0 {
                        worst = (d, r.ccode, y);
                    }
                }
            }
        }
        println!(
            "NMC {}: largest |recomputed - published| CINC {:.2e} (ccode {} in {})",
            c.release, worst.0, worst.1, worst.2
        );
        assert!(worst.0 < 1e-6);
    }
    let t = capabilities::cinc(&c, 2016, None, MissingRule::Available).unwrap();
    assert_eq!(t.num_rows(), c.states_in(2016).len());
}

#[test]
fn cinc_2016_v7_and_subset_shares() {
    let c = v7();
    let want = [(USA, 0.133254), (CHN, 0.230825), (RUS, 0.036467)];
    for (code, w) in want {
        let p = c.value(code, 2016, Measure::Cinc).unwrap();
        assert!((p - w).abs() < 1e-6, "{code}: {p}");
    }
    let c = v6();
    let t = capabilities::shares(&c, 2016, &[USA, CHN, RUS], Measure::Cinc).unwrap();
    let s: Vec<f64> = t.f64s("share_of_group").unwrap().into_iter().map(Option::unwrap).collect();
    println!("CINC shares within USA+CHN+RUS, 2016 (v6): USA {:.4}, CHN {:.4}, RUS {:.4}", s[0], s[1], s[2]);
    assert!((s.iter().sum::<f64>() - 1.0).abs() < 1e-12);
    assert_eq!(
        t.strings("actor").unwrap(),
        vec![Some("United States".into()), Some("China".into()), Some("Russia".into())]
    );
    let sub = cinc_rows(&c, 2016, Some(&[USA, CHN, RUS]), MissingRule::Available).unwrap();
    println!(
        "CINC recomputed within USA+CHN+RUS, 2016 (v6): USA {:.4}, CHN {:.4}, RUS {:.4}",
        sub[0].cinc.unwrap(),
        sub[1].cinc.unwrap(),
        sub[2].cinc.unwrap()
    );
    let pairs: Vec<(&str, f64)> = vec![("USA", s[0]), ("CHN", s[1]), ("RUS", s[2])];
    let eq = concentration::equilibrium(&pairs).unwrap();
    println!(
        "2016 three-power equilibrium: strongest {} ({:.4}), holds {}, balancers {:?}; HHI {:.4}, CON {:.4}",
        eq.strongest.0,
        eq.strongest.1,
        eq.holds,
        eq.balancers,
        concentration::hhi(&pairs).unwrap(),
        concentration::con(&pairs).unwrap()
    );
    let r = capabilities::rank(&c, 2016, Measure::Cinc).unwrap();
    let top: Vec<String> = r.strings("stateabb").unwrap().into_iter().take(5).map(Option::unwrap).collect();
    assert_eq!(top, vec!["CHN", "USA", "IND", "RUS", "JPN"]);
}

#[test]
fn china_cinc_above_usa_1995_2016() {
    let c = v6();
    let p = Period { start: 1995, end: 2016 };
    let t = capabilities::capability_ratio(&c, CHN, USA, Measure::Cinc, Some(p)).unwrap();
    let ratios = t.f64s("ratio").unwrap();
    for (y, r) in p.years().zip(&ratios) {
        assert!(r.unwrap() > 1.0, "{y}: China/USA CINC ratio {r:?}");
    }
    let chn = c.series(CHN, Measure::Cinc, None).unwrap();
    let usa = c.series(USA, Measure::Cinc, None).unwrap();
    let x = transition::crossovers(&chn, &usa).unwrap();
    let last = x.last().unwrap();
    println!(
        "last CINC crossover China/USA (v6): {} (China leads: {}); China/USA 2016 ratio {:.4}",
        last.year,
        last.leader == transition::Leader::A,
        ratios.last().unwrap().unwrap()
    );
    assert_eq!((last.year, last.leader), (1995, transition::Leader::A));
    // China is ahead from its first year in the system (1860-61, on population): a lead held
    // from the start is not a crossover; the USA takes the lead in 1862, China again in 1865.
    assert!(chn[(1860 - 1816) as usize].1.unwrap() > usa[(1860 - 1816) as usize].1.unwrap());
    assert_eq!((x[0].year, x[0].leader), (1862, transition::Leader::B));
    assert_eq!((x[1].year, x[1].leader), (1865, transition::Leader::A));
    // v7: the USA is ahead again in 2002.
    let c7 = v7();
    let x7 = transition::crossovers(
        &c7.series(CHN, Measure::Cinc, None).unwrap(),
        &c7.series(USA, Measure::Cinc, None).unwrap(),
    )
    .unwrap();
    let modern: Vec<i32> = x7.iter().filter(|x| x.year > 1990).map(|x| x.year).collect();
    println!("CINC crossovers China/USA since 1990 (v7): {modern:?}");
    assert_eq!(modern, vec![1995, 2002, 2003]);
    let w = transition::parity_windows(&chn, &usa, transition::ParityBand::default()).unwrap();
    let modern: Vec<(i32, i32)> = w.iter().filter(|w| w.end >= 1980).map(|w| (w.start, w.end)).collect();
    println!("China/USA CINC parity windows (0.8-1.25) ending 1980 or later (v6): {modern:?}");
}

#[test]
fn china_milex_above_russia_from_2002() {
    let milex = Measure::Component(Component::Milex);
    for c in [v6(), v7()] {
        let end = c.last_year();
        for y in 2002..=end {
            let (x, r) = (c.value(CHN, y, milex).unwrap(), c.value(RUS, y, milex).unwrap());
            assert!(x > r, "NMC {} {y}: China {x} vs Russia {r}", c.release);
        }
        let x = transition::crossovers(
            &c.series(CHN, milex, Some(Period { start: 1950, end })).unwrap(),
            &c.series(RUS, milex, Some(Period { start: 1950, end })).unwrap(),
        )
        .unwrap();
        assert_eq!(x.len(), 1, "{x:?}");
        assert_eq!((x[0].year, x[0].leader), (2002, transition::Leader::A));
        println!(
            "NMC {}: China milex first above Russia's in {} ({} vs {} thousand US$), ahead every year to {end}",
            c.release, x[0].year, x[0].a, x[0].b
        );
    }
    let c = v6();
    let p = transition::project_crossover(
        &c.series(CHN, milex, None).unwrap(),
        &c.series(USA, milex, None).unwrap(),
        Period { start: 2000, end: 2016 },
        1.96,
    )
    .unwrap();
    println!(
        "China/USA milex (nominal), log-linear fit 2000-2016: growth CHN {:.3} USA {:.3}; projected crossover {:?} (band {:?}..{:?})",
        p.a.growth, p.b.growth, p.year, p.earliest, p.latest
    );
}

#[test]
fn state_system_and_majors() {
    let s = read_states(&data("cow_states/states2016.csv")).unwrap();
    assert_eq!((s.spells.len(), s.n_states()), (243, 217));
    assert_eq!(s.spells.iter().map(|x| x.end).max().unwrap().year, 2016);
    assert!(s.is_member(CHN, 1860) && !s.is_member(CHN, 1859));
    assert_eq!(s.stateabb(RUS), Some("RUS"));
    let m = read_majors(&data("cow_states/majors2016.csv")).unwrap();
    assert_eq!(m.spells.len(), 14);
    assert!(m.is_member(USA, 1898) && !m.is_member(USA, 1897));
    assert!(!m.is_member(RUS, 1920) && m.is_member(RUS, 1922));
    assert_eq!(m.members(2016), vec![2, 200, 220, 255, 365, 710, 740]);
    // Every NMC state-year is a system member that year.
    let c = v6();
    for i in 0..c.len() {
        assert!(s.is_member(c.ccode[i], c.year[i]), "ccode {} {}", c.ccode[i], c.year[i]);
    }
    let reg = ActorRegistry::builtin();
    let name = |y| reg.name(capabilities::cow_actor(reg, RUS, y).unwrap()).to_string();
    assert_eq!((name(1991), name(1992)), ("Soviet Union".to_string(), "Russia".to_string()));
    println!("states2016: {} spells, {} states; majors in 2016: {:?}", s.spells.len(), s.n_states(), m.members(2016));
}
