//! Each subcommand's `--help` lists the flags it honours and no others (issue 18: the
//! diagnosis flags used to be global and showed up everywhere).

mod support;

use support::cli;

/// The long flags `connfix ARGS --help` lists.
fn flags(args: &[&str]) -> Vec<String> {
    let out = cli::connfix().args(args).arg("--help").output().unwrap();
    assert!(out.status.success(), "{args:?} --help: {out:?}");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| {
            let l = l
                .trim_start()
                .trim_start_matches("-h, ")
                .trim_start_matches("-q, ");
            l.starts_with("--")
                .then(|| l.split([' ', ',']).next().unwrap_or("").to_string())
        })
        .collect()
}

#[test]
fn each_subcommand_lists_only_its_own_flags() {
    const DIAGNOSE: [&str; 6] = [
        "--timeout",
        "--dns-server",
        "--public",
        "--answer",
        "--port",
        "--from",
    ];
    let cases: [(&[&str], &[&str], &[&str]); 10] = [
        (&["check"], &DIAGNOSE, &["--log-file"]),
        (&["check"], &["--json", "--save"], &[]),
        (
            &["wait"],
            &["--timeout", "--port", "--from", "--quiet"],
            &[
                "--public",
                "--dns-server",
                "--answer",
                "--log-file",
                "--json",
            ],
        ),
        (&["watch"], &DIAGNOSE, &[]),
        (&["watch"], &["--json", "--log-file", "--interval"], &[]),
        (&["kb"], &["--json"], &DIAGNOSE),
        (&["report"], &["--json"], &DIAGNOSE),
        (&["report", "list"], &["--json"], &["--log-file"]),
        (
            &["demo"],
            &["--json", "--timeout", "--log-file"],
            &["--public", "--port"],
        ),
        (&["completions"], &[], &["--json", "--timeout", "--public"]),
    ];
    for (args, listed, absent) in cases {
        let got = flags(args);
        for f in listed {
            assert!(
                got.iter().any(|g| g == f),
                "{args:?} --help lacks {f}: {got:?}"
            );
        }
        for f in absent {
            assert!(
                !got.iter().any(|g| g == f),
                "{args:?} --help lists {f}: {got:?}"
            );
        }
    }
}

#[test]
fn the_top_level_keeps_the_flags_of_connfix_target() {
    let got = flags(&[]);
    for f in ["--json", "--timeout", "--public", "--from", "--log-file"] {
        assert!(
            got.iter().any(|g| g == f),
            "connfix --help lacks {f}: {got:?}"
        );
    }
}
