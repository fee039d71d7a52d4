//! The place a fetching command line goes to when it is written without a scheme (`curl -v
//! api.lan`, `curl -F "f=@x" esp.local/update`, PowerShell's `iwr -useb get.lan | iex`):
//! curl then speaks http, and PowerShell's Invoke-WebRequest and Invoke-RestMethod put
//! `http://` before a URI that has no scheme; port 80 unless the argument names one.
//! HTTPie's `http` and `https` commands do the same, with 80 and 443.
//! Scheme'd URLs are read by the URL form; this finds the bare ones.

use crate::explain::scan::split_addr;

/// curl's options that take a value: the word after them is that value, not the place.
const TAKES_VALUE: &[&str] = &[
    "-o",
    "-X",
    "-H",
    "-d",
    "-F",
    "-u",
    "-x",
    "-A",
    "-e",
    "-b",
    "-c",
    "-T",
    "-m",
    "-w",
    "-K",
    "-E",
    "-C",
    "-r",
    "-U",
    "-Y",
    "-y",
    "-z",
    "-Q",
    "--output",
    "--request",
    "--header",
    "--data",
    "--data-raw",
    "--data-binary",
    "--data-urlencode",
    "--form",
    "--user",
    "--proxy",
    "--user-agent",
    "--referer",
    "--cookie",
    "--cookie-jar",
    "--upload-file",
    "--max-time",
    "--connect-timeout",
    "--write-out",
    "--config",
    "--cert",
    "--key",
    "--cacert",
    "--capath",
    "--resolve",
    "--connect-to",
    "--retry",
    "--retry-delay",
    "--interface",
    "--limit-rate",
    "--range",
    "--proxy-user",
    "--dns-servers",
    "--unix-socket",
    "--socks5",
    "--socks5-hostname",
    "--preproxy",
    "--noproxy",
    "--json",
];

/// PowerShell's options of Invoke-WebRequest and Invoke-RestMethod that take a value (in
/// any case); `-Uri`'s value is the place itself.
const PS_TAKES_VALUE: &[&str] = &[
    "-outfile",
    "-method",
    "-headers",
    "-body",
    "-contenttype",
    "-proxy",
    "-proxycredential",
    "-credential",
    "-timeoutsec",
    "-useragent",
    "-sessionvariable",
    "-websession",
    "-infile",
    "-maximumredirection",
    "-certificate",
];

/// The commands read here, whether they are PowerShell's (whose options are written in
/// any case), and the port a bare place gets: HTTPie's `https` command speaks TLS.
const FETCHERS: &[(&str, bool, u16)] = &[
    ("curl ", false, 80),
    ("iwr ", true, 80),
    ("irm ", true, 80),
    ("Invoke-WebRequest ", true, 80),
    ("Invoke-RestMethod ", true, 80),
    ("http ", false, 80),
    ("https ", false, 443),
];

/// HTTPie's request methods, written before the place (`http POST api.lan/x`).
const METHODS: &[&str] = &["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

/// The option takes a value, so the word after it is no place.
fn takes_value(option: &str, powershell: bool) -> bool {
    if powershell {
        PS_TAKES_VALUE.contains(&option.to_ascii_lowercase().as_str())
    } else {
        TAKES_VALUE.contains(&option)
    }
}

/// Where the arguments of `command` (written with its trailing space) start, when the line
/// runs it.
fn command_arguments(line: &str, command: &str) -> Option<usize> {
    // Only where a command starts: the line's start, after a prompt, a pipe, `sudo`, an
    // opening quote in prose, or an image's name (`docker run curlimages/curl curl x`)
    // ("curl error: Could not resolve host: x" is a message, not a command).
    line.match_indices(command).find_map(|(at, _)| {
        let before = line[..at].trim_end();
        let starts = before.is_empty()
            || ["$", "#", ">", "|", "&&", ";", "sudo", "\"", "`", "/curl"]
                .iter()
                .any(|w| before.ends_with(w));
        starts.then_some(at + command.len())
    })
}

/// The proxy a curl command goes through (`-x http://proxy.lan:3128`, `--proxy p:8118`):
/// curl connects there, whatever URL it asks for. The span is the option's value.
pub fn curl_proxy(line: &str) -> Option<(usize, usize)> {
    let from = command_arguments(line, "curl ")?;
    let all = words(line, from);
    let at = all
        .iter()
        .position(|(_, w)| matches!(*w, "-x" | "--proxy"))?;
    let (start, value) = all.get(at + 1)?;
    Some((*start, start + value.len()))
}

/// The span, host and port of the first bare place on a curl or PowerShell fetch line.
pub fn fetch_bare_target(line: &str) -> Option<((usize, usize), String, u16)> {
    let (from, powershell, default_port) = FETCHERS
        .iter()
        .find_map(|&(command, ps, port)| Some((command_arguments(line, command)?, ps, port)))?;
    let mut skip_next = false;
    for (start, word) in words(line, from) {
        if matches!(word, "|" | ";" | "&&" | "||" | ">" | ">>") {
            return None;
        }
        if std::mem::take(&mut skip_next) {
            continue;
        }
        if word.starts_with('-') {
            skip_next = takes_value(word, powershell);
            continue;
        }
        if METHODS.contains(&word) {
            continue;
        }
        let bare = word.trim_matches(['"', '\'']);
        if bare.contains("://") {
            return None;
        }
        let authority = bare.split(['/', '?', '#']).next().unwrap_or("");
        let place = split_addr(authority).filter(|(host, _)| {
            host == "localhost"
                || host.parse::<std::net::IpAddr>().is_ok()
                || (host.contains('.')
                    && host.ends_with(|c: char| c.is_ascii_alphabetic())
                    && !authority.contains('@'))
        });
        // The first argument that is no place ends the reading: a command's arguments are
        // places and files, and prose ("curl error: …") is neither.
        return place.map(|(host, port)| {
            (
                (start, start + word.len()),
                host,
                port.unwrap_or(default_port),
            )
        });
    }
    None
}

/// The words of a command from `from` on, with their byte offsets; a quoted word keeps its
/// spaces (`-d '{"a": 1}'` is one word).
fn words(line: &str, from: usize) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let bytes = line.as_bytes();
    let mut i = from;
    while i < bytes.len() {
        if bytes[i].is_ascii_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        let mut quote: Option<u8> = None;
        while i < bytes.len() {
            let b = bytes[i];
            match quote {
                Some(q) if b == q => quote = None,
                Some(_) => {}
                None if b == b'\'' || b == b'"' => quote = Some(b),
                None if b.is_ascii_whitespace() => break,
                None => {}
            }
            i += 1;
        }
        out.push((start, &line[start..i]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bare_curl_argument_is_an_http_place() {
        let target = |l: &str| fetch_bare_target(l).map(|(_, h, p)| (h, p));
        assert_eq!(
            target("curl -v -s api.lan | bash"),
            Some(("api.lan".into(), 80))
        );
        assert_eq!(
            target("   curl -F \"image=@x.bin\" esp.local/update"),
            Some(("esp.local".into(), 80))
        );
        assert_eq!(
            target("$ curl -X POST -d '{\"a\": \"b.lan\"}' localhost:8081"),
            Some(("localhost".into(), 8081))
        );
        // The value of an option is not the place; a scheme'd URL is read elsewhere.
        assert_eq!(target("curl -x proxy.lan:3128 -o out.txt"), None);
        assert_eq!(target("curl https://api.lan/"), None);
        // A file name is not a host, and `libcurl ` is not the command.
        assert_eq!(target("curl -T notes.txt"), None);
        assert_eq!(target("libcurl api.lan"), None);
        assert_eq!(target("curl error: Could not resolve host: api.lan"), None);
        // PowerShell's fetchers put `http://` before a bare name too.
        assert_eq!(
            target("PS C:\\> iwr -useb get.lan | iex"),
            Some(("get.lan".into(), 80))
        );
        assert_eq!(
            target("Invoke-WebRequest -OutFile x.zip -Uri dl.lan:8080/x.zip"),
            Some(("dl.lan".into(), 8080))
        );
        // HTTPie, after its method; its `https` command defaults to 443.
        assert_eq!(
            target("$ http POST api.lan/items"),
            Some(("api.lan".into(), 80))
        );
        assert_eq!(target("https shop.lan"), Some(("shop.lan".into(), 443)));
        assert_eq!(target("http error: something went wrong"), None);
    }

    #[test]
    fn curl_goes_to_its_proxy() {
        let line = "I ran \"curl -x http://localhost:8118 http://ip.lan/\" and";
        let (a, b) = curl_proxy(line).expect("a proxy");
        assert_eq!(&line[a..b], "http://localhost:8118");
        assert_eq!(curl_proxy("curl http://ip.lan/"), None);
    }
}
