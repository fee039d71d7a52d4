//! Facts about the target itself, known before any probe runs.

use super::set::{Context, FactSet, vals};
use crate::knowledge::services::Services;
use crate::target::Target;
use crate::vocabulary::template::Values;

/// The values the target itself gives: known before any probe runs, so checklists and
/// every answer can use them.
pub fn target_values(t: &Target, services: &Services) -> Values {
    let service = t
        .scheme
        .as_deref()
        .and_then(|s| services.by_scheme(s))
        .or_else(|| t.port.and_then(|p| services.by_port(p)))
        .map(|s| s.name.clone())
        .unwrap_or_default();
    let path = t
        .unix_path
        .as_ref()
        .map(|p| p.display().to_string())
        .unwrap_or_default();
    vals([
        ("target.input", t.input.clone()),
        ("target.host", t.host.clone().unwrap_or_default()),
        (
            "target.port",
            t.port.map(|p| p.to_string()).unwrap_or_default(),
        ),
        (
            "target.address",
            if t.is_unix() {
                String::new()
            } else {
                t.host_port()
            },
        ),
        ("target.scheme", t.scheme.clone().unwrap_or_default()),
        ("target.url", t.redacted.clone()),
        ("target.service", service),
        (
            "target.ip",
            t.ip().map(|ip| ip.to_string()).unwrap_or_default(),
        ),
        ("unix.path", path.clone()),
        ("target.path", path),
    ])
}

pub(super) fn target_facts(f: &mut FactSet, t: &Target, ctx: &Context, services: &Services) {
    let values = target_values(t, services);
    if t.is_unix() {
        f.add_with(
            "target.unix",
            "target",
            format!("{} is a unix socket path", t.host_port()),
            values,
        );
        return;
    }
    if t.ip().is_some() {
        f.add_with(
            "target.ip_literal",
            "target",
            format!("{} is an IP address", t.host.as_deref().unwrap_or("")),
            values,
        );
    } else {
        f.add_with(
            "target.hostname",
            "target",
            format!("{} is a name to resolve", t.host.as_deref().unwrap_or("")),
            values,
        );
    }
    if ctx.public {
        f.add(
            "target.public_required",
            "target",
            "--public: it must be reachable from the internet",
        );
    }
    if let Some(s) = t.scheme.as_deref() {
        if services.is_tls_scheme(s) {
            f.add(
                "target.tls_scheme",
                "target",
                format!("{s}:// means TLS from the first byte"),
            );
        }
        if t.is_http() {
            f.add(
                "target.http_scheme",
                "target",
                format!("{s}:// is spoken over HTTP"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::set::Context;
    use crate::diagnose::facts::table::facts;

    /// The facts the target alone gives, with and without `--public`.
    #[test]
    fn facts_per_target_form() {
        let rows: [(&str, bool, &[&str], &[&str]); 6] = [
            (
                "db.internal:5432",
                false,
                &["target.hostname"],
                &["target.ip_literal", "target.public_required"],
            ),
            (
                "10.0.0.5:5432",
                false,
                &["target.ip_literal", "dns.private_address"],
                &["target.hostname"],
            ),
            (
                "https://hooks.example.test",
                true,
                &[
                    "target.public_required",
                    "target.tls_scheme",
                    "target.http_scheme",
                ],
                &[],
            ),
            (
                "http://127.0.0.1:8000",
                false,
                &["target.loopback", "target.http_scheme"],
                &["target.tls_scheme"],
            ),
            (
                "rediss://cache:6380",
                false,
                &["target.tls_scheme"],
                &["target.http_scheme"],
            ),
            (
                "unix:/run/app.sock",
                false,
                &["target.unix"],
                &["target.hostname", "target.ip_literal"],
            ),
        ];
        for (target, public, has, lacks) in rows {
            let ctx = Context {
                public,
                answers: Vec::new(),
            };
            let got = facts(target, &[], &ctx);
            for name in has {
                assert!(got.has(name), "{target}: no {name} in {:?}", got.0);
            }
            for name in lacks {
                assert!(!got.has(name), "{target}: unexpected {name}");
            }
        }
    }

    #[test]
    fn target_values_are_the_parsed_parts() {
        let got = facts(
            "postgres://app:secret@db.internal/app",
            &[],
            &Context::default(),
        );
        let v = got.values();
        assert_eq!(v["target.host"], "db.internal");
        assert_eq!(v["target.port"], "5432");
        assert_eq!(v["target.scheme"], "postgres");
        assert!(!v["target.url"].contains("secret"));
    }

    #[test]
    fn answers_become_person_facts() {
        let ctx = Context {
            public: false,
            answers: vec![("ever_worked".into(), true)],
        };
        let got = facts("db.internal:5432", &[], &ctx);
        let fact = got.get("answer.ever_worked.yes").expect("the answer");
        assert_eq!(fact.source, "person");
    }
}
