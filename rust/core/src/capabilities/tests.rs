use super::*;
use crate::testing::close;
use std::path::Path;

const V6: &str = "stateabb,ccode,year,milex,milper,irst,pec,tpop,upop,cinc,version
AAA,1,2000,10,20,30,40,50,60,0.30833333,2021
BBB,2,2000,30,20,10,-9,50,-9,0.2125,2021
CCC,3,2000,60,60,60,60,100,40,5.5E-01,2021
AAA,1,2001,20,20,30,40,50,60,-9,2021
CCC,3,2001,0,60,60,60,100,40,0.5,2021";

fn caps() -> Capabilities {
    parse_nmc(V6, Path::new("t.csv")).unwrap()
}

#[test]
fn reads_cow_layout() {
    let c = caps();
    assert_eq!(c.layout, NmcLayout::CowAbridged);
    assert_eq!(c.release, "6.0");
    assert_eq!(c.version_column.as_deref(), Some("2021"));
    assert_eq!(c.len(), 5);
    assert_eq!(c.coverage(), Period { start: 2000, end: 2001 });
    assert_eq!(c.value(2, 2000, Measure::Component(Component::Pec)), None);
    assert_eq!(c.value(2, 2000, Measure::Component(Component::Milex)), Some(30.0));
    assert_eq!(c.value(3, 2000, Measure::Cinc), Some(0.55));
    assert_eq!(c.value(1, 2001, Measure::Cinc), None);
    assert_eq!(c.states_in(2001), vec![1, 3]);
    assert_eq!(c.stateabb_of(3), Some("CCC"));
}

#[test]
fn reads_unversioned_layout_with_empty_fields_and_exponents() {
    let t = "stateabb,ccode,year,milex,milper,irst,pec,tpop,upop,cinc\nUSA,2,2022,,1,2,3,4.5,,4.6803671e-06\n";
    let c = parse_nmc(t, Path::new("v7.csv")).unwrap();
    assert_eq!(c.layout, NmcLayout::Unversioned);
    assert_eq!(c.release, "7.0");
    assert_eq!(c.milex[0], None);
    assert_eq!(c.upop[0], None);
    assert_eq!(c.tpop[0], Some(4.5));
    assert_eq!(c.cinc[0], Some(4.6803671e-06));
}

#[test]
fn errors_name_file_line_and_column() {
    let t = "stateabb,ccode,year,milex,milper,irst,pec,tpop,upop,cinc\nUSA,2,2016,1,2,3,4,5,6,0.1\nCHN,710,2016,1,2,x3,4,5,6,0.1\n";
    match parse_nmc(t, Path::new("bad.csv")).unwrap_err() {
        Error::Parse { line, column, column_name, path, .. } => {
            assert_eq!((line, column, column_name.as_deref()), (3, 6, Some("irst")));
            assert_eq!(path, Path::new("bad.csv"));
        }
        e => panic!("{e:?}"),
    }
    let neg = "ccode,year,milex,milper,irst,pec,tpop,upop,cinc\n2,2016,-5,2,3,4,5,6,0.1\n";
    assert!(matches!(parse_nmc(neg, Path::new("n.csv")), Err(Error::Parse { column: 3, .. })));
    let short = "ccode,year,milex,milper,irst,pec,tpop,upop,cinc\n2,2016,5,2,3\n";
    assert!(matches!(parse_nmc(short, Path::new("s.csv")), Err(Error::Parse { line: 2, column: 6, .. })));
    let dup = "ccode,year,milex,milper,irst,pec,tpop,upop,cinc\n2,2016,5,2,3,4,5,6,0.1\n2,2016,5,2,3,4,5,6,0.1\n";
    let e = parse_nmc(dup, Path::new("d.csv")).unwrap_err();
    assert!(matches!(e, Error::Parse { line: 3, .. }), "{e}");
    let year = "ccode,year,milex,milper,irst,pec,tpop,upop,cinc\n2,20x6,5,2,3,4,5,6,0.1\n";
    assert!(matches!(parse_nmc(year, Path::new("y.csv")), Err(Error::Parse { line: 2, column: 2, .. })));
    let other = "ccode,year,gdp\n2,2016,5\n";
    assert!(matches!(parse_nmc(other, Path::new("o.csv")), Err(Error::Format { line: 1, .. })));
    let missing = "ccode,year,milex\n2,2016,5\n";
    assert!(matches!(parse_nmc(missing, Path::new("m.csv")), Err(Error::Format { .. })));
    assert!(matches!(parse_nmc("", Path::new("e.csv")), Err(Error::Empty { .. })));
    assert!(matches!(parse_nmc("\n\n", Path::new("e.csv")), Err(Error::Empty { .. })));
    let header_only = "ccode,year,milex,milper,irst,pec,tpop,upop,cinc\n";
    assert!(matches!(parse_nmc(header_only, Path::new("h.csv")), Err(Error::Format { .. })));
    let versions = "ccode,year,milex,milper,irst,pec,tpop,upop,cinc,version\n2,2015,1,1,1,1,1,1,1,2021\n2,2016,1,1,1,1,1,1,1,2025\n";
    assert!(matches!(parse_nmc(versions, Path::new("v.csv")), Err(Error::Parse { line: 3, column: 10, .. })));
    assert!(matches!(read_nmc(Path::new("/nonexistent/nmc.csv")), Err(Error::Io { .. })));
}

#[test]
fn cinc_hand_checked() {
    // Totals 2000: milex 100, milper 100, irst 100, pec 100 (B missing), tpop 200, upop 100 (B missing).
    let c = caps();
    let r = cinc_rows(&c, 2000, None, MissingRule::Available).unwrap();
    close(r[0].cinc.unwrap(), (0.1 + 0.2 + 0.3 + 0.4 + 0.25 + 0.6) / 6.0);
    close(r[1].cinc.unwrap(), (0.3 + 0.2 + 0.1 + 0.25) / 4.0);
    assert_eq!(r[1].n_components, 4);
    assert_eq!(r[1].shares[Component::Pec.index()], None);
    close(r[2].cinc.unwrap(), (0.6 + 0.6 + 0.6 + 0.6 + 0.5 + 0.4) / 6.0);
    let z = cinc_rows(&c, 2000, None, MissingRule::Zero).unwrap();
    close(z[1].cinc.unwrap(), 0.85 / 6.0);
    // Subset {A, C}: totals milex 70, milper 80, irst 90, pec 100, tpop 150, upop 100.
    let s = cinc_rows(&c, 2000, Some(&[3, 1]), MissingRule::Available).unwrap();
    assert_eq!(s[0].ccode, 3);
    close(s[1].cinc.unwrap(), (10.0 / 70.0 + 0.25 + 1.0 / 3.0 + 0.4 + 1.0 / 3.0 + 0.6) / 6.0);
    close(s[0].cinc.unwrap() + s[1].cinc.unwrap(), 1.0);
    let t = cinc(&c, 2000, None, MissingRule::Available).unwrap();
    assert_eq!(t.num_rows(), 3);
    assert_eq!(t.i64s("n_components").unwrap(), vec![Some(6), Some(4), Some(6)]);
    let published = t.f64s("cinc_published").unwrap();
    let recomputed = t.f64s("cinc_recomputed").unwrap();
    for (p, r) in published.iter().zip(&recomputed) {
        assert!((p.unwrap() - r.unwrap()).abs() < 1e-8);
    }
    assert!(t.column_names().contains(&"pec_share".to_string()));
}

#[test]
fn cinc_zero_total_component_gives_no_share() {
    // 2001: C's milex is 0 and A's is 20; within {C} alone the milex total is 0.
    let c = caps();
    let r = cinc_rows(&c, 2001, Some(&[3]), MissingRule::Available).unwrap();
    assert_eq!(r[0].shares[0], None);
    assert_eq!(r[0].n_components, 5);
    close(r[0].cinc.unwrap(), 1.0);
}

#[test]
fn cinc_bad_arguments() {
    let c = caps();
    assert!(matches!(cinc(&c, 1990, None, MissingRule::Available), Err(Error::Coverage { .. })));
    assert!(matches!(cinc(&c, 2001, Some(&[2]), MissingRule::Available), Err(Error::InvalidArgument(_))));
    assert!(matches!(cinc(&c, 2000, Some(&[1, 1]), MissingRule::Available), Err(Error::InvalidArgument(_))));
    assert!(matches!(cinc(&c, 2000, Some(&[]), MissingRule::Available), Err(Error::InvalidArgument(_))));
}

#[test]
fn shares_within_subset() {
    let c = caps();
    let t = shares(&c, 2000, &[1, 2], Measure::Component(Component::Milex)).unwrap();
    assert_eq!(t.f64s("share_of_group").unwrap(), vec![Some(0.25), Some(0.75)]);
    let t = shares(&c, 2000, &[1, 2], Measure::Component(Component::Pec)).unwrap();
    assert_eq!(t.f64s("share_of_group").unwrap(), vec![Some(1.0), None]);
    assert!(shares(&c, 2001, &[3], Measure::Component(Component::Milex)).is_err());
}

#[test]
fn ratio_over_years() {
    let c = caps();
    let t = capability_ratio(&c, 1, 3, Measure::Component(Component::Milex), None).unwrap();
    assert_eq!(t.i64s("year").unwrap(), vec![Some(2000), Some(2001)]);
    assert_eq!(t.f64s("ratio").unwrap(), vec![Some(10.0 / 60.0), None]);
    let t = capability_ratio(&c, 3, 1, Measure::Component(Component::Milex), Some(Period::year(2001))).unwrap();
    assert_eq!(t.f64s("ratio").unwrap(), vec![Some(0.0)]);
    assert!(capability_ratio(&c, 1, 3, Measure::Cinc, Some(Period { start: 1999, end: 2001 })).is_err());
}

#[test]
fn ranking() {
    let c = caps();
    let t = rank(&c, 2000, Measure::Component(Component::Milex)).unwrap();
    assert_eq!(t.i64s("ccode").unwrap(), vec![Some(3), Some(2), Some(1)]);
    assert_eq!(t.i64s("rank").unwrap(), vec![Some(1), Some(2), Some(3)]);
    let t = rank(&c, 2000, Measure::parse("PEC").unwrap()).unwrap();
    assert_eq!(t.i64s("ccode").unwrap(), vec![Some(3), Some(1), Some(2)]);
    assert_eq!(t.i64s("rank").unwrap(), vec![Some(1), Some(2), None]);
    let t = rank(&c, 2000, Measure::Component(Component::Milper)).unwrap();
    assert_eq!(t.i64s("ccode").unwrap(), vec![Some(3), Some(1), Some(2)], "tie 20/20 broken by ccode");
    assert!(Measure::parse("gdp").is_err());
}

#[test]
fn actors_by_code_and_year() {
    let reg = ActorRegistry::builtin();
    let name = cow_actor_name;
    assert_eq!(name(365, 1991).as_deref(), Some("Soviet Union"));
    assert_eq!(name(365, 1992).as_deref(), Some("Russia"));
    assert_eq!(name(345, 1980).as_deref(), Some("Yugoslavia"));
    assert_eq!(name(345, 2000).as_deref(), Some("Serbia"));
    assert_eq!(name(2, 1816).as_deref(), Some("United States"));
    assert_eq!(name(710, 2016).as_deref(), Some("China"));
    assert_eq!(name(9999, 2016), None);
    let c = caps();
    assert_eq!(c.resolve_state(reg, "CCC").unwrap(), 3);
    assert_eq!(c.resolve_state(reg, "710").unwrap(), 710);
    assert_eq!(c.resolve_state(reg, "China").unwrap(), 710);
    assert!(matches!(c.resolve_state(reg, "Chna"), Err(Error::UnknownActor { .. })));
}

#[test]
fn spells_read_and_query() {
    let t = "stateabb,ccode,statenme,styear,stmonth,stday,endyear,endmonth,endday,version
RUS,365,Russia,1816,1,1,2016,12,31,2016
CHN,710,China,1860,10,25,2016,12,31,2016
GMY,255,Germany,1816,1,1,1945,5,8,2016
GMY,255,Germany,1990,10,3,2016,12,31,2016";
    let s = parse_spells(t, Path::new("s.csv"), SpellKind::States).unwrap();
    assert_eq!(s.spells.len(), 4);
    assert_eq!(s.n_states(), 3);
    assert!(s.is_member(710, 1860));
    assert!(!s.is_member(710, 1859));
    assert!(!s.is_member(255, 1950));
    assert_eq!(s.members(1950), vec![365, 710]);
    assert_eq!(s.name(710), Some("China"));
    assert_eq!(s.ccode_of("gmy"), Some(255));
    assert_eq!(s.version.as_deref(), Some("2016"));
    let bad = "ccode,styear,stmonth,stday,endyear,endmonth,endday\n2,1816,13,1,2016,12,31\n";
    assert!(matches!(
        parse_spells(bad, Path::new("b.csv"), SpellKind::Majors),
        Err(Error::Parse { line: 2, column: 3, .. })
    ));
    let backwards = "ccode,styear,stmonth,stday,endyear,endmonth,endday\n2,1816,1,1,1815,12,31\n";
    assert!(parse_spells(backwards, Path::new("b.csv"), SpellKind::Majors).is_err());
    assert!(matches!(
        parse_spells("ccode,year\n2,1816\n", Path::new("b.csv"), SpellKind::Majors),
        Err(Error::Format { .. })
    ));
}
