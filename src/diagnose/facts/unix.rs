//! Facts from the unix socket probe.

use super::set::{Bound, FactSet, vals};
use crate::probe::unix::{UnixData, UnixOutcome};

pub(super) fn unix_facts(f: &mut FactSet, u: &UnixData) {
    let p = u.path.display();
    let values = vals([
        ("unix.path", p.to_string()),
        (
            "unix.dir",
            u.existing_parent
                .as_ref()
                .map(|d| d.display().to_string())
                .unwrap_or_default(),
        ),
        ("unix.mode", u.mode.clone().unwrap_or_default()),
        ("unix.owner", u.owner_names.clone().unwrap_or_default()),
        ("client.user", u.client_user.clone().unwrap_or_default()),
    ]);
    let mut f = Bound { f, values };
    let f = &mut f;
    match u.outcome {
        UnixOutcome::Connected => f.add(
            "unix.connected",
            "unix",
            format!("{p} accepted the connection"),
        ),
        UnixOutcome::Missing => {
            let parent = u
                .existing_parent
                .as_ref()
                .map(|d| format!(" (the nearest existing directory is {})", d.display()))
                .unwrap_or_default();
            f.add(
                "unix.missing",
                "unix",
                format!("{p} does not exist{parent}"),
            )
        }
        UnixOutcome::Stale => f.add(
            "unix.stale",
            "unix",
            format!("{p} exists but nothing listens on it"),
        ),
        UnixOutcome::Permission => f.add("unix.permission", "unix", format!("{p}: {}", u.detail)),
        UnixOutcome::NotSocket => f.add("unix.not_socket", "unix", format!("{p} is not a socket")),
        UnixOutcome::Timeout | UnixOutcome::Other => {}
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnose::facts::table::{Row, check};
    use crate::probe::ProbeId;
    use serde_json::json;

    fn socket(outcome: &str) -> serde_json::Value {
        json!({
            "path": "/run/app.sock", "outcome": outcome, "detail": "permission denied",
            "mode": "srwx------", "owner": [0, 0], "existing_parent": "/run"
        })
    }

    #[test]
    fn facts_per_outcome() {
        let row = |outcome, has, lacks| Row {
            case: outcome,
            target: "unix:/run/app.sock",
            probe: ProbeId::Unix,
            data: socket(outcome),
            has,
            lacks,
        };
        check(&[
            row("connected", &["target.unix", "unix.connected"], &[]),
            row("missing", &["unix.missing"], &["unix.connected"]),
            row("stale", &["unix.stale"], &[]),
            row("permission", &["unix.permission"], &[]),
            row("not_socket", &["unix.not_socket"], &[]),
            row(
                "timeout",
                &["target.unix"],
                &["unix.connected", "unix.stale"],
            ),
        ]);
    }
}
