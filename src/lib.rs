//! `gen`: a YAML spec of an API's resources in, a FastAPI project out.
//!
//! The pipeline is pure until the last step:
//! [`spec::load`] → [`validate::validate`] → [`render::render`] → [`write`].

pub mod app;
pub mod diagnostics;
pub mod error;
pub mod escape;
pub mod migrate;
pub mod model;
pub mod names;
pub mod project;
pub mod python;
pub mod render;
pub mod schema;
pub mod spec;
pub mod types;
pub mod validate;
pub mod write;
