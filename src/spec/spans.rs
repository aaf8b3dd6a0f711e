//! Where each YAML node sits in the spec text, by dotted path.
//!
//! serde_yaml reports positions only for syntax errors; validation needs the
//! line and column of any node. This walks yaml-rust2's marked parse events
//! once and records, for every path (`resources.Post.fields.title.type`,
//! `auth.roles[1]`), where its key and its value start.

use std::collections::HashMap;

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

/// 1-based line and column.
pub type Position = (usize, usize);

/// Positions of keys and values by path.
#[derive(Debug, Default, Clone)]
pub struct Spans {
    keys: HashMap<String, Position>,
    values: HashMap<String, Position>,
}

impl Spans {
    /// Indexes `text`; a document YAML cannot parse gives empty spans.
    pub fn index(text: &str) -> Spans {
        let mut walker = Walker::default();
        let mut parser = Parser::new_from_str(text);
        if parser.load(&mut walker, false).is_err() {
            return Spans::default();
        }
        walker.spans
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

enum Frame {
    Map { path: String, key: Option<String> },
    Seq { path: String, index: usize },
}

#[derive(Default)]
struct Walker {
    stack: Vec<Frame>,
    spans: Spans,
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

impl MarkedEventReceiver for Walker {
    fn on_event(&mut self, event: Event, mark: Marker) {
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
        let spans = Spans::index(text);
        assert_eq!(spans.key_or_value("a.b"), Some((2, 3)));
        assert_eq!(spans.value("a.b"), Some((2, 6)));
        assert_eq!(spans.value("a.c[1]"), Some((3, 10)));
        assert_eq!(spans.value("d.e"), Some((4, 8)));
        assert_eq!(spans.key_or_value("d.zzz"), Some((4, 1)));
    }
}
