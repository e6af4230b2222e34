//! Metrics: pure functions of a model and a period, each returning a result table.

pub mod transfers;
pub mod concentration;
pub mod transition;
pub mod dependence;
pub mod alignment;
pub mod triangle;
