//! Metrics: pure functions of a model and a period, each returning a result table.

pub mod alignment;
pub mod concentration;
pub mod dependence;
pub mod transfers;
pub mod transition;
pub mod triangle;
