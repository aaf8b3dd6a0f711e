//! `test_caching.py`: entity tags, conditional requests, caching headers
//! and the read cache.

use super::{Module, attr, s};
use crate::ir::anonymous_cache_control;
use crate::layout::resource::Builder;
use crate::model::SuiteFile;

/// `test_caching.py`: tags, 304 and 412, `Cache-Control` (gen.yaml's
/// `cache:` for reads without a token where anyone may read), and with
/// `cache.redis` the read cache.
pub(super) fn caching(b: &Builder) -> SuiteFile {
    let mut m = Module::new(
        b,
        "caching",
        "TestCaching",
        "entity tags, 304 and 412, caching headers and the read cache.",
        "Tags, conditional requests and caching headers.",
    );
    m.base("CachingTests");
    if b.facts.rules[0].anyone {
        let control = anonymous_cache_control(b.facts.cache);
        m.attr(attr("anonymous_cache_control", &s(&control)));
    }
    if b.facts.cache.is_some_and(|c| c.redis) {
        m.base("ReadCacheTests");
    }
    m.done()
}
