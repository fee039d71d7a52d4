//! Facts from the proxy probe: proxy settings that apply to the target.

use super::set::{FactSet, vals};
use crate::probe::proxy::ProxyData;

pub(super) fn proxy_facts(f: &mut FactSet, p: &ProxyData) {
    if let Some(u) = &p.applies {
        let values = vals([
            ("proxy.variable", u.variable.clone()),
            ("proxy.url", u.url.clone()),
            ("proxy.address", u.address.clone()),
            (
                "proxy.error",
                if u.reachable {
                    String::new()
                } else {
                    u.detail.clone()
                },
            ),
        ]);
        f.add_with(
            "proxy.applies",
            "proxy",
            format!("{} = {} applies to this target", u.variable, u.url),
            values.clone(),
        );
        if !u.reachable {
            f.add_with(
                "proxy.unreachable",
                "proxy",
                format!("the proxy {} cannot be reached: {}", u.address, u.detail),
                values,
            );
        }
    }
    if let Some(entry) = &p.bypassed_by {
        f.add(
            "proxy.bypassed",
            "proxy",
            format!("NO_PROXY entry '{entry}' exempts this target"),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnose::facts::table::{Row, check};
    use crate::probe::ProbeId;
    use serde_json::json;

    fn proxy(reachable: bool, bypassed_by: Option<&str>) -> serde_json::Value {
        let applies = bypassed_by.is_none().then(|| {
            json!({
                "variable": "HTTPS_PROXY", "url": "http://proxy:3128", "address": "proxy:3128",
                "reachable": reachable, "detail": "connection refused"
            })
        });
        json!({ "variables": [], "applies": applies, "bypassed_by": bypassed_by })
    }

    #[test]
    fn facts_per_setting() {
        let row = |case, data, has, lacks| Row {
            case,
            target: "https://example.test",
            probe: ProbeId::Proxy,
            data,
            has,
            lacks,
        };
        check(&[
            row(
                "a reachable proxy",
                proxy(true, None),
                &["proxy.applies"],
                &["proxy.unreachable", "proxy.bypassed"],
            ),
            row(
                "an unreachable proxy",
                proxy(false, None),
                &["proxy.applies", "proxy.unreachable"],
                &[],
            ),
            row(
                "NO_PROXY exempts it",
                proxy(true, Some(".test")),
                &["proxy.bypassed"],
                &["proxy.applies"],
            ),
        ]);
    }
}
