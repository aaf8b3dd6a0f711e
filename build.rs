//! Rebuilds the binary when any template changes: `include_dir!` embeds
//! `templates/`, but cargo only tracks files it knows about.
fn main() {
    println!("cargo:rerun-if-changed=templates");
}
