//! Unit tests of checking, layout and the test plan together.

use crate::check::permissions::Condition;
use crate::check::values::{check_url, time_text};
use crate::check::{AUDIT_COLUMNS, validate};
use crate::model::Model;
use crate::schema::{self};
use crate::spec::Spec;

#[test]
fn times_are_written_as_the_api_returns_them() {
    let t = |s: &str| time_text(s).and_then(|j| j.as_str().map(str::to_owned));
    assert_eq!(t("08:00").as_deref(), Some("08:00:00"));
    assert_eq!(t("23:59:59").as_deref(), Some("23:59:59"));
    assert_eq!(t("08:00:00.5").as_deref(), Some("08:00:00.500000"));
    assert_eq!(t("08:00:00.000").as_deref(), Some("08:00:00"));
    for bad in ["8:00", "24:00", "12:60", "12:00:00+01:00", "12:00Z", "noon"] {
        assert_eq!(t(bad), None, "{bad}");
    }
}

#[test]
fn urls_must_be_in_the_form_pydantic_returns() {
    for good in [
        "https://example.com/",
        "http://127.0.0.1:8080/a/b?c=d&e=f#g",
        "https://xn--bcher-kva.de/it's",
        "https://example.com/%20x",
    ] {
        assert_eq!(check_url(good), Ok(()), "{good}");
    }
    for bad in [
        "https://example.com",
        "HTTPS://example.com/",
        "https://Example.com/",
        "ftp://example.com/",
        "https://example.com:443/",
        "http://example.com:80/",
        "https://example.com:0443/",
        "https://example.com/a/./b",
        "https://example.com/%2E%2E/b",
        "http://1.2.3/",
        "http://256.1.1.1/",
        "https://example.com/a b",
        "https://example.com/?q='x'",
        "https://user@example.com/",
    ] {
        assert!(check_url(bad).is_err(), "{bad}");
    }
    let long = format!("https://example.com/{}", "x".repeat(2029));
    assert!(check_url(&long).unwrap_err().contains("longer than 2048"));
}

#[test]
fn filter_statements_wrap_like_ruff() {
    let short = Condition::compare("Post.views", "==", "query.views");
    assert_eq!(
        short.statement(),
        "stmt = stmt.where(Post.views == query.views)"
    );
    let call = Condition::call(
        "Venue.booking_page.icontains",
        &[
            "query.booking_page__contains".into(),
            "autoescape=True".into(),
        ],
    );
    assert_eq!(
        call.statement(),
        "stmt = stmt.where(\n            Venue.booking_page.icontains(query.booking_page__contains, autoescape=True)\n        )"
    );
    let long = Condition::compare(
        "WarehouseShelfBinSlot.max_weight_kilograms",
        ">=",
        "query.max_weight_kilograms__gte",
    );
    assert_eq!(
        long.statement(),
        "stmt = stmt.where(\n            WarehouseShelfBinSlot.max_weight_kilograms\n            >= query.max_weight_kilograms__gte\n        )"
    );
}

fn model(text: &str) -> Model {
    let (raw, spans) = crate::spec::parse("t.yaml", text).expect("parses");
    let spec = Spec {
        file: "t.yaml".into(),
        text: text.into(),
        raw,
        spans,
    };
    validate(&spec).expect("valid")
}

#[test]
fn id_types_reach_keys_foreign_keys_links_filters_and_tests() {
    let m = model(
        "version: 1\nproject: {name: shop}\nresources:\n  Tag:\n    id: uuid\n    fields: {label: string}\n  Product:\n    id: bigint\n    fields: {name: string}\n    relations:\n      tags: {kind: many_to_many, to: Tag}\n  Line:\n    fields: {quantity: int}\n    relations:\n      product: {kind: many_to_one, to: Product}\n      tag: {kind: many_to_one, to: Tag, nullable: true}\n    list: {filter: [tag]}\n",
    );
    let res = |name: &str| m.resources.iter().find(|r| r.class_name == name).unwrap();
    let column = |table: &str, name: &str| {
        m.schema
            .table(table)
            .and_then(|t| t.column(name))
            .map(|c| c.sql_type.clone())
            .unwrap()
    };
    use schema::SqlType as S;
    // Keys.
    assert_eq!(column("tags", "id"), S::Uuid);
    assert_eq!(column("products", "id"), S::BigId);
    assert_eq!(column("lines", "id"), S::Integer);
    let tag = res("Tag");
    assert_eq!(
        (tag.id_type.as_str(), tag.id_path.as_str()),
        ("UUID", "UuidPath")
    );
    assert_eq!(
        tag.id_decl,
        "id: Mapped[UUID] = mapped_column(Uuid(), primary_key=True, default=uuid4)"
    );
    assert!(
        tag.model_imports.contains("from uuid import UUID, uuid4"),
        "{}",
        tag.model_imports
    );
    assert!(
        res("Product")
            .id_decl
            .contains("BigInteger().with_variant(Integer(), \"sqlite\")")
    );
    assert_eq!(
        res("Line").id_decl,
        "id: Mapped[int] = mapped_column(primary_key=True)"
    );
    // Foreign keys and association tables take the target's type.
    assert_eq!(column("lines", "product_id"), S::BigId);
    assert_eq!(column("lines", "tag_id"), S::Uuid);
    assert_eq!(column("product_tags", "product_id"), S::BigId);
    assert_eq!(column("product_tags", "tag_id"), S::Uuid);
    let line = res("Line");
    assert_eq!(line.relations[0].create_decl, "product_id: BigId");
    assert_eq!(line.relations[1].read_decl, "tag_id: UUID | None");
    assert!(
        line.relations[1]
            .model_decl
            .starts_with("tag_id: Mapped[UUID | None] = mapped_column(\n        Uuid(),"),
        "{}",
        line.relations[1].model_decl
    );
    assert!(
        line.list
            .params
            .contains(&"tag_id: UUID | None = None".to_owned())
    );
    assert!(
        line.list
            .params
            .contains(&"tag_id__in: CommaList[UUID] = None".to_owned())
    );
    let link = &res("Product").links[0];
    assert_eq!(link.read_decl, "tag_ids: list[UUID]");
    assert_eq!(link.target_id_path, "UuidPath");
    assert!(
        link.association_decl
            .contains("\"tag_id\",\n        Uuid(),\n        ForeignKey(\"tags.id\"")
            && link
                .association_decl
                .contains("BigInteger().with_variant(Integer(), \"sqlite\"),"),
        "{}",
        link.association_decl
    );
    // The /docs example points at a placeholder of the target's type.
    assert!(
        line.create_config
            .contains("\"tag_id\": \"00000000-0000-4000-8000-000000000001\"")
    );
    // Tests: missing and malformed ids, and the order of random ids.
    assert_eq!(tag.tests.missing_id, "00000000-0000-4000-8000-000000000000");
    assert_eq!(res("Product").tests.missing_id, "9223372036854775807");
    assert_eq!(tag.tests.order_ids, "ids.sort()");
    assert!(res("Product").tests.order_ids.is_empty());
    // A uuid reference's invalid values are its kind's (`tests/kit/invalid.py`
    // has `not-a-uuid`), with the missing row of the target's key type.
    assert!(line.tests.fields.attributes.iter().any(|i| {
        i.contains("*uuid_reference(")
            && i.contains("no_such_row=\"00000000-0000-4000-8000-000000000000\"")
    }));
    // `app/schemas.py` defines the aliases only when some key needs them.
    assert!(m.id_aliases.contains("BigIdPath = ") && m.id_aliases.contains("UuidPath = "));
    assert_eq!(m.uuid_import, "from uuid import UUID\n");
    let plain = category("Books");
    assert!(plain.id_aliases.is_empty() && plain.uuid_import.is_empty());
}

fn category(example_name: &str) -> Model {
    model(&format!(
        "version: 1\nproject: {{name: shop}}\nresources:\n  Category:\n    fields:\n      name: {{type: string, unique: true, example: Books}}\n    relations:\n      parent: {{kind: many_to_one, to: Category, nullable: true}}\n    example: {{name: {example_name}, parent_id: 1}}\n"
    ))
}

#[test]
fn example_parents_of_the_same_resource_avoid_its_unique_values() {
    // Sample 0 of `name` is its field example, `Books`: the parent row
    // the test creates must take another sample.
    let parents = |m: &Model| {
        let crud = &m.resources[0].tests.crud;
        let found = crud
            .constants
            .iter()
            .find(|c| c.starts_with("EXAMPLE_PARENTS"));
        found.cloned().unwrap_or_default()
    };
    assert_eq!(
        parents(&category("Books")),
        "EXAMPLE_PARENTS = [(\"parent_id\", \"category\", 1)]"
    );
    assert_eq!(
        parents(&category("Novels")),
        "EXAMPLE_PARENTS = [(\"parent_id\", \"category\", 0)]"
    );
}

#[test]
fn read_only_write_only_and_audit_shape_the_schemas_and_table() {
    let m = model(
        "version: 1\nproject: {name: shop}\nresources:\n  Account:\n    audit: true\n    fields:\n      name: string\n      score: {type: int, default: 0, read_only: true}\n      secret: {type: string, nullable: true, write_only: true}\n",
    );
    let r = &m.resources[0];
    let field = |name: &str| r.fields.iter().find(|f| f.name == name).unwrap();
    assert!(field("score").create_decl.is_empty() && field("score").update_decl.is_empty());
    assert_eq!(field("score").read_decl, "score: int");
    assert!(field("secret").read_decl.is_empty() && !field("secret").create_decl.is_empty());
    assert!(
        r.tests
            .fields
            .attributes
            .iter()
            .any(|c| c.contains("*given(\"score\", read_only="))
    );
    let table = m.schema.table("accounts").unwrap();
    for column in AUDIT_COLUMNS {
        assert!(table.column(column).unwrap().nullable);
        assert!(table.indexes.iter().any(|i| i == column));
        let fk = table
            .foreign_keys
            .iter()
            .find(|f| f.column == column)
            .unwrap();
        assert_eq!(
            (fk.target.as_str(), fk.on_delete.as_str()),
            ("users", "SET NULL")
        );
    }
    assert!(r.create_config.contains("\"secret\""));
    assert!(!r.create_config.contains("\"score\""));
}

#[test]
fn writes_to_shared_resources_need_a_grant() {
    let m = model(
        "version: 1\nproject: {name: p}\nresources:\n  Shared:\n    fields: {name: string}\n  Open:\n    public_read: true\n    fields: {name: string}\n  Granted:\n    permissions: {create: [authenticated], delete: [member]}\n    fields: {name: string}\n  Mine:\n    owned: true\n    fields: {name: string}\n",
    );
    let who = |name: &str| {
        let r = m.resources.iter().find(|r| r.class_name == name).unwrap();
        [&r.read, &r.create, &r.update, &r.delete].map(|a| (a.member, a.who.clone()))
    };
    use crate::model::Reach::{All, None, Own};
    let admins = || (None, "admins".to_owned());
    let signed_in = || (All, "signed-in users".to_owned());
    assert_eq!(who("Shared"), [signed_in(), admins(), admins(), admins()]);
    assert_eq!(
        who("Open"),
        [(All, "anyone".to_owned()), admins(), admins(), admins()]
    );
    assert_eq!(
        who("Granted"),
        [
            signed_in(),
            signed_in(),
            admins(),
            (All, "`member`, admins".to_owned())
        ]
    );
    let owner = || (Own, "the owner, admins".to_owned());
    assert_eq!(who("Mine"), [owner(), signed_in(), owner(), owner()]);
}
