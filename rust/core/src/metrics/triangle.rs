//! Strategic triangles (Dittmer 1981, "The Strategic Triangle: An Elementary Game-Theoretical
//! Analysis", *World Politics* 33(4): 485-515) and Heider balance (Heider 1946, "Attitudes and
//! Cognitive Organization"; Cartwright & Harary 1956).
//!
//! Three actors A, B, C and a relation score for each pair (AB, BC, CA): an S score, minus an
//! ideal-point distance, anything where higher means friendlier. Each score gets a sign from two
//! thresholds ([`Thresholds`]): `+` when `score >= positive`, `−` when `score < negative`, neutral
//! otherwise (with `negative == positive` there is no neutral band). The signs give Dittmer's type:
//!
//! | positive pairs | type | named actor |
//! |---|---|---|
//! | 3 | ménage à trois | |
//! | 2 | romantic triangle | the **pivot**: positive with both others, who are negative with each other |
//! | 1 | stable marriage | the **pariah**: negative with both partners of the positive pair |
//! | 0 | unit veto | |
//!
//! A triangle with a neutral side is unclassified. Heider balance: the triangle is balanced when
//! the product of its three signs is positive (ménage à trois and stable marriage are balanced,
//! romantic triangle and unit veto are not); undefined with a neutral side.

use crate::error::{Error, Result};
use crate::table::{Table, TableBuilder};

/// Sign thresholds of relation scores.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Thresholds {
    /// A score at or above this is positive.
    pub positive: f64,
    /// A score below this is negative. Must not exceed `positive`.
    pub negative: f64,
}

impl Thresholds {
    /// Checked constructor: both finite, `negative <= positive`.
    pub fn new(positive: f64, negative: f64) -> Result<Self> {
        if !positive.is_finite() || !negative.is_finite() || negative > positive {
            return Err(Error::invalid(format!(
                "thresholds must be finite with negative ({negative}) <= positive ({positive})"
            )));
        }
        Ok(Thresholds { positive, negative })
    }

    /// One cut: `+` at or above it, `−` below it.
    pub fn single(cut: f64) -> Result<Self> {
        Self::new(cut, cut)
    }

    /// The sign of a score: 1, −1 or 0 (neutral).
    pub fn sign(&self, score: f64) -> i8 {
        if score >= self.positive {
            1
        } else if score < self.negative {
            -1
        } else {
            0
        }
    }
}

/// Dittmer's types of strategic triangle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TriangleType {
    /// All three pairs positive.
    MenageATrois,
    /// Two positive pairs sharing the pivot; the other two are negative with each other.
    RomanticTriangle { pivot: String },
    /// One positive pair; both are negative with the pariah.
    StableMarriage { pariah: String },
    /// All three pairs negative.
    UnitVeto,
    /// Some pair is neutral (between the thresholds).
    Unclassified,
}

impl TriangleType {
    pub fn name(&self) -> &'static str {
        match self {
            TriangleType::MenageATrois => "menage a trois",
            TriangleType::RomanticTriangle { .. } => "romantic triangle",
            TriangleType::StableMarriage { .. } => "stable marriage",
            TriangleType::UnitVeto => "unit veto",
            TriangleType::Unclassified => "unclassified",
        }
    }

    /// The pivot (romantic triangle) or pariah (stable marriage).
    pub fn actor(&self) -> Option<&str> {
        match self {
            TriangleType::RomanticTriangle { pivot } => Some(pivot),
            TriangleType::StableMarriage { pariah } => Some(pariah),
            _ => None,
        }
    }
}

/// A classified triangle.
#[derive(Debug, Clone, PartialEq)]
pub struct Triangle {
    /// Signs of AB, BC, CA.
    pub signs: [i8; 3],
    pub kind: TriangleType,
    /// Heider balance: the product of the signs is positive; `None` with a neutral side.
    pub balanced: Option<bool>,
}

/// Classify three actors from their pairwise scores `[AB, BC, CA]` (Dittmer 1981; balance:
/// Heider 1946). `actors` are `[A, B, C]`; the pivot or pariah is named from them.
pub fn classify<S: AsRef<str>>(actors: [S; 3], scores: [f64; 3], t: Thresholds) -> Result<Triangle> {
    if scores.iter().any(|s| !s.is_finite()) {
        return Err(Error::invalid(format!("relation scores must be finite: {scores:?}")));
    }
    let signs = scores.map(|s| t.sign(s));
    Ok(classify_signs(actors, signs))
}

/// Classify from the signs of `[AB, BC, CA]` directly (1, −1, 0 for neutral).
pub fn classify_signs<S: AsRef<str>>(actors: [S; 3], signs: [i8; 3]) -> Triangle {
    let name = |i: usize| actors[i].as_ref().to_string();
    let signs = signs.map(|s| s.signum());
    if signs.contains(&0) {
        return Triangle { signs, kind: TriangleType::Unclassified, balanced: None };
    }
    let pos = signs.iter().filter(|&&s| s > 0).count();
    // Pair k joins actors k and (k+1)%3; the actor opposite pair k is (k+2)%3.
    let kind = match pos {
        3 => TriangleType::MenageATrois,
        0 => TriangleType::UnitVeto,
        2 => {
            let neg = signs.iter().position(|&s| s < 0).unwrap_or(0);
            TriangleType::RomanticTriangle { pivot: name((neg + 2) % 3) }
        }
        _ => {
            let p = signs.iter().position(|&s| s > 0).unwrap_or(0);
            TriangleType::StableMarriage { pariah: name((p + 2) % 3) }
        }
    };
    let balanced = Some(signs.iter().map(|&s| s as i32).product::<i32>() > 0);
    Triangle { signs, kind, balanced }
}

/// The pairwise scores of a triangle by year from the lists a door passes (`years`, and the
/// scores `ab`, `bc`, `ca` of each year), checked to have the same length.
pub fn scores(
    years: Vec<i32>, ab: Vec<Option<f64>>, bc: Vec<Option<f64>>, ca: Vec<Option<f64>>,
) -> Result<Vec<(i32, [Option<f64>; 3])>> {
    if ab.len() != years.len() || bc.len() != years.len() || ca.len() != years.len() {
        return Err(Error::invalid("years, ab, bc and ca must have the same length"));
    }
    Ok((0..years.len()).map(|i| (years[i], [ab[i], bc[i], ca[i]])).collect())
}

/// The triangle over years: one row per `(year, [AB, BC, CA])`, a `None` score giving an
/// unclassified year (Dittmer 1981; Heider 1946).
///
/// Columns: `year, ab, bc, ca` (scores), `sign_ab, sign_bc, sign_ca`, `type`, `actor` (pivot or
/// pariah), `balanced`.
pub fn triangle_series<S: AsRef<str>>(
    actors: [S; 3], scores: &[(i32, [Option<f64>; 3])], t: Thresholds,
) -> Result<Table> {
    let mut tri = vec![];
    for (_, s) in scores {
        tri.push(match (s[0], s[1], s[2]) {
            (Some(a), Some(b), Some(c)) => {
                Some(classify([actors[0].as_ref(), actors[1].as_ref(), actors[2].as_ref()], [a, b, c], t)?)
            }
            _ => None,
        });
    }
    let sign = |k: usize| tri.iter().map(|x| x.as_ref().map(|x| x.signs[k] as i64)).collect::<Vec<_>>();
    TableBuilder::new()
        .i64("year", scores.iter().map(|s| s.0 as i64).collect())
        .f64_opt("ab", scores.iter().map(|s| s.1[0]).collect())
        .f64_opt("bc", scores.iter().map(|s| s.1[1]).collect())
        .f64_opt("ca", scores.iter().map(|s| s.1[2]).collect())
        .i64_opt("sign_ab", sign(0))
        .i64_opt("sign_bc", sign(1))
        .i64_opt("sign_ca", sign(2))
        .str("type", tri.iter().map(|x| x.as_ref().map_or("unclassified", |x| x.kind.name())).collect())
        .str_opt("actor", tri.iter().map(|x| x.as_ref().and_then(|x| x.kind.actor().map(String::from))).collect())
        .str_opt(
            "balanced",
            tri.iter().map(|x| x.as_ref().and_then(|x| x.balanced).map(|b| if b { "true" } else { "false" })).collect(),
        )
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const ACT: [&str; 3] = ["China", "Russia", "USA"];

    #[test]
    fn dittmer_types_hand_checked() {
        let t = Thresholds::single(0.0).unwrap();
        // China-Russia +, Russia-USA -, USA-China -: stable marriage, the USA the pariah.
        let x = classify(ACT, [0.9, -0.5, -0.7], t).unwrap();
        assert_eq!(x.kind, TriangleType::StableMarriage { pariah: "USA".into() });
        assert_eq!(x.balanced, Some(true));
        // China-Russia -, Russia-USA +, USA-China +: romantic triangle, the USA the pivot.
        let x = classify(ACT, [-0.1, 0.4, 0.2], t).unwrap();
        assert_eq!(x.kind, TriangleType::RomanticTriangle { pivot: "USA".into() });
        assert_eq!(x.balanced, Some(false));
        let x = classify(ACT, [0.1, 0.4, 0.2], t).unwrap();
        assert_eq!((x.kind, x.balanced), (TriangleType::MenageATrois, Some(true)));
        let x = classify(ACT, [-0.1, -0.4, -0.2], t).unwrap();
        assert_eq!((x.kind, x.balanced), (TriangleType::UnitVeto, Some(false)));
        // A neutral band: 0.1 lies in [-0.2, 0.3).
        let band = Thresholds::new(0.3, -0.2).unwrap();
        let x = classify(ACT, [0.1, 0.4, 0.5], band).unwrap();
        assert_eq!((x.signs, x.kind, x.balanced), ([0, 1, 1], TriangleType::Unclassified, None));
        assert!(Thresholds::new(-1.0, 0.0).is_err());
        assert!(classify(ACT, [f64::NAN, 0.0, 0.0], t).is_err());
    }

    #[test]
    fn series_table() {
        let t = Thresholds::single(-1.0).unwrap();
        let s = [(1990, [Some(-0.05), Some(-3.0), Some(-3.1)]), (1991, [None, Some(-3.0), Some(-3.1)])];
        let tab = triangle_series(ACT, &s, t).unwrap();
        assert_eq!(tab.strings("type").unwrap(), vec![Some("stable marriage".into()), Some("unclassified".into())]);
        assert_eq!(tab.strings("actor").unwrap(), vec![Some("USA".into()), None]);
        assert_eq!(tab.strings("balanced").unwrap(), vec![Some("true".into()), None]);
    }

    proptest! {
        #[test]
        fn type_unchanged_by_rotation_and_reflection(ab in -1.0f64..1.0, bc in -1.0f64..1.0, ca in -1.0f64..1.0, pos in -0.5f64..0.5, band in 0.0f64..0.3) {
            let t = Thresholds::new(pos, pos - band).unwrap();
            let x = classify(["A", "B", "C"], [ab, bc, ca], t).unwrap();
            // Rotation (A, B, C) -> (B, C, A): pairs (BC, CA, AB).
            let r = classify(["B", "C", "A"], [bc, ca, ab], t).unwrap();
            prop_assert_eq!(&x.kind, &r.kind);
            prop_assert_eq!(x.balanced, r.balanced);
            // Reflection (A, C, B): pairs (AC, CB, BA).
            let f = classify(["A", "C", "B"], [ca, bc, ab], t).unwrap();
            prop_assert_eq!(&x.kind, &f.kind);
            // Relabelling the actors renames the pivot/pariah only.
            let l = classify(["X", "Y", "Z"], [ab, bc, ca], t).unwrap();
            prop_assert_eq!(x.kind.name(), l.kind.name());
            // Balance is the sign product.
            if let Some(b) = x.balanced {
                prop_assert_eq!(b, x.signs.iter().map(|&s| s as i32).product::<i32>() > 0);
            }
        }
    }
}
