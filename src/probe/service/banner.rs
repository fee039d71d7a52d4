//! Servers that greet with a line of text: SSH (`SSH-2.0-OpenSSH_9.2p1 Debian-2`), SMTP
//! and FTP (`220 ...`), and HTTP status lines sent unasked.

use super::{Answer, Outcome, Protocol};

pub fn parse(buf: &[u8]) -> Option<Answer> {
    let line = super::printable_line(buf);
    if let Some(rest) = line.strip_prefix("SSH-") {
        // SSH-protoversion-softwareversion SP comments
        let software = rest.split_once('-').map_or(rest, |(_, s)| s);
        return Some(Answer {
            product: Some(software.to_string()),
            ..Answer::of(Protocol::Ssh, Outcome::Ready)
        });
    }
    if let Some(rest) = line.strip_prefix("220") {
        let text = rest.trim_start_matches(['-', ' ']);
        let upper = text.to_ascii_uppercase();
        let protocol = if upper.contains("FTP") {
            Protocol::Ftp
        } else {
            Protocol::Smtp
        };
        return Some(Answer {
            product: Some(format!("{} {text}", protocol.name()).trim().to_string()),
            ..Answer::of(protocol, Outcome::Ready)
        });
    }
    if matches!(line.get(..3), Some("421" | "554")) {
        return Some(Answer {
            product: Some("SMTP".into()),
            message: Some(line.clone()),
            ..Answer::of(Protocol::Smtp, Outcome::Rejected)
        });
    }
    if line.starts_with("HTTP/") {
        return Some(Answer {
            product: Some(line.clone()),
            ..Answer::of(Protocol::Http, Outcome::Unrecognized)
        });
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn banners() {
        let a = parse(b"SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n").unwrap();
        assert_eq!(a.protocol, Some(Protocol::Ssh));
        assert_eq!(a.product.as_deref(), Some("OpenSSH_9.2p1 Debian-2+deb12u3"));
        let a = parse(b"220 mail.test ESMTP Postfix\r\n").unwrap();
        assert_eq!(a.protocol, Some(Protocol::Smtp));
        let a = parse(b"220 (vsFTPd 3.0.3)\r\n").unwrap();
        assert_eq!(a.protocol, Some(Protocol::Ftp));
        assert_eq!(parse(b"\x16\x03\x01"), None);
    }
}
