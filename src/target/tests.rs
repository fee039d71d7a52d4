use super::redact::*;
use super::*;
use std::path::PathBuf;

fn services() -> Services {
    Services::bundled()
}

#[test]
fn secrets_in_pasted_text_are_hidden_in_their_common_shapes() {
    let r = redact_text;
    assert_eq!(
        r("args {'host': 'db', 'password': 'hunter2'}"),
        "args {'host': 'db', 'password': ***"
    );
    assert_eq!(r("password:hunter2 here"), "password:*** here");
    assert_eq!(
        r("Authorization:Bearer abc.def"),
        "Authorization:Bearer ***"
    );
    assert_eq!(
        r("$ mysql -uroot -phunter2 -h db"),
        "$ mysql -uroot -p*** -h db"
    );
    assert_eq!(
        r("$ redis-cli -a hunter2 -h cache"),
        "$ redis-cli -a *** -h cache"
    );
    assert_eq!(
        r("DATABASE_URL=postgres://app:hun"),
        "DATABASE_URL=postgres://app:***"
    );
    assert_eq!(r("url postgres://app:hun"), "url postgres://app:***");
    assert_eq!(
        r("see http://localhost:8080/x"),
        "see http://localhost:8080/x"
    );
    assert_eq!(
        r("urllib3.exceptions.NewConnectionError: x"),
        "urllib3.exceptions.NewConnectionError: x"
    );
}

fn p(s: &str) -> Result<Target, TargetError> {
    parse(s, ParseOptions::default(), &services(), &|_| None)
}

#[test]
fn notes_lose_their_secrets() {
    let note = "tried postgres://app:hunter2@db:5432/app with PGPASSWORD=hunter2 and Authorization: Bearer abc.def then token 9f8e7d6c5b4a39281706f5e4d3c2b1a0";
    let r = redact_text(note);
    assert!(!r.contains("hunter2"), "{r}");
    assert!(!r.contains("abc.def"), "{r}");
    assert!(!r.contains("9f8e7d6c5b4a"), "{r}");
    assert!(r.contains("postgres://app:***@db:5432/app"), "{r}");
    assert!(r.contains("PGPASSWORD=***"), "{r}");
    assert_eq!(
        redact_text("restarted the pod at 10:02"),
        "restarted the pod at 10:02"
    );
    // Prose about a password keeps its words; a value after the name still goes.
    let prose = "no password is set for the default user; give it a password (requirepass)";
    assert_eq!(redact_text(prose), prose);
    assert_eq!(
        redact_text("password hunter2 is wrong"),
        "password *** is wrong"
    );
    assert_eq!(redact_text("--password hunter2"), "--password ***");
    // A port at a sentence's end and a class's name are no secrets.
    let docker = "Cannot connect to the Docker daemon at tcp://127.0.0.1:2375. Is it running?";
    assert_eq!(redact_text(docker), docker);
    let class = "FailedConnectionException2 \"mipt.lan\" 80 False";
    assert_eq!(redact_text(class), class);
    assert_eq!(redact_text("postgres://app:hun"), "postgres://app:***");
    let predis = "ConnectionException: Connection refused [tcp://127.0.0.1:6379]";
    assert_eq!(redact_text(predis), predis);
    // Names that only sound secret: Apple's error keys with small numbers, a key struct's
    // fields, null values and snake-case function names stay.
    for kept in [
        "UserInfo={_kCFStreamErrorCodeKey=61, _kCFStreamErrorDomainKey=1}",
        "ConnectionKey(host='localhost', port=8080, proxy=None, proxy_auth=None)",
        "libssh2_userauth_publickey_fromfile_ex failed",
    ] {
        assert_eq!(redact_text(kept), kept);
    }
    assert_eq!(redact_text("password=1234"), "password=***");
    assert_eq!(redact_text("proxy_auth=hunter2,"), "proxy_auth=***");
    assert_eq!(redact_text("api_key=8f3k2m9x7q1w4e6r"), "api_key=***");
    assert_eq!(redact_text("sk_live_51HxYzAbCdEfGhIjKlMnOp"), "***");
}

#[test]
fn host_port_forms() {
    let t = p("db.example.com:5432").unwrap();
    assert_eq!(t.host.as_deref(), Some("db.example.com"));
    assert_eq!(t.port, Some(5432));
    let t = p("[::1]:8080").unwrap();
    assert_eq!(t.host.as_deref(), Some("::1"));
    assert_eq!(t.redacted, "[::1]:8080");
    let t = p("127.0.0.1:1").unwrap();
    assert_eq!(t.ip(), Some("127.0.0.1".parse().unwrap()));
}

#[test]
fn bare_host_needs_port() {
    let e = p("db").unwrap_err().0;
    assert!(e.contains("no port") && e.contains("--port"), "{e}");
    let t = parse("::1", ParseOptions { port: Some(22) }, &services(), &|_| {
        None
    })
    .unwrap();
    assert_eq!((t.host.as_deref(), t.port), (Some("::1"), Some(22)));
}

#[test]
fn urls_take_default_ports_and_hide_passwords() {
    let t = p("postgres://app:hunter2@db:5432/app").unwrap();
    assert_eq!(t.port, Some(5432));
    assert_eq!(t.redacted, "postgres://app:***@db:5432/app");
    assert!(!format!("{t:?}").contains("hunter2"));
    let t = p("https://example.com/hook").unwrap();
    assert_eq!((t.port, t.default_port), (Some(443), true));
    let t = p("redis://:s3cret@cache").unwrap();
    assert_eq!(t.port, Some(6379));
    assert!(!t.redacted.contains("s3cret"));
    let t = p("HTTP://[::1]:3000/x").unwrap();
    assert_eq!(t.scheme.as_deref(), Some("http"));
    assert_eq!(t.host.as_deref(), Some("::1"));
}

#[test]
fn tokens_in_paths_and_queries_are_redacted() {
    let t =
        p("https://hooks.example.com/services/T0123/B0456/abcdEFGH1234ijklMNOP5678?token=xyz&x=1")
            .unwrap();
    assert!(!t.redacted.contains("abcdEFGH1234"), "{}", t.redacted);
    assert!(!t.redacted.contains("xyz"), "{}", t.redacted);
    assert!(t.redacted.contains("x=1"));
}

#[test]
fn unix_forms() {
    let t = p("unix:/run/app.sock").unwrap();
    assert_eq!(t.unix_path, Some(PathBuf::from("/run/app.sock")));
    let t = p("/var/run/docker.sock").unwrap();
    assert!(t.is_unix());
    let t = p("unix:///var/run/docker.sock").unwrap();
    assert_eq!(t.unix_path, Some(PathBuf::from("/var/run/docker.sock")));
}

#[test]
fn env_references() {
    let env = |n: &str| (n == "DATABASE_URL").then(|| "postgres://u:pw@db/app".to_string());
    let t = parse(
        "env:DATABASE_URL",
        ParseOptions::default(),
        &services(),
        &env,
    )
    .unwrap();
    assert_eq!(t.input, "env:DATABASE_URL");
    assert_eq!(t.port, Some(5432));
    assert!(!t.redacted.contains("pw@"));
    let t = parse(
        "${DATABASE_URL}",
        ParseOptions::default(),
        &services(),
        &env,
    )
    .unwrap();
    assert_eq!(t.from_env.as_deref(), Some("DATABASE_URL"));
    let e = parse("$NOPE", ParseOptions::default(), &services(), &env).unwrap_err();
    assert!(e.0.contains("NOPE is not set"), "{e}");
}

#[test]
fn bad_input_gets_one_line_errors() {
    for (input, needle) in [
        ("db:0", "port 0"),
        ("db:70000", "out of range"),
        ("db:http", "not a port number"),
        (":5432", "no host"),
        ("foo://host", "unknown scheme 'foo'"),
        ("http://exa mple.com", "space"),
        ("", "empty"),
        ("http://", "no host"),
        ("ex!ample:80", "contains '!'"),
        ("[::1:80", "never closes"),
        ("a:b:c", "neither host:port"),
        ("mongodb://h1:1,h2:2/db", "several hosts"),
        ("db:5432\nrm -rf", "control character"),
    ] {
        let e = p(input).unwrap_err().0;
        assert!(e.contains(needle), "{input:?} -> {e}");
        assert!(!e.contains('\n'), "{input:?} -> multi-line error");
    }
    let long = "a".repeat(10_000);
    assert!(p(&long).unwrap_err().0.contains("10000 bytes"));
}

#[test]
fn errors_never_echo_passwords() {
    let e = p("postgres://u:hunter2@db :5432").unwrap_err().0;
    assert!(!e.contains("hunter2"), "{e}");
}

/// Random and mutated inputs never panic, and every error is a single line.
#[test]
fn random_input_never_panics() {
    let seeds = [
        "postgres://u:p@[::1]:5432/db?sslmode=require",
        "env:X",
        "unix:/a",
        "h:1",
        "https://x/y#z",
    ];
    let alphabet: Vec<char> = ":/@[]?#%$={}.,- \t\u{0}\u{7f}é漢0123456789abcxyzHTTPS"
        .chars()
        .collect();
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let env = |n: &str| (n == "X").then(|| "redis://cache".to_string());
    let services = services();
    for round in 0..20_000 {
        let mut text: Vec<char> = seeds[round % seeds.len()].chars().collect();
        for _ in 0..(next() % 6) {
            let pos = (next() as usize) % (text.len() + 1);
            match next() % 3 {
                0 => text.insert(pos, alphabet[(next() as usize) % alphabet.len()]),
                1 if pos < text.len() => {
                    text.remove(pos);
                }
                _ => text.truncate(pos),
            }
        }
        let input: String = text.into_iter().collect();
        if let Err(e) = parse(&input, ParseOptions::default(), &services, &env) {
            assert!(!e.0.contains('\n'), "{input:?} -> {e}");
        }
    }
}

#[test]
fn awkward_passwords_never_echo() {
    for input in [
        "postgres://app:pa#ss@db/app",
        "postgres://app:1234#x@db/app",
        "postgres://u:pa/ss@db",
        "redis://:se?cret@cache:6379",
    ] {
        match p(input) {
            Err(e) => {
                for secret in ["pa#ss", "1234#x", "pa/ss", "se?cret"] {
                    assert!(!e.0.contains(secret), "{input} -> {e}");
                }
            }
            Ok(t) => panic!("{input} parsed as {:?}", t.host),
        }
    }
    let hint = p("postgres://app:pa#ss@db/app").unwrap_err().0;
    assert!(
        hint.contains("the password in this postgres:// URL") && hint.contains("p%23ss@host"),
        "{hint}"
    );
    assert_eq!(
        p("https://mastodon.example/@someone")
            .unwrap()
            .host
            .as_deref(),
        Some("mastodon.example")
    );
    let env = |_: &str| Some("user:hunter2@tcp(db:3306)/app".to_string());
    let e = parse("env:DSN", ParseOptions::default(), &services(), &env)
        .unwrap_err()
        .0;
    assert!(!e.contains("hunter2") && e.contains("DSN"), "{e}");
    assert!(!p("app:s3cret@db").unwrap_err().0.contains("s3cret"));
}

/// Secrets where redaction used not to look: a path-like target holding a URL, a URL
/// fragment, and userinfo nested in a path, query or fragment. No field keeps them.
#[test]
fn secrets_in_odd_places_are_redacted() {
    let fields = |t: &Target| format!("{} {} {:?} {:?}", t.input, t.redacted, t.unix_path, t.path);
    for (input, shown) in [
        (
            "/postgres://app:hunter2@db:5432/x",
            "unix:/postgres://app:***@db:5432/x",
        ),
        (
            "unix:/tmp/redis://:hunter2@cache",
            "unix:/tmp/redis://:***@cache",
        ),
        (
            "unix:///srv/x?u=http://a:hunter2@b/c",
            "unix:/srv/x?u=http://a:***@b/c",
        ),
        ("./sock/app:hunter2@host", "unix:./sock/app:***@host"),
        (
            "/postgres://app:hun/ter2@db/x",
            "unix:/postgres://app:***@db/x",
        ),
        (
            "https://example.com/cb#access_token=hunter2&expires_in=3600",
            "https://example.com/cb#access_token=***&expires_in=3600",
        ),
        (
            "https://app.example.com/#/login?token=hunter2&next=%2F",
            "https://app.example.com/#/login?token=***&next=%2F",
        ),
        (
            "http://127.0.0.1:9/x?next=http://a:hunter2@b/c",
            "http://127.0.0.1:9/x?next=http://a:***@b/c",
        ),
        (
            "http://127.0.0.1:9/x/http://a:hunter2@b/c",
            "http://127.0.0.1:9/x/http://a:***@b/c",
        ),
        (
            "http://127.0.0.1:9/x#http://a:hunter2@b/c",
            "http://127.0.0.1:9/x#http://a:***@b/c",
        ),
    ] {
        let t = p(input).unwrap_or_else(|e| panic!("{input}: {e}"));
        assert_eq!(t.redacted, shown, "{input}");
        for secret in ["hunter2", "hun", "ter2"] {
            assert!(!fields(&t).contains(secret), "{input} -> {}", fields(&t));
        }
        assert!(!format!("{t:?}").contains("hunter2"), "{input}");
    }
    // What is not a secret stays: socket paths named after long ids, anchors, handles,
    // and the path of a unix socket as given.
    let id = "/run/containerd/s/3f2a9c1b7d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f607182";
    assert_eq!(p(id).unwrap().unix_path, Some(PathBuf::from(id)));
    let t = p("unix:/run/app.sock").unwrap();
    assert_eq!(
        (t.input.as_str(), t.redacted.as_str()),
        ("unix:/run/app.sock", "unix:/run/app.sock")
    );
    assert_eq!(
        p("https://docs.example/page#section-2").unwrap().redacted,
        "https://docs.example/page#section-2"
    );
    assert_eq!(
        p("https://social.example/@someone").unwrap().redacted,
        "https://social.example/@someone"
    );
    assert_eq!(
        p("https://x.example/?mail=me@example.com")
            .unwrap()
            .redacted,
        "https://x.example/?mail=me@example.com"
    );
    // Messages quoting a target that did not parse hide them too.
    let e = p("https://exa mple.com/cb#access_token=hunter2")
        .unwrap_err()
        .0;
    assert!(
        !e.contains("hunter2") && e.contains("access_token=***"),
        "{e}"
    );
    for input in [
        "db:5432?password=hunter2",
        "db:5432#access_token=hunter2",
        "db:x/u:hunter2@h",
    ] {
        let e = p(input).unwrap_err().0;
        assert!(!e.contains("hunter2"), "{input} -> {e}");
    }
}

#[test]
fn loose_redaction() {
    assert_eq!(
        redact_loose("http://u:p@ss@proxy:3128"),
        "http://u:***@proxy:3128"
    );
    assert_eq!(redact_loose("user:pass@proxy:3128"), "user:***@proxy:3128");
    assert_eq!(redact_loose("http://proxy:3128"), "http://proxy:3128");
}
