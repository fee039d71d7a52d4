//! Redis: the reply to an inline `PING` (or what protected mode says at once on accept).

use super::{Answer, Outcome, Protocol};

/// Reads a RESP reply to PING; None when it is not Redis's.
pub fn parse_reply(buf: &[u8]) -> Option<Answer> {
    let line = super::printable_line(buf);
    let outcome = if line == "+PONG" {
        Outcome::Ready
    } else if let Some(err) = line.strip_prefix('-') {
        let word = err.split_whitespace().next().unwrap_or("");
        match word {
            "DENIED" => Outcome::Rejected,
            "NOAUTH" | "NOPERM" | "WRONGPASS" => Outcome::AuthRequired,
            "LOADING" | "MASTERDOWN" => Outcome::Starting,
            // Some other server's error line starting with '-' is not evidence of Redis.
            "ERR" => Outcome::Rejected,
            _ => return None,
        }
    } else {
        return None;
    };
    let message = line.strip_prefix('-').map(str::to_string);
    Some(Answer {
        product: Some("Redis".into()),
        message,
        ..Answer::of(Protocol::Redis, outcome)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replies() {
        assert_eq!(parse_reply(b"+PONG\r\n").unwrap().outcome, Outcome::Ready);
        let denied = parse_reply(
            b"-DENIED Redis is running in protected mode because protected mode is enabled\r\n",
        )
        .unwrap();
        assert_eq!(denied.outcome, Outcome::Rejected);
        assert!(
            denied
                .message
                .unwrap()
                .starts_with("DENIED Redis is running")
        );
        assert_eq!(
            parse_reply(b"-NOAUTH Authentication required.\r\n")
                .unwrap()
                .outcome,
            Outcome::AuthRequired
        );
        assert_eq!(
            parse_reply(b"-LOADING Redis is loading the dataset in memory\r\n")
                .unwrap()
                .outcome,
            Outcome::Starting
        );
        assert_eq!(parse_reply(b"SSH-2.0-OpenSSH_9.2\r\n"), None);
        assert_eq!(parse_reply(b""), None);
    }
}
