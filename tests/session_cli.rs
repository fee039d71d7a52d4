//! Saved sessions from the command line: `check --save`, `report list | show | export`, and
//! what happens with files connfix cannot read or directories it cannot write.

mod support;

use serde_json::Value;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use support::cli::*;

/// A connfix command whose data directory is `data`.
fn with_data(data: &Path, args: &[&str]) -> Output {
    let mut c = connfix();
    c.env("XDG_DATA_HOME", data).args(args);
    c.output().expect("run connfix")
}

fn sessions(data: &Path) -> PathBuf {
    data.join("connfix").join("sessions")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// Saves a check of a refused loopback port (with a password in the target); returns the id.
fn saved_check(data: &Path, password: &str) -> String {
    let port = closed_port();
    let target = format!("postgres://app:{password}@127.0.0.1:{port}/app");
    let out = with_data(data, &["check", &target, "--save", "--timeout", "2s"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let err = text(&out.stderr);
    let id = err
        .split("saved as session ")
        .nth(1)
        .and_then(|r| r.split_whitespace().next())
        .unwrap_or_else(|| panic!("no session id in stderr: {err}"))
        .to_string();
    assert!(sessions(data).join(format!("{id}.json")).is_file());
    id
}

#[test]
fn a_saved_check_reads_back_in_every_format_without_its_password() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let id = saved_check(data, "s3cretpw");

    let list = with_data(data, &["report", "list"]);
    let list_text = text(&list.stdout);
    assert!(list_text.contains(&id), "{list_text}");
    assert!(list_text.contains("nothing-listening"), "{list_text}");

    let md = text(&with_data(data, &["report", "show", &id]).stdout);
    assert!(md.starts_with("# "), "{md}");
    assert!(md.contains("nothing-listening"), "{md}");
    // The summary comes before the timeline.
    let verdict_at = md.find("nothing-listening").unwrap();
    assert!(
        verdict_at < md.find("Timeline").expect("a timeline"),
        "{md}"
    );

    let json = with_data(data, &["report", "export", &id, "--format", "json"]);
    let v: Value = serde_json::from_slice(&json.stdout).expect("JSON export");
    assert_eq!(v["schema_version"], 1);
    assert_eq!(v["id"], id.as_str());
    assert_eq!(v["kind"], "diagnosis");
    assert_eq!(v["diagnosis"]["verdict"]["id"], "nothing-listening");
    assert!(v["probe_runs"].as_array().unwrap().len() >= 3);

    let html_file = data.join("out.html");
    let html = with_data(
        data,
        &[
            "report",
            "export",
            &id[..12],
            "--format",
            "html",
            "-o",
            html_file.to_str().unwrap(),
        ],
    );
    assert_eq!(html.status.code(), Some(0), "{}", text(&html.stderr));
    let page = fs::read_to_string(&html_file).unwrap();
    assert!(page.contains("<html") && page.contains("nothing-listening"));
    assert!(
        !page.contains("http://") && !page.contains("https://"),
        "self-contained: no links out"
    );

    let session_file = fs::read_to_string(sessions(data).join(format!("{id}.json"))).unwrap();
    for (what, body) in [
        ("markdown", &md),
        ("json", &text(&json.stdout)),
        ("html", &page),
        ("session file", &session_file),
    ] {
        assert!(
            !body.contains("s3cretpw"),
            "the password leaked into the {what}"
        );
        assert!(
            body.contains("app:***@"),
            "the {what} does not show the redacted target"
        );
    }
}

#[test]
fn unreadable_session_files_are_named_and_never_touched() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let good = saved_check(data, "pw");
    let good_json = fs::read(sessions(data).join(format!("{good}.json"))).unwrap();
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "20200101-000000-aaaaaa",
            good_json[..good_json.len() / 2].to_vec(),
            "cut short",
        ),
        (
            "20200101-000000-bbbbbb",
            text(&good_json)
                .replacen("\"schema_version\": 1", "\"schema_version\": 7", 1)
                .into_bytes(),
            "newer connfix",
        ),
        ("20200101-000000-cccccc", Vec::new(), "empty"),
        (
            "20200101-000000-dddddd",
            vec![0x1f, 0x8b, 0x08, 0x00, 0xde, 0xad, 0xbe, 0xef, 0x00, 0xff],
            "not text",
        ),
    ];
    for (id, bytes, _) in &cases {
        fs::write(sessions(data).join(format!("{id}.json")), bytes).unwrap();
    }
    let list = text(&with_data(data, &["report", "list"]).stdout);
    for (id, bytes, why) in &cases {
        assert!(
            list.contains(&format!("{id}  unreadable: ")) && list.contains(why),
            "{id}: {list}"
        );
        for args in [
            vec!["report", "show", id],
            vec!["report", "export", id, "--format", "html"],
            vec!["resume", id],
        ] {
            let out = with_data(data, &args);
            let err = text(&out.stderr);
            assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
            assert_eq!(err.lines().count(), 1, "one line: {err}");
            assert!(err.contains(why) && err.contains(id), "{args:?}: {err}");
            assert!(out.stdout.is_empty(), "{args:?} printed something");
        }
        let after = fs::read(sessions(data).join(format!("{id}.json"))).unwrap();
        assert_eq!(&after, bytes, "{id} was changed");
    }
    // `last` skips the broken files and finds the good one.
    let md = text(&with_data(data, &["report", "show", "last"]).stdout);
    assert!(md.contains(&good), "{md}");
}

#[test]
fn session_ids_are_matched_by_prefix_and_ambiguity_is_explained() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let none = with_data(data, &["report", "show", "last"]);
    assert_eq!(none.status.code(), Some(2));
    assert!(
        text(&none.stderr).contains("no saved sessions"),
        "{}",
        text(&none.stderr)
    );
    let a = saved_check(data, "pw");
    let b = saved_check(data, "pw");
    assert_ne!(a, b);
    let common: String = a
        .chars()
        .zip(b.chars())
        .take_while(|(x, y)| x == y)
        .map(|(x, _)| x)
        .collect();
    let out = with_data(data, &["report", "show", &common]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("matches 2 sessions"),
        "{}",
        text(&out.stderr)
    );
    let out = with_data(data, &["report", "show", "nope"]);
    assert!(
        text(&out.stderr).contains("no session 'nope'"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn processes_saving_at_the_same_time_keep_their_own_sessions() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_path_buf();
    let port = closed_port();
    let children: Vec<_> = (0..6)
        .map(|_| {
            let mut c = connfix();
            c.env("XDG_DATA_HOME", &data)
                .args([
                    "check",
                    &format!("127.0.0.1:{port}"),
                    "--save",
                    "--timeout",
                    "2s",
                ])
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null());
            c.spawn().unwrap()
        })
        .collect();
    for mut c in children {
        assert_eq!(c.wait().unwrap().code(), Some(1));
    }
    let list = with_data(&data, &["report", "list", "--json"]);
    let rows: Value = serde_json::from_slice(&list.stdout).unwrap();
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 6, "{rows:?}");
    assert!(rows.iter().all(|r| {
        r["error"].is_null()
            && r["outcome"]
                .as_str()
                .unwrap()
                .starts_with("nothing-listening")
    }));
}

#[test]
fn an_unwritable_data_directory_is_reported_and_the_check_still_printed() {
    let dir = tempfile::tempdir().unwrap();
    // A file where the data directory should be: nothing can be created under it.
    let blocker = dir.path().join("not-a-dir");
    fs::write(&blocker, "x").unwrap();
    let port = closed_port();
    let out = with_data(
        &blocker,
        &["check", &format!("127.0.0.1:{port}"), "--save", "--json"],
    );
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("was not saved") && err.contains("Not a directory"),
        "{err}"
    );
    let v: Value = serde_json::from_slice(&out.stdout).expect("the report is still printed");
    assert_eq!(v["verdict"]["id"], "nothing-listening");
}

#[test]
fn a_full_disk_keeps_the_old_session_whole() {
    if !support::require(
        support::is_root(),
        "full-disk test",
        "needs root to mount a small tmpfs",
    ) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let mnt = dir.path().join("small");
    fs::create_dir(&mnt).unwrap();
    let mounted = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=256k", "tmpfs"])
        .arg(&mnt)
        .status()
        .is_ok_and(|s| s.success());
    if !support::require(mounted, "full-disk test", "mount -t tmpfs failed here") {
        return;
    }
    struct Unmount(PathBuf);
    impl Drop for Unmount {
        fn drop(&mut self) {
            let _ = Command::new("umount").arg(&self.0).status();
        }
    }
    let _guard = Unmount(mnt.clone());
    let first = saved_check(&mnt, "pw");
    let before = fs::read(sessions(&mnt).join(format!("{first}.json"))).unwrap();
    // Fill the disk to the last byte.
    let filler = mnt.join("filler");
    let mut f = fs::File::create(&filler).unwrap();
    let chunk = vec![0u8; 4096];
    while std::io::Write::write_all(&mut f, &chunk).is_ok() {}
    drop(f);
    let port = closed_port();
    let out = with_data(&mnt, &["check", &format!("127.0.0.1:{port}"), "--save"]);
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("No space left on device"), "{err}");
    // The earlier session is untouched and no half-written file or temp file is left.
    assert_eq!(
        fs::read(sessions(&mnt).join(format!("{first}.json"))).unwrap(),
        before
    );
    let names: Vec<String> = fs::read_dir(sessions(&mnt))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json") || n.ends_with(".tmp"))
        .collect();
    assert_eq!(names, [format!("{first}.json")]);
    let list = text(&with_data(&mnt, &["report", "list"]).stdout);
    assert!(
        list.contains(&first) && !list.contains("unreadable"),
        "{list}"
    );
}
