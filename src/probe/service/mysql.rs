//! MySQL and MariaDB speak first: a handshake packet with the server's version, or an
//! error packet (1130: this host is not allowed; 1040: too many connections).

use super::{Answer, Outcome, Protocol};

/// The length of the first packet in `buf`, header included, when it looks like one.
pub fn packet_len(buf: &[u8]) -> Option<usize> {
    let h = buf.get(..4)?;
    let n = u32::from_le_bytes([h[0], h[1], h[2], 0]) as usize;
    // Sequence 0, and a first byte that is a handshake (10) or an error (0xff).
    (h[3] == 0 && (1..=1 << 16).contains(&n) && matches!(buf.get(4), Some(10 | 0xff)))
        .then_some(n + 4)
}

/// Reads the server's first packet; None when it is not MySQL's.
pub fn parse_greeting(buf: &[u8]) -> Option<Answer> {
    let len = packet_len(buf)?;
    let body = buf.get(4..len.min(buf.len()))?;
    match body.first()? {
        10 => {
            let end = body[1..].iter().position(|b| *b == 0)? + 1;
            let version = String::from_utf8_lossy(&body[1..end]).into_owned();
            // MariaDB 10.x reports "5.5.5-10.11.6-MariaDB-0+deb12u1".
            let product = match version.find("MariaDB") {
                Some(_) => {
                    let v = version.trim_start_matches("5.5.5-");
                    let number = v.split('-').next().unwrap_or(v);
                    format!("MariaDB {number}")
                }
                None => format!("MySQL {version}"),
            };
            Some(Answer {
                product: Some(product),
                ..Answer::of(Protocol::Mysql, Outcome::Ready)
            })
        }
        0xff => {
            let code = u16::from_le_bytes(body.get(1..3)?.try_into().ok()?);
            // A SQL state follows '#' in newer error packets; the pre-handshake one has none.
            let text = match body.get(3) {
                Some(b'#') => body.get(9..).unwrap_or_default(),
                _ => body.get(3..).unwrap_or_default(),
            };
            let outcome = match code {
                1040 | 1129 | 1130 | 1045 => Outcome::Rejected,
                _ => Outcome::Rejected,
            };
            Some(Answer {
                product: Some("MySQL/MariaDB".into()),
                message: Some(super::printable_line(text)),
                code: Some(code.to_string()),
                ..Answer::of(Protocol::Mysql, outcome)
            })
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn packet(body: &[u8]) -> Vec<u8> {
        let n = body.len() as u32;
        let mut out = n.to_le_bytes()[..3].to_vec();
        out.push(0);
        out.extend_from_slice(body);
        out
    }

    #[test]
    fn handshakes_and_errors() {
        let mut hs = vec![10];
        hs.extend_from_slice(b"5.5.5-10.11.6-MariaDB-0+deb12u1\0");
        hs.extend_from_slice(&[1, 2, 3, 4, 0]);
        let a = parse_greeting(&packet(&hs)).unwrap();
        assert_eq!(a.product.as_deref(), Some("MariaDB 10.11.6"));
        assert_eq!(a.outcome, Outcome::Ready);
        let mut e = vec![0xff];
        e.extend_from_slice(&1130u16.to_le_bytes());
        e.extend_from_slice(b"Host '10.9.0.2' is not allowed to connect to this MariaDB server");
        let a = parse_greeting(&packet(&e)).unwrap();
        assert_eq!(
            (a.outcome, a.code.as_deref()),
            (Outcome::Rejected, Some("1130"))
        );
        assert_eq!(
            a.message.as_deref(),
            Some("Host '10.9.0.2' is not allowed to connect to this MariaDB server")
        );
        assert_eq!(parse_greeting(b"+PONG\r\n"), None);
        assert_eq!(parse_greeting(b"SSH-2.0-x\r\n"), None);
    }
}
