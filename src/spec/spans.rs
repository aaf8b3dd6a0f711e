//! Where each YAML node sits in the spec text, by dotted path, and the
//! limits a spec must keep before it is parsed in earnest.
//!
//! serde_yaml reports positions only for syntax errors; validation needs the
//! line and column of any node. This walks yaml-rust2's marked parse events
//! once and records, for every path (`resources.Post.fields.title.type`,
//! `auth.roles[1]`), where its key and its value start. The same walk stops
//! at the first node that breaks a [`Limit`]: nesting deeper than
//! [`MAX_DEPTH`], aliases that repeat more than [`MAX_ALIAS_NODES`] nodes (a
//! "billion laughs"), a second document, or a whole number beyond 64 bits.

use std::collections::HashMap;

use yaml_rust2::parser::{Event, Parser};
use yaml_rust2::scanner::Marker;
use yaml_rust2::scanner::TScalarStyle;

/// 1-based line and column.
pub type Position = (usize, usize);

/// Positions of keys and values by path.
#[derive(Debug, Default, Clone)]
pub struct Spans {
    keys: HashMap<String, Position>,
    values: HashMap<String, Position>,
}

impl Spans {
    /// Indexes `text`; a document YAML cannot parse gives empty spans (the
    /// YAML parser proper reports the syntax error).
    ///
    /// Errors: the first [`Limit`] the text breaks, found before anything
    /// is expanded, so that a hostile spec costs no more than reading it.
    pub fn scan(text: &str) -> Result<Spans, Limit> {
        let mut walker = Walker::default();
        let mut parser = Parser::new_from_str(text);
        loop {
            match parser.next_token() {
                Ok((Event::StreamEnd, _)) => return Ok(walker.spans),
                Ok((event, mark)) => walker.on_event(event, mark)?,
                // yaml-rust2 reads a flow collection whole before its first
                // event, and gives up past 255 levels.
                Err(e) if e.info() == "recursion limit exceeded" => {
                    return Err(walker.too_deep(*e.marker()));
                }
                Err(_) => return Ok(Spans::default()),
            }
        }
    }

    /// Where the key of `path` starts, else its value, else the nearest
    /// ancestor's: the best place to point at for a problem with `path`.
    pub fn key_or_value(&self, path: &str) -> Option<Position> {
        self.lookup(path, true)
    }

    /// Where the value at `path` starts, else its key, else an ancestor's.
    pub fn value(&self, path: &str) -> Option<Position> {
        self.lookup(path, false)
    }

    fn lookup(&self, path: &str, key_first: bool) -> Option<Position> {
        let mut p = path;
        loop {
            let (first, second) = if key_first {
                (&self.keys, &self.values)
            } else {
                (&self.values, &self.keys)
            };
            if let Some(pos) = first.get(p).or_else(|| second.get(p)) {
                return Some(*pos);
            }
            p = parent(p)?;
        }
    }
}

/// The parent of a dotted path, `None` at the root.
fn parent(path: &str) -> Option<&str> {
    if path.is_empty() {
        return None;
    }
    let cut = path.rfind(['.', '[']).unwrap_or(0);
    Some(&path[..cut])
}

/// Joins a map key onto a path.
pub fn join_key(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

/// Most containers (mappings and lists) open at once; a spec needs about
/// eight, and a deeper one would only cost time.
pub const MAX_DEPTH: usize = 64;

/// Most nodes aliases (`*name`) may repeat, in all.
pub const MAX_ALIAS_NODES: u64 = 1_000_000;

/// A limit the spec text breaks, with where and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limit {
    /// Where the offending node starts.
    pub position: Position,
    /// Its dotted path (empty for the document).
    pub path: String,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub help: String,
}

/// Whether a plain scalar is a whole number as serde_yaml reads them
/// (sign, `0x`/`0o`/`0b` or decimal digits without a leading zero) that
/// fits neither `i64` nor `u64`.
fn beyond_64_bits(scalar: &str) -> bool {
    let (negative, unsigned) = match scalar.as_bytes().first() {
        Some(b'-') => (true, &scalar[1..]),
        Some(b'+') => (false, &scalar[1..]),
        _ => (false, scalar),
    };
    let (radix, digits) = match unsigned.get(..2) {
        Some("0x") => (16, &unsigned[2..]),
        Some("0o") => (8, &unsigned[2..]),
        Some("0b") => (2, &unsigned[2..]),
        _ if unsigned.len() > 1 && unsigned.starts_with('0') => return false,
        _ => (10, unsigned),
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return false;
    }
    match u64::from_str_radix(digits, radix) {
        Ok(n) => negative && n > i64::MIN.unsigned_abs(),
        Err(_) => true,
    }
}

enum Frame {
    Map { path: String, key: Option<String> },
    Seq { path: String, index: usize },
}

#[derive(Default)]
struct Walker {
    stack: Vec<Frame>,
    spans: Spans,
    /// Documents begun.
    documents: usize,
    /// Nodes in each open container, aliases expanded (parallel to `stack`).
    sizes: Vec<(usize, u64)>,
    /// Nodes of each anchored node, aliases expanded, by anchor id.
    anchored: HashMap<usize, u64>,
    /// Nodes repeated by aliases so far.
    repeated: u64,
}

impl Walker {
    /// The path of the node about to be read in the current container, or
    /// `None` when that node is a mapping key.
    fn child_path(&self) -> Option<String> {
        match self.stack.last() {
            None => Some(String::new()),
            Some(Frame::Map { key: None, .. }) => None,
            Some(Frame::Map { path, key: Some(k) }) => Some(join_key(path, k)),
            Some(Frame::Seq { path, index }) => Some(format!("{path}[{index}]")),
        }
    }

    /// Marks the current container's pending node as read.
    fn advance(&mut self) {
        match self.stack.last_mut() {
            Some(Frame::Map { key, .. }) => *key = None,
            Some(Frame::Seq { index, .. }) => *index += 1,
            None => {}
        }
    }
}

fn position(mark: Marker) -> Position {
    (mark.line(), mark.col() + 1)
}

impl Walker {
    /// A refusal at `mark` of the node about to be read.
    fn limit(&self, mark: Marker, message: String, help: &str) -> Limit {
        Limit {
            position: position(mark),
            path: self
                .child_path()
                .unwrap_or_else(|| match self.stack.last() {
                    Some(Frame::Map { path, .. } | Frame::Seq { path, .. }) => path.clone(),
                    None => String::new(),
                }),
            message,
            help: help.to_owned(),
        }
    }

    /// The refusal of a container opened at `mark` past [`MAX_DEPTH`].
    fn too_deep(&self, mark: Marker) -> Limit {
        self.limit(
            mark,
            format!("the spec is nested more than {MAX_DEPTH} levels deep"),
            "a spec needs a few levels (resources, fields, their keys); flatten this value",
        )
    }

    /// Counts `nodes` into the open container and, when the node was
    /// anchored, remembers its size for the aliases that repeat it.
    fn count(&mut self, anchor: usize, nodes: u64) {
        if anchor != 0 {
            self.anchored.insert(anchor, nodes);
        }
        if let Some((_, size)) = self.sizes.last_mut() {
            *size = size.saturating_add(nodes);
        }
    }

    fn on_event(&mut self, event: Event, mark: Marker) -> Result<(), Limit> {
        match event {
            Event::DocumentStart => {
                self.documents += 1;
                if self.documents > 1 {
                    return Err(self.limit(
                        mark,
                        "the file holds a second YAML document".to_owned(),
                        "a spec is one document: remove this `---` and what follows, or merge it into the first",
                    ));
                }
            }
            Event::Scalar(ref value, style, anchor, ref tag) => {
                if style == TScalarStyle::Plain && tag.is_none() && beyond_64_bits(value) {
                    return Err(self.limit(
                        mark,
                        format!("the number {value} does not fit in 64 bits"),
                        "whole numbers in a spec are 64-bit (an `int` column holds -2147483648 to 2147483647, a `bigint` -9223372036854775808 to 9223372036854775807); quote it if it is text",
                    ));
                }
                self.count(anchor, 1);
            }
            Event::Alias(id) => {
                let nodes = self.anchored.get(&id).copied().unwrap_or(1);
                self.repeated = self.repeated.saturating_add(nodes);
                if self.repeated > MAX_ALIAS_NODES {
                    return Err(self.limit(
                        mark,
                        format!("aliases repeat more than {MAX_ALIAS_NODES} nodes"),
                        "each `*name` repeats its anchor's whole content, aliases inside it included; write the repeated part out, or repeat less",
                    ));
                }
                self.count(0, nodes);
            }
            Event::MappingStart(anchor, _) | Event::SequenceStart(anchor, _) => {
                if self.stack.len() >= MAX_DEPTH {
                    return Err(self.too_deep(mark));
                }
                self.sizes.push((anchor, 1));
            }
            Event::MappingEnd | Event::SequenceEnd => {
                if let Some((anchor, nodes)) = self.sizes.pop() {
                    self.count(anchor, nodes);
                }
            }
            _ => {}
        }
        self.record(event, mark);
        Ok(())
    }

    /// Records where the node of `event` sits.
    fn record(&mut self, event: Event, mark: Marker) {
        match event {
            Event::Scalar(value, ..) => match self.child_path() {
                None => {
                    if let Some(Frame::Map { path, key }) = self.stack.last_mut() {
                        self.spans
                            .keys
                            .insert(join_key(path, &value), position(mark));
                        *key = Some(value);
                    }
                }
                Some(path) => {
                    self.spans.values.insert(path, position(mark));
                    self.advance();
                }
            },
            Event::Alias(_) => self.advance(),
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                // A container used as a mapping key has no path of its own.
                let path = self.child_path().unwrap_or_else(|| "?".to_owned());
                self.spans.values.insert(path.clone(), position(mark));
                self.stack
                    .push(if matches!(event, Event::MappingStart(..)) {
                        Frame::Map { path, key: None }
                    } else {
                        Frame::Seq { path, index: 0 }
                    });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                self.stack.pop();
                self.advance();
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_keys_and_values() {
        let text = "a:\n  b: 1\n  c: [x, y]\nd: {e: f}\n";
        let spans = Spans::scan(text).expect("within limits");
        assert_eq!(spans.key_or_value("a.b"), Some((2, 3)));
        assert_eq!(spans.value("a.b"), Some((2, 6)));
        assert_eq!(spans.value("a.c[1]"), Some((3, 10)));
        assert_eq!(spans.value("d.e"), Some((4, 8)));
        assert_eq!(spans.key_or_value("d.zzz"), Some((4, 1)));
    }

    #[test]
    fn whole_numbers_beyond_64_bits() {
        for fits in [
            "0",
            "-9223372036854775808",
            "18446744073709551615",
            "+18446744073709551615",
            "0xFFFFFFFFFFFFFFFF",
            "-0x8000000000000000",
            "0o17",
            "0b101",
        ] {
            assert!(!beyond_64_bits(fits), "{fits}");
        }
        for beyond in [
            "-9223372036854775809",
            "18446744073709551616",
            "0x10000000000000000",
            "-0x8000000000000001",
            "99999999999999999999999999999999999999999999",
        ] {
            assert!(beyond_64_bits(beyond), "{beyond}");
        }
        // Not whole numbers for serde_yaml: strings and floats.
        for other in ["007", "1_000", "0x", "1e30", "12a", "-", "+-1", ""] {
            assert!(!beyond_64_bits(other), "{other}");
        }
    }

    #[test]
    fn limits_are_located() {
        let limit = Spans::scan("a: 1\n---\nb: 2\n").unwrap_err();
        assert_eq!(limit.position, (2, 1));
        let deep = format!("a: {}{}\n", "[".repeat(300), "]".repeat(300));
        let limit = Spans::scan(&deep).unwrap_err();
        assert!(limit.message.contains("nested"), "{limit:?}");
        assert!(Spans::scan("a: &x [1, 2]\nb: *x\nc: [*x, *x]\n").is_ok());
        assert!(Spans::scan("a: !!str 99999999999999999999\n").is_ok());
    }
}
