//! Shell completions and the man page come from the same clap definition as the parser, so
//! they cannot drift from the flags; these tests load them in the real shells.

mod support;

use support::cli::*;

#[test]
fn bash_completion_loads_and_completes_subcommands() {
    let script = run(&["completions", "bash"]);
    assert!(script.status.success());
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("connfix.bash");
    std::fs::write(&file, &script.stdout).unwrap();
    // Load it, then ask for the words after "connfix ch".
    let probe = format!(
        "source {}; COMP_WORDS=(connfix ch); COMP_CWORD=1; _connfix connfix ch connfix; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
        file.display()
    );
    let out = std::process::Command::new("bash")
        .args(["-c", &probe])
        .output()
        .unwrap();
    let words = String::from_utf8_lossy(&out.stdout);
    assert!(words.lines().any(|w| w == "check"), "{words}");
    assert!(words.lines().any(|w| w == "checklist"), "{words}");
}

#[test]
fn every_shell_gets_a_script_and_a_bad_one_is_refused() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let out = run(&["completions", shell]);
        assert!(out.status.success(), "{shell}");
        assert!(
            String::from_utf8_lossy(&out.stdout).contains("connfix"),
            "{shell}"
        );
    }
    let out = run(&["completions", "tcsh"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(String::from_utf8_lossy(&out.stderr).lines().count(), 1);
}

#[test]
fn the_man_page_renders_with_man() {
    let page = run(&["man"]);
    assert!(page.status.success());
    let text = String::from_utf8_lossy(&page.stdout);
    assert!(
        text.starts_with(".ie") || text.contains(".TH connfix 1"),
        "{text}"
    );
    for flag in ["--from", "--timeout", "--json"] {
        assert!(text.contains(&flag.replace('-', "\\-")), "{flag} missing");
    }
    if support::require(
        support::have("man"),
        "rendering the man page with man",
        "man is not installed (Debian package man-db)",
    ) {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("connfix.1");
        std::fs::write(&file, &page.stdout).unwrap();
        let out = std::process::Command::new("man")
            .arg("-l")
            .arg(&file)
            .env("MANPAGER", "cat")
            .env("MANWIDTH", "80")
            .output()
            .unwrap();
        let shown = String::from_utf8_lossy(&out.stdout);
        assert!(
            shown.contains("SYNOPSIS") && shown.contains("check"),
            "{shown}"
        );
    }
}

/// zsh: the script is a `#compdef` function; compinit must pick it up from `fpath` and
/// register it for `connfix`, and zsh must parse it.
#[test]
fn zsh_completion_loads_and_registers_for_connfix() {
    if !support::require(support::have("zsh"), "zsh completion test", "needs zsh") {
        return;
    }
    let script = run(&["completions", "zsh"]);
    assert!(script.status.success());
    let text = String::from_utf8_lossy(&script.stdout);
    assert!(text.starts_with("#compdef connfix"), "{text}");
    for sub in ["check", "explain", "watch", "wait", "checklist", "resume"] {
        assert!(text.contains(sub), "{sub} missing");
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("_connfix"), &script.stdout).unwrap();
    let probe = format!(
        "zsh -n {dir}/_connfix || exit 2; fpath=({dir} $fpath); autoload -U compinit; \
         compinit -u -d {dir}/zcompdump; (( ${{+_comps[connfix]}} )) || exit 3; \
         print -r -- $_comps[connfix]",
        dir = dir.path().display()
    );
    let out = std::process::Command::new("zsh")
        .args(["-f", "-c", &probe])
        .env("HOME", dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "zsh did not load it ({}): {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "_connfix");
}
