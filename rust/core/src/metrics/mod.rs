//! Metrics: pure functions of a model and a period, each returning a result table.

pub mod alignment;
pub mod arms_views;
pub mod concentration;
pub mod dependence;
pub mod regions;
pub mod transfers;
pub mod transition;
pub mod triangle;
