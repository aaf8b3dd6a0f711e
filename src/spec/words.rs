//! The closed sets of words a spec takes (relation kinds, `on_delete`,
//! `pagination`): one table per set, which the checker parses with, lists
//! in its help lines, and the JSON Schema (`gen schema`) derives its `enum`
//! from, so each list of allowed words exists once.
//!
//! [`super::RawSpec`] keeps these keys as strings: a wrong word is then not
//! a YAML-shape error that stops at the first one, but a problem the
//! checker reports with the others, with a did-you-mean.

/// A closed set of words, each naming one variant.
pub trait Words: Copy + PartialEq + 'static {
    /// Every word and its variant, in the order help lines list them.
    const ALL: &'static [(&'static str, Self)];

    /// The variant `word` names, if any.
    fn parse(word: &str) -> Option<Self> {
        Self::ALL.iter().find(|(w, _)| *w == word).map(|(_, v)| *v)
    }

    /// Every word, in table order.
    fn names() -> Vec<&'static str> {
        Self::ALL.iter().map(|(w, _)| *w).collect()
    }
}

/// `relations.*.kind`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RelationKind {
    /// A foreign key here to one target row.
    ManyToOne,
    /// A unique foreign key here: at most one row per target row.
    OneToOne,
    /// The inverse of a target's `many_to_one`: a nested list.
    OneToMany,
    /// An association table.
    ManyToMany,
}

impl Words for RelationKind {
    const ALL: &'static [(&'static str, Self)] = &[
        ("many_to_one", RelationKind::ManyToOne),
        ("one_to_one", RelationKind::OneToOne),
        ("one_to_many", RelationKind::OneToMany),
        ("many_to_many", RelationKind::ManyToMany),
    ];
}

impl RelationKind {
    /// The relation is a foreign key of this resource's table.
    pub fn has_column(self) -> bool {
        matches!(self, RelationKind::ManyToOne | RelationKind::OneToOne)
    }
}

/// `relations.*.on_delete`: what deleting the target row does to the rows
/// pointing at it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnDelete {
    /// Delete them too.
    Cascade,
    /// Empty their foreign key (the relation must be nullable).
    SetNull,
    /// Refuse the delete while they exist.
    Restrict,
}

impl Words for OnDelete {
    const ALL: &'static [(&'static str, Self)] = &[
        ("cascade", OnDelete::Cascade),
        ("set_null", OnDelete::SetNull),
        ("restrict", OnDelete::Restrict),
    ];
}

impl OnDelete {
    /// The SQL referential action (`ON DELETE ...`).
    pub fn sql(self) -> &'static str {
        match self {
            OnDelete::Cascade => "CASCADE",
            OnDelete::SetNull => "SET NULL",
            OnDelete::Restrict => "RESTRICT",
        }
    }
}

/// `list.pagination`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pagination {
    /// `limit` and `offset`, with a total.
    Offset,
    /// Keyset pages with a signed cursor.
    Cursor,
}

impl Words for Pagination {
    const ALL: &'static [(&'static str, Self)] = &[
        ("offset", Pagination::Offset),
        ("cursor", Pagination::Cursor),
    ];
}

/// `events:` of a resource: the kinds of change it publishes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind {
    /// A row was created.
    Created,
    /// A row was changed.
    Updated,
    /// A row was deleted (or soft-deleted).
    Deleted,
}

impl Words for EventKind {
    const ALL: &'static [(&'static str, Self)] = &[
        ("created", EventKind::Created),
        ("updated", EventKind::Updated),
        ("deleted", EventKind::Deleted),
    ];
}
