//! `gen`: a YAML spec of an API's resources in, a FastAPI project out.
//!
//! The pipeline is pure until the last step:
//! [`spec::load`] → [`check::validate`] (checking, then [`layout`],
//! [`testplan`] and [`table`]) → [`render::render`] → [`write`].

pub mod app;
pub mod check;
pub mod diagnostics;
pub mod error;
pub mod escape;
pub(crate) mod ir;
pub(crate) mod layout;
pub mod migrate;
pub mod model;
pub mod names;
pub(crate) mod parallel;
pub mod project;
pub mod python;
pub mod render;
pub mod report;
pub mod reserved;
pub mod schema;
pub mod ship;
pub mod spec;
pub mod symbols;
pub(crate) mod table;
pub(crate) mod testplan;
pub mod types;
pub mod write;
