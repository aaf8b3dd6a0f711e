//! A generated project over time: what gen wrote last (`.gen/`), what the
//! spec asks for now, and the changes that take the tree from one to the
//! other without losing hand edits.
//!
//! `.gen/manifest.json` lists every file gen owns with the SHA-256 of what
//! it last wrote; `.gen/base/` holds that content, the common ancestor of a
//! three-way merge; `.gen/schema.json` holds the database schema of the head
//! revision, from which the next revision is computed.
//!
//! Records are checked before they are used: entries must be plain paths
//! inside the project. A lost schema is rebuilt only from what gen can
//! trust (its output unchanged since it was recorded, or the initial
//! revision exactly as gen writes it, or the user's `--rebuild-state`);
//! a revision that exists is never rewritten or written beside.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::Error;
use crate::migrate::{self, SchemaState};
use crate::model::Model;
use crate::parallel;
use crate::render::{self, Ownership, Plan, PlanFile};
use crate::write::{self, Changeset};

/// gen's records inside a project.
pub const STATE_DIR: &str = ".gen";
/// What gen wrote last: path → SHA-256.
pub const MANIFEST: &str = ".gen/manifest.json";
/// The schema of the head revision.
pub const SCHEMA: &str = ".gen/schema.json";
/// What gen wrote last, file by file: the base of three-way merges.
pub const BASE_DIR: &str = ".gen/base";
/// The highest revision number gen believes in a record (ids are four
/// digits and more; anything this large is a tampered record).
const MAX_REVISION: u32 = 999_999;
/// Where revisions go; gen writes each once and never lists it.
pub const REVISIONS_DIR: &str = "migrations/versions/";
/// The JSON Schema of `gen.yaml`, for editors.
pub const SPEC_SCHEMA: &str = ".gen/spec.schema.json";

/// `.gen/manifest.json`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Manifest {
    /// The gen version that wrote it.
    pub generator: String,
    /// Every file gen owns → SHA-256 (hex) of the content it wrote.
    pub files: BTreeMap<String, String>,
    /// Every extension point gen created → SHA-256 of what it created, so
    /// an unedited one can go when its resource goes.
    #[serde(default)]
    pub extensions: BTreeMap<String, String>,
    /// [`fingerprint`] of the spec these files were generated from and of
    /// the gen build that generated them (empty in older records).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub spec: String,
    /// gen's other records (`.gen/schema.json`, `.gen/spec.schema.json`)
    /// → SHA-256 of what gen wrote there.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub records: BTreeMap<String, String>,
}

/// SHA-256 (hex) of the gen build (`GEN_BUILD_ID`, set by `build.rs` from
/// the sources and templates) and of the spec text: the same fingerprint
/// means the same project, since generation is deterministic.
pub fn fingerprint(spec_text: &str) -> String {
    sha256(&format!("{}\n{spec_text}", env!("GEN_BUILD_ID")))
}

fn sha256(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn base_path(path: &str) -> String {
    format!("{BASE_DIR}/{path}")
}

/// The `.gen/` files recording `plan` and `state`. `previous` keeps the
/// hashes of extension points created earlier (their content is the user's
/// now), except those `written` now (created, or upgraded while unedited).
fn state_files(
    plan: &Plan,
    state: &SchemaState,
    previous: &Manifest,
    written: &BTreeMap<String, String>,
    spec_text: &str,
) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut manifest = Manifest {
        generator: env!("CARGO_PKG_VERSION").to_owned(),
        spec: fingerprint(spec_text),
        ..Manifest::default()
    };
    for (path, file) in plan {
        match file.ownership {
            Ownership::Generated => {
                manifest.files.insert(path.clone(), sha256(&file.content));
                out.insert(base_path(path), file.content.clone());
            }
            Ownership::Extension => {
                let hash = previous
                    .extensions
                    .get(path)
                    .filter(|_| !written.contains_key(path))
                    .cloned()
                    .unwrap_or_else(|| sha256(&file.content));
                manifest.extensions.insert(path.clone(), hash);
            }
            Ownership::User | Ownership::State => {}
        }
    }
    for (path, content) in [
        (SCHEMA, json(state)),
        (SPEC_SCHEMA, crate::spec::raw::json_schema()),
    ] {
        manifest.records.insert(path.to_owned(), sha256(&content));
        out.insert(path.to_owned(), content);
    }
    out.insert(MANIFEST.to_owned(), json(&manifest));
    out
}

fn json<T: Serialize>(value: &T) -> String {
    let mut text = serde_json::to_string_pretty(value).expect("plain data serializes");
    text.push('\n');
    text
}

/// Adds a revision file to `plan` (the user's once written); returns its path.
fn add_revision(plan: &mut Plan, rev: &migrate::Revision) -> Result<String, Error> {
    let path = render::revision_path(rev);
    let content = render::render_revision(rev)?;
    plan.insert(
        path.clone(),
        PlanFile {
            content,
            ownership: Ownership::User,
        },
    );
    Ok(path)
}

/// Everything `gen new` writes for `model`: the rendered project, the spec
/// as `gen.yaml`, the initial revision and gen's records.
///
/// Errors: [`Error::Render`] when a template fails (a bug in gen).
pub fn new_project(model: &Model) -> Result<Plan, Error> {
    let mut plan = render::render(model)?;
    plan.insert(
        render::SPEC_FILE.to_owned(),
        PlanFile {
            content: model.spec_text.clone(),
            ownership: Ownership::User,
        },
    );
    add_revision(&mut plan, &migrate::initial(&model.schema))?;
    let state = SchemaState {
        revision: 1,
        schema: model.schema.clone(),
    };
    let none = BTreeMap::new();
    for (path, content) in state_files(&plan, &state, &Manifest::default(), &none, &model.spec_text)
    {
        plan.insert(
            path,
            PlanFile {
                content,
                ownership: Ownership::State,
            },
        );
    }
    Ok(plan)
}

/// What regeneration does to one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// A new file.
    Create,
    /// gen's new output replaces gen's old output (no hand edits).
    Update,
    /// Hand edits and gen's changes merged cleanly.
    Merge,
    /// Hand edits and gen's changes clash; the file gets conflict markers at these lines.
    Conflict(Vec<usize>),
    /// `--force`: gen's output replaces a hand-edited file.
    Overwrite,
    /// gen no longer generates the file and it was not edited.
    Delete,
}

/// One file that regeneration changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileChange {
    /// Relative path.
    pub path: String,
    /// What happens to it.
    pub action: Action,
    /// Content now on disk, if any.
    pub before: Option<String>,
    /// Content after the change, None when deleted.
    pub after: Option<String>,
}

/// Everything a regeneration would do.
#[derive(Debug, Clone, Default)]
pub struct Update {
    /// Files the user sees change, in path order.
    pub changes: Vec<FileChange>,
    /// The new revision's path, when the schema changed.
    pub revision: Option<String>,
    /// Files gen stopped generating but left in place because they were edited.
    pub kept: Vec<String>,
    /// Files left alone: already what gen would write, or the user's own.
    pub unchanged: usize,
    /// Some of gen's records in `.gen/` were missing and are written again.
    pub rebuilt_records: bool,
    /// Every write and delete, `.gen/` records included.
    pub changeset: Changeset,
}

impl Update {
    /// Deletes `path`, whose content is `now`, and shows it as a change.
    fn delete(&mut self, path: &str, now: String) {
        self.changeset.deletes.push(path.to_owned());
        self.changes.push(FileChange {
            path: path.to_owned(),
            action: Action::Delete,
            before: Some(now),
            after: None,
        });
    }

    /// Nothing to change in the files the user sees.
    pub fn is_up_to_date(&self) -> bool {
        self.changes.is_empty()
    }

    /// Files written with conflict markers.
    pub fn conflicts(&self) -> Vec<(&str, &[usize])> {
        self.changes
            .iter()
            .filter_map(|c| match &c.action {
                Action::Conflict(lines) => Some((c.path.as_str(), lines.as_slice())),
                _ => None,
            })
            .collect()
    }
}

/// Options of `gen generate` and `gen resource`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Overwrite hand-edited files instead of merging.
    pub force: bool,
    /// Permit migrations that can lose data.
    pub allow_destructive: bool,
    /// `.gen/schema.json` is lost: take the spec's schema as that of the
    /// head revision on disk (`gen generate --rebuild-state`).
    pub rebuild_state: bool,
}

fn read_json<T: for<'de> Deserialize<'de>>(dir: &Path, path: &str) -> Result<Option<T>, Error> {
    match write::read(dir, path)? {
        None => Ok(None),
        Some(text) => serde_json::from_str(&text).map(Some).map_err(|e| {
            Error::State(format!(
                "{path} is not readable ({e}); restore it from version control"
            ))
        }),
    }
}

/// Reads `.gen/manifest.json` (empty when missing) and checks that every
/// entry is a path gen could have written: relative, inside the project,
/// and neither the spec, gen's own records nor a revision.
///
/// Errors: [`Error::Tampered`] naming the first bad entry, [`Error::State`]
/// when the file is unreadable.
fn read_manifest(dir: &Path) -> Result<Manifest, Error> {
    let manifest: Manifest = read_json(dir, MANIFEST)?.unwrap_or_default();
    let lists = [
        ("files", &manifest.files),
        ("extensions", &manifest.extensions),
    ];
    for (key, list) in lists {
        for entry in list.keys() {
            let reason = if entry.starts_with('/') || Path::new(entry).is_absolute() {
                "is an absolute path"
            } else if entry.split(['/', '\\']).any(|part| part == "..") {
                "leaves the project through `..`"
            } else if !write::is_plain_relative(entry) {
                "is not a plain relative path (`.`, an empty part or a backslash)"
            } else if entry == render::SPEC_FILE
                || entry == STATE_DIR
                || entry.starts_with(&format!("{STATE_DIR}/"))
            {
                "is the spec or gen's own records, which gen never lists"
            } else if entry.starts_with(REVISIONS_DIR) {
                "is a migration revision, which belongs to you once written"
            } else {
                continue;
            };
            return Err(Error::Tampered {
                record: MANIFEST.to_owned(),
                key,
                entry: entry.clone(),
                reason,
            });
        }
    }
    Ok(manifest)
}

/// The revisions in `migrations/versions/` under `dir` named the way gen
/// names them (`0003_add_tags.py`), by number; their paths are relative.
///
/// Errors: [`Error::Outside`] or [`Error::Io`] when the folder cannot be
/// listed safely.
pub fn revisions_on_disk(dir: &Path) -> Result<BTreeMap<u32, String>, Error> {
    let mut out = BTreeMap::new();
    for name in write::list(dir, REVISIONS_DIR.trim_end_matches('/'))? {
        let number = name
            .strip_suffix(".py")
            .and_then(|stem| stem.split_once('_'))
            .map(|(number, _)| number)
            .filter(|n| n.len() >= 4 && n.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|n| n.parse::<u32>().ok())
            .filter(|n| (1..=MAX_REVISION).contains(n));
        if let Some(number) = number {
            out.insert(number, format!("{REVISIONS_DIR}{name}"));
        }
    }
    Ok(out)
}

/// `.gen/schema.json`; None when it is missing, or unreadable and
/// `rebuild_state` asks to replace it.
///
/// Errors: [`Error::State`] when it is unreadable, [`Error::Usage`] when
/// `rebuild_state` is given but there is nothing to rebuild.
fn recorded_schema(dir: &Path, options: Options) -> Result<Option<SchemaState>, Error> {
    let read = read_json::<SchemaState>(dir, SCHEMA).and_then(|found| match found {
        Some(state) if !(1..=MAX_REVISION).contains(&state.revision) => Err(Error::State(format!(
            "{SCHEMA} records revision {}, which gen never writes; restore .gen/ from version control (`git checkout -- .gen`)",
            state.revision
        ))),
        found => Ok(found),
    });
    match read {
        Ok(Some(_)) if options.rebuild_state => Err(Error::Usage(format!(
            "--rebuild-state replaces a lost {SCHEMA}, but it is there and readable; run gen generate without it"
        ))),
        Ok(found) => Ok(found),
        Err(Error::State(_)) if options.rebuild_state => Ok(None),
        Err(e) => Err(e),
    }
}

/// The schema of the head revision `head` when `.gen/schema.json` is lost,
/// from what gen can trust: gen's last output is exactly what it would write
/// now (the spec has not changed since, so its schema is the head's); or
/// the only revision is `0001_initial.py` exactly as gen would write it now;
/// or `--rebuild-state`, the user's word that the spec is the one the head
/// revision was made from.
///
/// Errors: [`Error::State`] saying how to recover, otherwise.
fn recover_schema(
    dir: &Path,
    model: &Model,
    plan: &Plan,
    manifest: &Manifest,
    (&number, head): (&u32, &String),
    options: Options,
) -> Result<SchemaState, Error> {
    let at_head = SchemaState {
        revision: number,
        schema: model.schema.clone(),
    };
    if options.rebuild_state || same_output(dir, plan, manifest)? {
        return Ok(at_head);
    }
    let initial = migrate::initial(&model.schema);
    if number == 1
        && *head == render::revision_path(&initial)
        && write::read(dir, head)? == Some(render::render_revision(&initial)?)
    {
        return Ok(at_head);
    }
    Err(Error::State(format!(
        "{SCHEMA} is missing or unreadable, and gen cannot tell which schema the revisions up to {head} build: it will not write the next revision (a database at {head} would never get it). Restore .gen/ from version control (`git checkout -- .gen`); if it is lost, put back the gen.yaml that {head} was made from, run `gen generate --rebuild-state` (it records that spec's schema as the head revision's and writes no revision), then bring back the new gen.yaml and run `gen generate`"
    )))
}

/// Whether gen's last output is what it would write now: the manifest
/// lists exactly the generated files of `plan` with their hashes, or, with
/// no manifest, each of them is on disk with exactly that content.
fn same_output(dir: &Path, plan: &Plan, manifest: &Manifest) -> Result<bool, Error> {
    let generated = || {
        plan.iter()
            .filter(|(_, file)| file.ownership == Ownership::Generated)
    };
    if !manifest.files.is_empty() {
        return Ok(generated().count() == manifest.files.len()
            && generated()
                .all(|(path, file)| manifest.files.get(path) == Some(&sha256(&file.content))));
    }
    for (path, file) in generated() {
        if write::read(dir, path)?.as_deref() != Some(file.content.as_str()) {
            return Ok(false);
        }
    }
    Ok(true)
}

/// How many files regeneration reads at once, on every core, before it
/// looks at them: enough to keep the cores busy, few enough that a large
/// project is not held in memory whole.
const READ_AHEAD: usize = 256;

/// The [`Update`] of a `gen generate` that changes nothing, when that can
/// be told without rendering: the manifest's [`fingerprint`] is that of
/// `spec_text` and this build, and every file gen owns, its base copy and
/// every other record is on disk as recorded, and every extension point
/// exists. `None` when anything differs (the caller then renders and
/// compares everything). Generation is deterministic, so a match means the
/// full run would find nothing to write.
///
/// Errors: [`Error::Tampered`] for a manifest entry outside the project,
/// [`Error::Io`] or [`Error::Outside`] when a file cannot be read safely.
pub fn unchanged(dir: &Path, spec_text: &str) -> Result<Option<Update>, Error> {
    let manifest = read_manifest(dir)?;
    if manifest.spec.is_empty() || manifest.spec != fingerprint(spec_text) {
        return Ok(None);
    }
    let mut expected: Vec<(String, &String)> = Vec::new();
    for (path, hash) in &manifest.files {
        expected.push((path.clone(), hash));
        expected.push((base_path(path), hash));
    }
    for record in [SCHEMA, SPEC_SCHEMA] {
        match manifest.records.get(record) {
            Some(hash) => expected.push((record.to_owned(), hash)),
            None => return Ok(None),
        }
    }
    for chunk in expected.chunks(READ_AHEAD) {
        let paths: Vec<&str> = chunk.iter().map(|(path, _)| path.as_str()).collect();
        for ((_, hash), now) in chunk.iter().zip(read_all(dir, &paths)) {
            match now? {
                Some(text) if sha256(&text) == **hash => {}
                _ => return Ok(None),
            }
        }
    }
    for path in manifest.extensions.keys() {
        if !write::resolve(dir, path)?.is_file() {
            return Ok(None);
        }
    }
    Ok(Some(Update {
        unchanged: manifest.files.len() + manifest.extensions.len(),
        ..Update::default()
    }))
}

/// `write::read` of each of `paths` under `dir`, spread over the cores, in order.
fn read_all(dir: &Path, paths: &[&str]) -> Vec<Result<Option<String>, Error>> {
    parallel::map(paths.len(), |i| write::read(dir, paths[i]))
}

fn conflict_lines(text: &str) -> Vec<usize> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| l.starts_with("<<<<<<<"))
        .map(|(i, _)| i + 1)
        .collect()
}

/// The schema state after this regeneration: the recorded (or recovered)
/// head's, or the next revision's, added to `plan` and to `update`.
///
/// Errors: [`Error::Destructive`] without `allow_destructive`;
/// [`Error::State`] when the head's schema is lost and cannot be trusted,
/// or when the next revision's number is taken.
fn next_revision(
    dir: &Path,
    model: &Model,
    plan: &mut Plan,
    manifest: &Manifest,
    options: Options,
    update: &mut Update,
) -> Result<SchemaState, Error> {
    let revisions = revisions_on_disk(dir)?;
    let old = match recorded_schema(dir, options)? {
        Some(old) => old,
        None => match revisions.last_key_value() {
            Some(head) => {
                update.rebuilt_records = true;
                recover_schema(dir, model, plan, manifest, head, options)?
            }
            None => {
                add_revision(plan, &migrate::initial(&model.schema))?;
                return Ok(SchemaState {
                    revision: 1,
                    schema: model.schema.clone(),
                });
            }
        },
    };
    let Some(rev) = migrate::diff(&old.schema, &model.schema, old.revision + 1) else {
        return Ok(old);
    };
    if !rev.destructive.is_empty() && !options.allow_destructive {
        return Err(Error::Destructive(rev.destructive));
    }
    if let Some((_, taken)) = revisions.range(old.revision + 1..).next() {
        return Err(Error::State(format!(
            "{SCHEMA} records revision {:04} as the head, but {taken} exists: gen will not write the next revision beside or over it. Restore .gen/ from version control (`git checkout -- .gen`)",
            old.revision
        )));
    }
    update.revision = Some(add_revision(plan, &rev)?);
    Ok(SchemaState {
        revision: old.revision + 1,
        schema: model.schema.clone(),
    })
}

/// What happens to a file gen owns that is `now` on disk and `new` in
/// gen's output: replaced, merged with hand edits, or left alone.
fn merge(
    dir: &Path,
    path: &str,
    now: &str,
    new: &str,
    manifest: &Manifest,
    options: Options,
) -> Result<Option<(Action, String)>, Error> {
    // A lost base copy is today's output when the manifest says gen wrote
    // exactly that, or `--rebuild-state` says gen.yaml is the spec of gen's
    // last output.
    let base = write::read(dir, &base_path(path))?.or_else(|| {
        (options.rebuild_state || manifest.files.get(path) == Some(&sha256(new)))
            .then(|| new.to_owned())
    });
    Ok(match base {
        Some(base) if base == now => Some((Action::Update, new.to_owned())),
        _ if options.force => Some((Action::Overwrite, new.to_owned())),
        Some(base) if base == new => None,
        base => match diffy::merge(base.as_deref().unwrap_or(""), now, new) {
            Ok(merged) if merged == now => None,
            Ok(merged) => Some((Action::Merge, merged)),
            Err(conflicted) => Some((Action::Conflict(conflict_lines(&conflicted)), conflicted)),
        },
    })
}

/// Compares each planned file with the one on disk: creates, rewrites,
/// merges with hand edits, or counts it unchanged.
fn compare(
    dir: &Path,
    plan: &Plan,
    manifest: &Manifest,
    options: Options,
    update: &mut Update,
) -> Result<(), Error> {
    let planned: Vec<(&String, &PlanFile)> = plan.iter().collect();
    for chunk in planned.chunks(READ_AHEAD) {
        let paths: Vec<&str> = chunk.iter().map(|(path, _)| path.as_str()).collect();
        for (&(path, file), current) in chunk.iter().zip(read_all(dir, &paths)) {
            let current = current?;
            let new = &file.content;
            let action = match (&current, file.ownership) {
                (None, _) => Some((Action::Create, new.clone())),
                (Some(now), _) if now == new => None,
                (Some(now), Ownership::Extension) => upgrade_extension(path, now, new, manifest),
                (Some(_), Ownership::User) if path != render::SPEC_FILE => None,
                (Some(_), Ownership::User) => Some((Action::Update, new.clone())),
                (Some(now), _) => merge(dir, path, now, new, manifest, options)?,
            };
            match action {
                Some((action, after)) => {
                    update.changeset.writes.insert(path.clone(), after.clone());
                    update.changes.push(FileChange {
                        path: path.clone(),
                        action,
                        before: current,
                        after: Some(after),
                    });
                }
                None => update.unchanged += 1,
            }
        }
    }
    Ok(())
}

/// An extension point as gen created it and nobody has edited since (its
/// hash is the one recorded at creation) follows gen's template when that
/// changes; once edited, it is the user's and stays as it is.
fn upgrade_extension(
    path: &str,
    now: &str,
    new: &str,
    manifest: &Manifest,
) -> Option<(Action, String)> {
    unedited_extension(manifest, path, now).then(|| (Action::Update, new.to_owned()))
}

/// Whether the extension point at `path`, whose text is `now`, is still as
/// gen created it: its hash is the one the manifest recorded then.
fn unedited_extension(manifest: &Manifest, path: &str, now: &str) -> bool {
    manifest.extensions.get(path) == Some(&sha256(now))
}

/// Files and extension points gen generated before but not any more (a
/// removed resource): deleted when unedited (or with `force`), else kept.
fn removed(
    dir: &Path,
    plan: &Plan,
    manifest: &Manifest,
    options: Options,
    update: &mut Update,
) -> Result<(), Error> {
    // Files gen generated before but not any more (a removed resource).
    for path in manifest.files.keys().filter(|p| !plan.contains_key(*p)) {
        let Some(now) = write::read(dir, path)? else {
            continue;
        };
        let base = write::read(dir, &base_path(path))?;
        if base.as_deref() == Some(now.as_str()) || options.force {
            update.delete(path, now);
        } else {
            update.kept.push(path.clone());
        }
        update.changeset.deletes.push(base_path(path));
    }
    // Extension points of a removed resource go only if nobody edited them.
    for path in manifest
        .extensions
        .keys()
        .filter(|p| !plan.contains_key(*p))
    {
        let Some(now) = write::read(dir, path)? else {
            continue;
        };
        if unedited_extension(manifest, path, &now) {
            update.delete(path, now);
        } else {
            update.kept.push(path.clone());
        }
    }
    Ok(())
}

/// gen's records follow what it generated (not the merged result): each
/// record that differs on disk is written; a missing one is noted.
fn write_records(
    dir: &Path,
    records: BTreeMap<String, String>,
    update: &mut Update,
) -> Result<(), Error> {
    let records: Vec<(String, String)> = records.into_iter().collect();
    for chunk in records.chunks(READ_AHEAD) {
        let paths: Vec<&str> = chunk.iter().map(|(path, _)| path.as_str()).collect();
        for ((path, content), now) in chunk.iter().zip(read_all(dir, &paths)) {
            let now = now?;
            update.rebuilt_records |= now.is_none();
            if now.as_deref() != Some(content.as_str()) {
                update
                    .changeset
                    .writes
                    .insert(path.clone(), content.clone());
            }
        }
    }
    Ok(())
}

/// Computes, without writing, what regenerating the project in `dir` from
/// `model` changes. `spec_text`, when given, is written as the new `gen.yaml`.
///
/// Errors: [`Error::Destructive`] when the schema change can lose data and
/// `allow_destructive` is off; [`Error::State`] when `.gen/` is unreadable;
/// [`Error::Io`] when the tree cannot be read.
pub fn update(
    dir: &Path,
    model: &Model,
    spec_text: Option<&str>,
    options: Options,
) -> Result<Update, Error> {
    let mut plan = render::render(model)?;
    let mut update = Update::default();
    let manifest = read_manifest(dir)?;

    let state = next_revision(dir, model, &mut plan, &manifest, options, &mut update)?;
    if let Some(text) = spec_text {
        plan.insert(
            render::SPEC_FILE.to_owned(),
            PlanFile {
                content: text.to_owned(),
                ownership: Ownership::User,
            },
        );
    }

    compare(dir, &plan, &manifest, options, &mut update)?;
    removed(dir, &plan, &manifest, options, &mut update)?;
    let records = state_files(
        &plan,
        &state,
        &manifest,
        &update.changeset.writes,
        &model.spec_text,
    );
    write_records(dir, records, &mut update)?;
    if update.changes.is_empty() && !update.rebuilt_records {
        // Nothing to show; only a manifest from another build of gen (or
        // from before fingerprints) is written again, so that the next run
        // can tell that nothing changed without rendering.
        let stale = manifest.spec != fingerprint(&model.spec_text) || manifest.records.is_empty();
        let manifest = update.changeset.writes.remove(MANIFEST).filter(|_| stale);
        update.changeset = Changeset::default();
        if let Some(content) = manifest {
            update.changeset.writes.insert(MANIFEST.to_owned(), content);
        }
    }
    Ok(update)
}
