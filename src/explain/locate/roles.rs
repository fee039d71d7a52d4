//! The role of a place in the text: words that only fill a host's place, files that look
//! like hosts, and what the words before an address say about it (where a connection went,
//! or where it came from).

use crate::explain::scan::clean_host;

/// Words that fill a host's place in messages without being one, and files that look like
/// host names (`app.py`).
pub fn placeholder(host: &str) -> bool {
    placeholder_word(host) || is_source_file(host) || is_pointer(host)
}

/// A memory address printed where a host goes (`etcd-endpoints://0xc000350000/10.0.0.1:2379`).
/// Also Apple's Network framework connection ids (`[C1.1.2:2]`), which look like a host and
/// a port.
pub fn is_pointer(host: &str) -> bool {
    let connection_id = host.strip_prefix('C').is_some_and(|rest| {
        rest.contains('.')
            && rest
                .split('.')
                .all(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
    });
    connection_id
        || host
            .strip_prefix("0x")
            .is_some_and(|hex| hex.len() >= 4 && hex.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// A dotted number that is a version, not an address: after "version" or "v", with a
/// build number glued on (`0.9.11.5-293`), or starting with 0 (no host is 0.x.x.x).
pub fn looks_like_version(line: &str, start: usize, end: usize) -> bool {
    let ip = &line[start..end];
    let before = line[..start].trim_end().to_ascii_lowercase();
    let after = &line[end..];
    (ip.starts_with("0.") && ip != "0.0.0.0")
        || (after.starts_with(['-', '_', '+'])
            && after[1..].starts_with(|c: char| c.is_ascii_digit()))
        || [
            "version",
            "ver",
            "ver.",
            "release",
            "build",
            "firmware",
            "v",
            // rsync's own version at the end of its errors (`[Receiver=3.1.3.0]`).
            "receiver=",
            "sender=",
            "generator=",
        ]
        .iter()
        .any(|w| {
            before.ends_with(w)
                && !before[..before.len() - w.len()].ends_with(|c: char| c.is_ascii_alphanumeric())
        })
}

/// Words that fill a host's place in messages without being one.
pub fn placeholder_word(host: &str) -> bool {
    let h = host.to_ascii_lowercase();
    const WORDS: &[&str] = &[
        // The first half of a contraction ("server: Can't contact").
        "can",
        "couldn",
        "don",
        "won",
        "address",
        "addr",
        "ip",
        "host",
        "hostname",
        "server",
        "unable",
        "at",
        "no",
        "to",
        "from",
        "port",
        "line",
        "char",
        "col",
        "column",
        "error",
        "err",
        "warn",
        "warning",
        "info",
        "debug",
        "trace",
        "time",
        "pid",
        "code",
        "errno",
        "step",
        "id",
        "version",
        "null",
        "none",
        "nil",
        "undefined",
        "unknown",
        "localhost.localdomain.invalid",
        "tcp",
        "udp",
        "http",
        "https",
        "file",
        "thread",
        "main",
        "caused",
        "by",
        "in",
        "on",
        "the",
        "and",
        "or",
        "for",
        "is",
        "was",
        "with",
        "attempt",
        // `listen port 2222`, `local port 51000`: this end's own port, named by its role.
        "listen",
        "local",
        "retry",
        "try",
        "node",
        "message",
        "msg",
        "reason",
        "status",
        "details",
        "desc",
        "type",
        "name",
        "value",
        "true",
        "false",
        "level",
        "ts",
        "caller",
        "err",
        "target",
        "url",
        "uri",
        "path",
        "query",
        "data",
        "es",
        "fr",
        "de",
        "en",
        "cn",
        "iex",
        "irb",
        "pry",
        "ghci",
        "julia",
        "scala",
        "user",
        "root",
        "self",
        "this",
        "socket",
        "connect",
        "connection",
        "client",
        "stderr",
        "stdout",
        "refused",
        "failed",
        "closed",
        "open",
        "timeout",
        "timed",
        "reset",
        "errors",
        "web",
        "remote",
        "endpoint",
        "internal",
        "node",
        "dns",
        "net",
        "os",
        "get",
        "post",
        "put",
        "dial",
        "head",
        "delete",
        "patch",
        "options",
        "could",
        "not",
        "cannot",
        "forwarding",
        "listening",
        "binding",
        "using",
        "sending",
        "receiving",
        "default",
        "given",
        "specified",
        "any",
        // A stack frame of a shrunk Android build: `at a.b(SourceFile:223)`.
        "sourcefile",
    ];
    // Redacted or invented addresses (xxx.xxx.xxx.xxx, x.x.x.x, <ip>) name nothing.
    WORDS.contains(&h.as_str())
        || crate::explain::scan::is_placeholder(&h)
        // A timestamp (2023-04-01T12:33) read as host and port.
        || (h.len() > 5 && h.as_bytes()[..4].iter().all(u8::is_ascii_digit) && h.as_bytes()[4] == b'-')
}

/// `Foo.java:12`, `app.py:3`, `io.x.CommandHandler:217`: a file or class and a line, not a
/// host and port.
pub fn is_source_file(written: &str) -> bool {
    let lower = written.to_ascii_lowercase();
    let h = lower.as_str();
    const EXT: &[&str] = &[
        "java", "kt", "scala", "py", "rb", "go", "rs", "js", "mjs", "cjs", "ts", "tsx", "jsx", "c",
        "cc", "cpp", "h", "hpp", "cs", "php", "ex", "exs", "erl", "hrl", "dart", "swift", "lua",
        "pl", "pm", "jl", "hs", "cr", "nim", "zig", "ml", "clj", "groovy", "m", "mm", "sh", "ps1",
        "vue", "svelte", "json", "yaml", "yml", "toml", "xml", "html", "log", "txt", "conf", "cfg",
        "ini", "jar", "class", "dll", "exe", "so", "lock", "md",
        // A page's assets in a browser console (`logo.png:1 Failed to load resource`).
        "png", "jpg", "jpeg", "gif", "svg", "webp", "ico", "css", "htm", "woff", "woff2", "wasm",
    ];
    // Some extensions are also country domains (`pve.shigu.cc`, `mirror.lab.pl`): a name
    // of three or more plain labels there is a host, since files rarely have two dots.
    const COUNTRY: &[&str] = &[
        "cc", "pl", "pm", "sh", "so", "md", "ml", "rs", "cr", "py", "cs",
    ];
    let host_like = |ext: &str| {
        COUNTRY.contains(&ext)
            && h.split('.').count() >= 3
            && h.split('.').all(|l| {
                !l.is_empty()
                    && l.bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            })
    };
    // `io.lettuce.core.protocol.CommandHandler:217`: a class and a line in a log prefix;
    // no label of a host name is written in CamelCase.
    let class = written.rsplit_once('.').is_some_and(|(pkg, last)| {
        pkg.starts_with(|c: char| c.is_ascii_lowercase())
            && last.starts_with(|c: char| c.is_ascii_uppercase())
            && (last.as_bytes().windows(2))
                .any(|w| w[0].is_ascii_lowercase() && w[1].is_ascii_uppercase())
    });
    class
        || h.rsplit_once('.')
            .is_some_and(|(_, ext)| EXT.contains(&ext) && !h.starts_with("www.") && !host_like(ext))
}

/// A host as the extractor takes it: cleaned, not a placeholder, not a bare number.
pub fn host_of(raw: &str) -> Option<String> {
    let raw = raw.trim_matches(|c| matches!(c, '`' | '“' | '”' | '‘' | '’'));
    // `name/ip` (Java's resolved address): the name is what the program was asked for,
    // unless it is only a word (`connect to/10.0.0.5`).
    let raw = match raw.split_once('/') {
        Some((name, _)) if !name.is_empty() && !placeholder(name) => name,
        Some((_, ip)) if !ip.is_empty() => ip,
        Some((_, ip)) => ip,
        None => raw,
    };
    let h = clean_host(raw)?;
    (!placeholder(&h)).then_some(h)
}

/// kubectl cluster-info's `Kubernetes control plane is running at https://…` (`master` in
/// older versions): the API server the client talks to, not a server announcing itself.
pub fn names_api_server(lower: &str) -> bool {
    lower.contains("master is running at") || lower.contains("control plane is running at")
}

/// The text ends with the word (or words) `w`, not with the end of a longer word
/// (`ModbusTcpClient(` is a call and `quiche-client` a program, not "client").
fn ends_with_word(tail: &str, w: &str) -> bool {
    tail.strip_suffix(w).is_some_and(|rest| {
        if !w.starts_with(|c: char| c.is_ascii_alphanumeric()) {
            return true;
        }
        // The last part of a compound name (`quiche-client`, `bin/client`) is not the
        // word; a flag's last part is (`--proxy-server=`, `-connect`).
        let token = rest.rsplit(char::is_whitespace).next().unwrap_or("");
        let glued = rest.ends_with(|c: char| c.is_ascii_alphanumeric() || c == '_');
        let compound = rest.ends_with(['-', '/', '.']) && !token.starts_with('-');
        !(glued || compound)
    })
}

/// What the text just before a candidate says about its role: negative when it is the
/// source of a connection, a log line's own origin or a resolver, positive after "to".
pub fn role_before(before: &str) -> i32 {
    let b = before.to_ascii_lowercase();
    // An address in brackets after a name (`36 bytes from gw.lan (10.0.0.1)`, `connecting to
    // db.lan (10.0.0.5)`) is that name's address and plays its part. A call (`connect(`)
    // has no space before its bracket.
    if let Some(named) = b.trim_end_matches(' ').strip_suffix(" (") {
        let name_at = named.rfind(char::is_whitespace).map_or(0, |i| i + 1);
        let name = &named[name_at..];
        let host_like = name.contains('.')
            && name
                .bytes()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'-' | b'_'));
        if host_like {
            return role_before(&before[..name_at]);
        }
    }
    // Blanked text (OpenVPN's `[AF_INET]`) leaves spaces that must not fill the tail.
    let tail: String = b
        .trim_end_matches(' ')
        .chars()
        .rev()
        .take(24)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    // An address handed to a call or a literal (`grpc.insecure_channel('db:50051')`,
    // `Dial("db:80")`, Go's `[]string{"db:9092"}`):
    // the program asked for it.
    let argument = b
        .trim_end_matches(['"', '\'', '`', ' '])
        .strip_suffix(['(', '{'])
        .is_some_and(|call| call.ends_with(|c: char| c.is_ascii_alphanumeric() || c == '_'));
    let tail = tail.trim_end_matches(['[', '(', '"', '\'', '/', ' ', '`', '<', ':', '=', '：']);
    const AWAY: &[&str] = &[
        "see",
        "see:",
        "here:",
        "details:",
        "visit",
        "docs:",
        "help:",
        "more:",
        "call from",
        "from",
        "for",
        "client:",
        "client",
        // An API server's request log names who asked (`"ip_addr":"10.0.0.9"`).
        "ip_addr",
        "client_ip",
        "local",
        "laddr",
        "source",
        "src",
        "listening on",
        "listen on",
        // A server announcing itself (`server started at http://0.0.0.0:7300`).
        "listening at",
        "started at",
        "started on",
        "running at",
        "running on",
        "serving on",
        "serving at",
        "available at",
        "ready at",
        "ready on",
        "bound to",
        "bind",
        "peer address",
        "self",
        "by",
        "本地地址",
        // SQLAlchemy's link to its documentation after every error.
        "on this error at",
        // The page a request came from, in Apache's and nginx's error logs.
        "referer",
        "referrer",
    ];
    const TOWARD: &[&str] = &[
        "to",
        "connect",
        "connecting to",
        "server:",
        "server",
        "upstream:",
        "upstream",
        "host",
        "target",
        "remote",
        "endpoint",
        "dial tcp",
        "dial",
        "->",
        "at",
        "url:",
        "url",
        "tried:",
        "contact points",
        "connectstring",
        "connection string",
        "dst",
        "destination",
        "raddr",
        // Chinese "(visited / server / target) address".
        "地址",
        "ssh address",
        "server address",
        "remote address",
        "target address",
        // A connection made before a TLS or protocol failure (stunnel's `connect_blocking:
        // connected 10.0.0.5:2181`, OpenVPN's `TCP connection established with x`).
        "connected",
        "established with",
        "connection with",
        // impacket's `Connection error (db:445)`.
        "connection error",
    ];
    // What a lookup was for is what it failed to find (`DNS entry for x`, `no address
    // for x`, `host lookup failure for "x"`), though "for" usually names a source or a
    // purpose.
    const LOOKED_UP: &[&str] = &[
        "entry for",
        "record for",
        "records for",
        "address for",
        "addresses for",
        "lookup for",
        "resolution for",
        "query for",
        "resolve for",
        // emesene's `Couldn't resolve hostname for "x"`.
        "hostname for",
        "failure for",
        "failed for",
        "error for",
        "bad address",
        // The peer that did not answer (SNMP's `Timeout: No Response from x`).
        "no response from",
        // What nmap probed (`Nmap scan report for x [host down]`).
        "scan report for",
    ];
    // A package source (`service index for source https://…`, PowerShellGet's `resolve
    // package source 'https://…'`) is where the client went.
    if LOOKED_UP.iter().any(|w| ends_with_word(tail, w))
        || ends_with_word(tail, "for source")
        || ends_with_word(tail, "package source")
    {
        return 2;
    }
    // nginx's error log names its own virtual host after the client (`client: 10.0.0.9,
    // server: shop.lan, request: …`): the upstream is elsewhere on the line.
    // Its `host: "…"` is the Host header the client sent to nginx, not where nginx went.
    if (ends_with_word(tail, "server") || ends_with_word(tail, "host")) && b.contains(", client: ")
    {
        return -8;
    }
    // Apache's error log the same way (`[client 10.0.0.9] … (server shop.lan:443)`), and
    // a mail server's record of a client (dovecot's `rip=` and `lip=`): a server's own
    // names and its client, never a place it went.
    if (ends_with_word(tail, "server") && b.contains("[client "))
        || ((ends_with_word(tail, "rip") || ends_with_word(tail, "lip")) && b.contains("-login:"))
    {
        return -8;
    }
    // A client built for an address (`Client('db.lan', port=9000)`) connects to it.
    if argument && ends_with_word(tail, "client") {
        return 2;
    }
    // A page to read: rsyslog's pointer for an error (`[v8.2102.0 try https://…/e/2083]`)
    // and a status page to check (`check https://status.lan/ for status updates`). A
    // plain "try" names the place that failed ("when I try http://localhost:3000").
    let pointer = (ends_with_word(tail, "try")
        && b.split_whitespace()
            .rev()
            .nth(1)
            .is_some_and(|w| w.starts_with("[v")))
        || ends_with_word(tail, "check");
    if pointer {
        return -8;
    }
    if ends_with_word(tail, "running at") && names_api_server(&b) {
        return 2;
    }
    if AWAY.iter().any(|w| ends_with_word(tail, w)) {
        // "fetch certificate from X", "download from X", "pull from X", "request headers
        // from X", "no response from X": the place fetched from is where the connection
        // went.
        const FETCH: &[&str] = &[
            "fetch", "download", "pull", "retriev", "receiv", "get", "load", "read", "clone",
            "updat", "sync", "request", "query", "obtain", "respon",
            // Gradle's `Could not install Gradle distribution from 'https://…'`.
            "install",
        ];
        // A request sent from X (`error sending request from 127.0.0.1:50472 for …`) names
        // the local end. Six words reach pip's `Obtaining dependency information for x
        // from https://…`.
        let words = || b.split_whitespace().rev().take(6);
        let fetched = tail.ends_with("from")
            && words().any(|w| FETCH.iter().any(|f| w.starts_with(f)))
            && !words().any(|w| w.starts_with("send"));
        if !fetched {
            return -8;
        }
        return 2;
    }
    if argument || TOWARD.iter().any(|w| ends_with_word(tail, w)) {
        return 2;
    }
    0
}
