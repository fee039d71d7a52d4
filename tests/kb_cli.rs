//! `connfix kb check` with no directory: everything connfix loads is validated, bundled
//! files and the user's alike, and the output says what was read.

mod support;

use support::cli::*;

#[test]
fn kb_check_alone_validates_what_is_loaded_and_names_it() {
    let home = tempfile::tempdir().unwrap();
    let out = connfix()
        .env("XDG_CONFIG_HOME", home.path())
        .args(["kb", "check"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.contains("bundled files"), "{text}");
    assert!(text.contains("no user knowledge"), "{text}");
    assert!(text.trim_end().ends_with("ok"), "{text}");

    // A user cause with an unknown placeholder is reported with its file and line.
    let causes = home.path().join("connfix/knowledge/causes");
    std::fs::create_dir_all(&causes).unwrap();
    let bundled = run(&["kb", "show", "nothing-listening"]);
    assert!(bundled.status.success());
    let file = causes.join("mine.md");
    std::fs::write(
        &file,
        "+++\nid = \"mine\"\ntitle = \"T\"\nseverity = \"error\"\nsummary = \"S\"\nwhen = [\"tcp.refused\"]\nconfidence = \"possible\"\naction = [\"Fix {{target.prot}}.\"]\n+++\n## What is happening\nW\n## How to confirm it by hand\nC\n## How to fix it\n1. one\n## Code\n## Don't\nD\n",
    )
    .unwrap();
    let out = connfix()
        .env("XDG_CONFIG_HOME", home.path())
        .args(["kb", "check"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("1 file(s) in"), "{text}");
    assert!(
        text.contains("mine.md:8: unknown placeholder '{{target.prot}}'"),
        "{text}"
    );
}
