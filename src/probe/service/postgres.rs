//! PostgreSQL: a StartupMessage (protocol 3.0, user and database, no password) and the
//! server's first reply: an authentication request (the path works), or an ErrorResponse
//! whose SQLSTATE says why it refused (28000: no pg_hba.conf entry; 57P03: starting up;
//! 53300: too many connections).

use super::{Answer, Outcome, Protocol};

/// The StartupMessage for `user` and `database`.
pub fn startup(user: &str, database: &str) -> Vec<u8> {
    let mut body = Vec::new();
    body.extend_from_slice(&196_608u32.to_be_bytes()); // protocol 3.0
    for (k, v) in [
        ("user", user),
        ("database", database),
        ("application_name", "connfix"),
    ] {
        body.extend_from_slice(k.as_bytes());
        body.push(0);
        body.extend_from_slice(v.as_bytes());
        body.push(0);
    }
    body.push(0);
    let mut out = ((body.len() + 4) as u32).to_be_bytes().to_vec();
    out.extend(body);
    out
}

/// The length of the first backend message in `buf` (type byte included), when known.
pub fn message_len(buf: &[u8]) -> Option<usize> {
    if !matches!(buf.first()?, b'R' | b'E' | b'N' | b'S' | b'K' | b'Z') {
        return None;
    }
    let n = u32::from_be_bytes(buf.get(1..5)?.try_into().ok()?) as usize;
    (4..=1 << 20).contains(&n).then_some(n + 1)
}

/// Reads the server's reply to a StartupMessage; None when it is not PostgreSQL's.
pub fn parse_reply(buf: &[u8]) -> Option<Answer> {
    let mut rest = buf;
    let mut version = None;
    let mut outcome = None;
    while let Some(len) = message_len(rest) {
        let Some(msg) = rest.get(..len) else { break };
        let body = &msg[5..];
        match msg[0] {
            b'R' => {
                let code = u32::from_be_bytes(body.get(..4)?.try_into().ok()?);
                outcome.get_or_insert(if code == 0 {
                    Outcome::Ready
                } else {
                    Outcome::AuthRequired
                });
            }
            b'S' => {
                let mut parts = body.split(|b| *b == 0);
                if parts.next() == Some(b"server_version") {
                    version = parts
                        .next()
                        .map(|v| String::from_utf8_lossy(v).into_owned());
                }
            }
            b'E' => return Some(error(body)),
            _ => {}
        }
        rest = &rest[len..];
    }
    let outcome = outcome?;
    Some(Answer {
        product: Some(match version {
            Some(v) => format!("PostgreSQL {v}"),
            None => "PostgreSQL".into(),
        }),
        ..Answer::of(Protocol::Postgres, outcome)
    })
}

/// An ErrorResponse: fields of a type byte and a NUL-terminated string.
fn error(body: &[u8]) -> Answer {
    let mut code = None;
    let mut message = None;
    for field in body.split(|b| *b == 0).filter(|f| !f.is_empty()) {
        let value = String::from_utf8_lossy(&field[1..]).into_owned();
        match field[0] {
            b'C' => code = Some(value),
            b'M' => message = Some(super::printable_line(value.as_bytes())),
            _ => {}
        }
    }
    let outcome = match code.as_deref() {
        Some("57P03") => Outcome::Starting,
        _ => Outcome::Rejected,
    };
    Answer {
        product: Some("PostgreSQL".into()),
        message,
        code,
        ..Answer::of(Protocol::Postgres, outcome)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(fields: &[(u8, &str)]) -> Vec<u8> {
        let mut body = Vec::new();
        for (t, v) in fields {
            body.push(*t);
            body.extend_from_slice(v.as_bytes());
            body.push(0);
        }
        body.push(0);
        let mut out = vec![b'E'];
        out.extend(((body.len() + 4) as u32).to_be_bytes());
        out.extend(body);
        out
    }

    #[test]
    fn startup_is_length_prefixed_protocol_three() {
        let m = startup("app", "db");
        assert_eq!(
            u32::from_be_bytes(m[..4].try_into().unwrap()) as usize,
            m.len()
        );
        assert_eq!(&m[4..8], &196_608u32.to_be_bytes());
        assert!(m.ends_with(b"connfix\0\0"));
    }

    #[test]
    fn errors_by_sqlstate() {
        let hba = err(&[
            (b'S', "FATAL"),
            (b'C', "28000"),
            (
                b'M',
                "no pg_hba.conf entry for host \"10.9.0.2\", user \"app\", database \"app\", no encryption",
            ),
        ]);
        let a = parse_reply(&hba).unwrap();
        assert_eq!(
            (a.outcome, a.code.as_deref()),
            (Outcome::Rejected, Some("28000"))
        );
        assert!(a.message.unwrap().starts_with("no pg_hba.conf entry"));
        let starting = err(&[
            (b'C', "57P03"),
            (b'M', "the database system is starting up"),
        ]);
        assert_eq!(parse_reply(&starting).unwrap().outcome, Outcome::Starting);
    }

    #[test]
    fn authentication_requests() {
        let md5 = [b'R', 0, 0, 0, 12, 0, 0, 0, 5, 1, 2, 3, 4];
        assert_eq!(parse_reply(&md5).unwrap().outcome, Outcome::AuthRequired);
        let mut ok = vec![b'R', 0, 0, 0, 8, 0, 0, 0, 0];
        let param = b"server_version\x0015.8\x00";
        ok.push(b'S');
        ok.extend(((param.len() + 4) as u32).to_be_bytes());
        ok.extend(param);
        let a = parse_reply(&ok).unwrap();
        assert_eq!(a.outcome, Outcome::Ready);
        assert_eq!(a.product.as_deref(), Some("PostgreSQL 15.8"));
        assert_eq!(parse_reply(b"HTTP/1.1 400 Bad Request\r\n"), None);
        assert_eq!(parse_reply(b""), None);
    }
}
