//! Hostile and unlucky input to the command line: a closed stdout, specs
//! that are too large, too deep or expand without end, and bytes that are
//! not UTF-8. Each is refused quickly with a message, never a panic.

use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{gen_cmd, root};

/// Runs `gen validate` on `text` written to a temporary file; returns the
/// exit code, stderr and how long it took.
fn validate_text(text: &[u8]) -> (Option<i32>, String, Duration) {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("spec.yaml");
    std::fs::write(&path, text).unwrap();
    let start = Instant::now();
    let out = gen_cmd(&["validate", path.to_str().unwrap()]);
    let took = start.elapsed();
    let stderr = String::from_utf8_lossy(&out.stderr).replace(tmp.path().to_str().unwrap(), "TMP");
    (out.status.code(), stderr, took)
}

/// Asserts a refusal: exit 2, the message, `file:line:column` when given
/// (a prefix: `6:` is any column of line 6),
/// a help line, no panic, and no runaway: an unbounded alias expansion or
/// recursion would run for minutes or exhaust memory, so [`RUNAWAY`] is a
/// hang guard far above a normal run (under 0.1 s), not a speed goal, and
/// holds on a loaded machine.
fn assert_refused(text: &[u8], message: &str, position: Option<&str>) {
    let (code, stderr, took) = validate_text(text);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains(message), "no `{message}` in\n{stderr}");
    if let Some(position) = position {
        assert!(
            stderr.contains(&format!("--> TMP/spec.yaml:{position}")),
            "not at {position}:\n{stderr}"
        );
    }
    assert!(stderr.contains("= help: "), "no help:\n{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(took < RUNAWAY, "took {took:?}");
}

/// Longer than any bounded refusal takes, even on a loaded 2-core machine;
/// shorter than an unbounded one (see [`assert_refused`]).
const RUNAWAY: Duration = Duration::from_secs(20);

const HEAD: &str = "version: 1\nproject: {name: x}\nresources:\n  A:\n    fields:\n";

#[test]
fn a_closed_stdout_ends_gen_quietly() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("blog");
    let mut child = Command::new(env!("CARGO_BIN_EXE_gen"))
        .args(["new", dir.to_str().unwrap(), "--spec", "examples/blog.yaml"])
        .current_dir(root())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Like `| head -0`: the reader goes away before gen prints anything.
    drop(child.stdout.take());
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    let status = child.wait().unwrap();
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(stderr, "", "gen is not quiet");
    assert_eq!(status.code(), Some(0), "the project was written: {stderr}");
    assert!(dir.join("gen.yaml").is_file());
}

#[test]
fn an_endless_file_is_refused_at_the_size_limit() {
    let start = Instant::now();
    let out = gen_cmd(&["validate", "/dev/zero"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("larger than 16 MiB"), "{stderr}");
    assert!(stderr.contains("= help: "), "{stderr}");
    assert!(start.elapsed() < RUNAWAY);
}

#[test]
fn a_spec_just_over_the_size_limit_is_refused_and_one_under_it_is_read() {
    let mut text = HEAD.as_bytes().to_vec();
    text.extend(b"      a: text\n");
    let limit = 16 * 1024 * 1024;
    text.resize(limit, b' ');
    text.push(b'\n');
    assert_refused(&text, "larger than 16 MiB", None);
    text.truncate(limit - 1);
    text.push(b'\n');
    let (code, stderr, _) = validate_text(&text);
    assert_eq!(code, Some(0), "{stderr}");
}

#[test]
fn bytes_that_are_not_utf8_are_located() {
    let mut text = HEAD.as_bytes().to_vec();
    text.extend(b"      caf\xc3\xa9: text\n      na\xefve: text\n");
    assert_refused(&text, "not valid UTF-8", Some("7:9\n"));
    // UTF-16, as some editors save.
    let utf16: Vec<u8> = [0xff, 0xfe]
        .into_iter()
        .chain(HEAD.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    assert_refused(&utf16, "not valid UTF-8", Some("1:1\n"));
}

#[test]
fn deep_nesting_is_refused_quickly() {
    let deep = |depth: usize| {
        format!(
            "{HEAD}      a: {{type: json, default: {}{}}}\n",
            "[".repeat(depth),
            "]".repeat(depth)
        )
    };
    assert_refused(
        deep(40_000).as_bytes(),
        "nested more than 64 levels deep",
        Some("6:"),
    );
    assert_refused(
        deep(65).as_bytes(),
        "nested more than 64 levels deep",
        Some("6:"),
    );
    let mut block = String::from(HEAD);
    for level in 0..200 {
        block.push_str(&format!("{}k:\n", "  ".repeat(level + 3)));
    }
    assert_refused(block.as_bytes(), "nested more than 64 levels deep", None);
}

#[test]
fn alias_bombs_are_refused_quickly() {
    let mut text = String::from(
        "version: 1\nproject: {name: x}\nbomb:\n  a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n",
    );
    let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"];
    for pair in names.windows(2) {
        let items = vec![format!("*{}", pair[0]); 10].join(", ");
        text.push_str(&format!("  {}: &{} [{items}]\n", pair[1], pair[1]));
    }
    assert_refused(
        text.as_bytes(),
        "aliases repeat more than 1000000 nodes",
        None,
    );
}

#[test]
fn a_few_aliases_are_fine() {
    let text = format!(
        "{HEAD}      a: &short {{type: string, max_length: 20}}\n      b: *short\n      c: *short\n"
    );
    let (code, stderr, _) = validate_text(text.as_bytes());
    assert_eq!(code, Some(0), "{stderr}");
}
