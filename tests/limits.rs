//! Hostile and unlucky input to the command line: a closed stdout, specs
//! that are too large, too deep or expand without end, and bytes that are
//! not UTF-8. Each is refused quickly with a message, never a panic.

use std::io::Read;
use std::process::{Command, Stdio};

use crate::common::root;

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
