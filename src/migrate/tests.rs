//! Tests of the schema diff: which statements each change gives, both ways.

use super::*;
use crate::schema::SqlType;

/// Table `name` with an integer `id` and `columns` (name, type, nullable).
fn table(name: &str, columns: &[(&str, SqlType, bool)]) -> Table {
    let mut all = vec![Column::new("id", SqlType::Integer, false)];
    all.extend(
        columns
            .iter()
            .map(|(n, t, null)| Column::new(n, t.clone(), *null)),
    );
    Table {
        name: name.into(),
        columns: all,
        primary_key: vec!["id".into()],
        uniques: Vec::new(),
        indexes: Vec::new(),
        foreign_keys: Vec::new(),
        unique_together: Vec::new(),
        composite_indexes: Vec::new(),
        renamed_from: None,
    }
}

/// `items` as owned strings.
fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

/// A `seats` table with required `row` and `number` columns.
fn seats() -> Table {
    table(
        "seats",
        &[
            ("row", SqlType::String { length: 5 }, false),
            ("number", SqlType::Integer, false),
        ],
    )
}

#[test]
fn composite_constraints_are_created_and_dropped() {
    let old = Schema {
        tables: vec![seats()],
    };
    let mut with = seats();
    with.unique_together = vec![strings(&["row", "number"])];
    with.composite_indexes = vec![strings(&["number", "row"])];
    let new = Schema { tables: vec![with] };
    let rev = diff(&old, &new, 2).expect("a revision");
    let up = rev.upgrade.join("\n");
    assert!(
        up.contains("batch_op.create_unique_constraint(\n            op.f(\"uq_seats_row_number\"),\n            [\"row\", \"number\"],\n        )"),
        "{up}"
    );
    assert!(
        up.contains("batch_op.create_index(\n            op.f(\"ix_seats_number_row\"),\n            [\"number\", \"row\"],"),
        "{up}"
    );
    let down = rev.downgrade.join("\n");
    assert!(
        down.contains("batch_op.drop_constraint(op.f(\"uq_seats_row_number\"), type_=\"unique\")"),
        "{down}"
    );
    assert!(
        down.contains("batch_op.drop_index(op.f(\"ix_seats_number_row\"))"),
        "{down}"
    );
    assert_eq!(
        rev.changes,
        [
            "add unique constraint on seats.(row, number)",
            "add index on seats.(number, row)"
        ]
    );
    assert!(rev.destructive.is_empty());

    // Removing them is the mirror image; the same schema twice is no revision.
    let back = diff(&new, &old, 3).expect("a revision");
    assert_eq!(
        back.changes,
        [
            "drop unique constraint on seats.(row, number)",
            "drop index on seats.(number, row)"
        ]
    );
    assert!(diff(&new, &new, 3).is_none());
}

#[test]
fn created_tables_carry_composites_and_wrap_long_names_like_ruff() {
    let mut t = table(
        "scheduled_evening_performances_at_venues",
        &[
            ("hosting_venue_location_id", SqlType::Integer, false),
            ("starts_at", SqlType::Time, false),
        ],
    );
    t.unique_together = vec![strings(&["hosting_venue_location_id", "starts_at"])];
    t.composite_indexes = vec![strings(&["starts_at", "hosting_venue_location_id"])];
    let rev = initial(&Schema { tables: vec![t] });
    let up = rev.upgrade.join("\n");
    let uq = names::uq(
        "scheduled_evening_performances_at_venues",
        &strings(&["hosting_venue_location_id", "starts_at"]),
    );
    assert_eq!(uq.len(), 63);
    assert!(
        up.contains(&format!(
            "        sa.UniqueConstraint(\n            \"hosting_venue_location_id\",\n            \"starts_at\",\n            name=op.f(\n                \"{uq}\"\n            ),\n        ),"
        )),
        "{up}"
    );
    assert!(
        up.contains("[\"starts_at\", \"hosting_venue_location_id\"],"),
        "{up}"
    );
    let down = rev.downgrade.join("\n");
    assert_eq!(down.matches("op.drop_index(").count(), 1, "{down}");
}

#[test]
fn a_dropped_array_column_comes_back_filled_per_dialect() {
    let tags = SqlType::Array {
        items: Box::new(SqlType::Text),
    };
    let old = Schema {
        tables: vec![table("venues", &[("tags", tags, false)])],
    };
    let new = Schema {
        tables: vec![table("venues", &[])],
    };
    let rev = diff(&old, &new, 2).expect("a revision");
    let down = rev.downgrade.join("\n");
    assert!(
        down.contains("                server_default=sa.text(\n                    \"'[]'\" if op.get_context().dialect.name == \"sqlite\" else \"'{}'\"\n                ),"),
        "{down}"
    );
    assert_eq!(rev.destructive.len(), 1);
}
