//! Relations between states: alliances (COW Formal Alliances v4.1, ATOP 5.1) and UN General
//! Assembly ideal points (Bailey, Strezhnev & Voeten 2017), keyed by COW ccode and year.
//!
//! The metrics built on them (alliance-portfolio similarity, ideal-point distance, strategic
//! triangles) are in [`crate::metrics::alignment`] and [`crate::metrics::triangle`].

pub mod alliances;
pub mod ideal_points;

pub use alliances::{parse_alliances, read_alliances, AllianceSource, AllianceType, Alliances};
pub use ideal_points::{parse_ideal_points, read_ideal_points, IdealPointEstimate, IdealPoints};
