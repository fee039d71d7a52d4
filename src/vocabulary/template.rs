//! Templates: text with `{{name.part}}` placeholders bound to observed values.
//!
//! Double braces around a lowercase dotted name, nothing else: `{{listener.port}}`. That
//! keeps the syntax clear of what code snippets contain (`{x}` in format strings,
//! `${url.port}` in JavaScript, `{{.Names}}` in Docker's Go templates).

use std::collections::BTreeMap;

/// Observed values by placeholder name.
pub type Values = BTreeMap<String, String>;

/// A placeholder name: two or more lowercase words joined by dots.
pub fn is_name(s: &str) -> bool {
    let mut parts = 0;
    for part in s.split('.') {
        let ok = part.starts_with(|c: char| c.is_ascii_lowercase())
            && part
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !ok {
            return false;
        }
        parts += 1;
    }
    parts >= 2
}

/// The pieces of a template: literal text and placeholder names, in order.
enum Piece<'a> {
    Text(&'a str),
    Value(&'a str),
}

fn pieces(text: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find("{{") {
        let after = &rest[open + 2..];
        match after.find("}}") {
            Some(close) if is_name(&after[..close]) => {
                out.push(Piece::Text(&rest[..open]));
                out.push(Piece::Value(&after[..close]));
                rest = &after[close + 2..];
            }
            _ => {
                out.push(Piece::Text(&rest[..open + 2]));
                rest = after;
            }
        }
    }
    out.push(Piece::Text(rest));
    out
}

/// Every placeholder name in `text`, in order, with repeats.
pub fn names(text: &str) -> Vec<&str> {
    pieces(text)
        .into_iter()
        .filter_map(|p| match p {
            Piece::Value(n) => Some(n),
            Piece::Text(_) => None,
        })
        .collect()
}

/// Placeholders in `text` that name no known value: (1-based line, message), for the
/// knowledge checks of every file kind.
pub fn unknown_names(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        for name in names(line) {
            if !super::values::is_known(name) {
                out.push((
                    i + 1,
                    format!(
                        "unknown placeholder '{{{{{name}}}}}'; `connfix kb values` lists the known ones"
                    ),
                ));
            }
        }
    }
    out
}

/// Fills every placeholder; one without a value shows its "unknown" text
/// (`<the server's port>`), never an example.
pub fn render(text: &str, values: &Values) -> String {
    let mut out = String::with_capacity(text.len());
    for p in pieces(text) {
        match p {
            Piece::Text(t) => out.push_str(t),
            Piece::Value(n) => match values.get(n) {
                Some(v) => out.push_str(v),
                None => out.push_str(super::values::unknown(n)),
            },
        }
    }
    out
}

/// Fills every placeholder, or None when one has no value: for commands, which are only
/// worth showing when they can be pasted as they are.
pub fn render_complete(text: &str, values: &Values) -> Option<String> {
    names(text)
        .iter()
        .all(|n| values.contains_key(*n))
        .then(|| render(text, values))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vals(pairs: &[(&str, &str)]) -> Values {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn fills_known_and_marks_unknown() {
        let v = vals(&[("target.port", "8090")]);
        assert_eq!(
            render(
                "ss -ltn 'sport = :{{target.port}}' on {{listener.port}}",
                &v
            ),
            "ss -ltn 'sport = :8090' on <the port the server uses>"
        );
        assert_eq!(render_complete("{{listener.port}}", &v), None);
        assert_eq!(
            render_complete("port {{target.port}}", &v).as_deref(),
            Some("port 8090")
        );
    }

    #[test]
    fn code_braces_are_left_alone() {
        let v = vals(&[("target.port", "1")]);
        for text in [
            "docker ps --format '{{.Names}}'",
            "`${api.port}` and f\"{host}\" and {{ spaced.name }}",
            "map[string]string{\"http\": \"80\"}",
            "{{",
            "}} {{unclosed",
            "{{Upper.Case}}",
            "{{single}}",
        ] {
            assert_eq!(render(text, &v), text);
            assert!(names(text).is_empty(), "{text}");
        }
        assert_eq!(render("{{{{target.port}}}}", &v), "{{1}}");
    }

    #[test]
    fn names_in_order() {
        assert_eq!(
            names("a {{x.y}} b {{p.q_r}} {{x.y}}"),
            vec!["x.y", "p.q_r", "x.y"]
        );
    }
}
