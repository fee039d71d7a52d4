//! The port → service table: default ports of URL schemes and what a port usually is.

use serde::Deserialize;

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Service {
    pub name: String,
    #[serde(default)]
    pub schemes: Vec<String>,
    pub port: u16,
    #[serde(default)]
    pub tls: bool,
    /// Other ports people commonly run this service on.
    #[serde(default)]
    pub also: Vec<u16>,
    /// The process names its servers run as (`comm`, as `ps -o comm` shows it).
    #[serde(default)]
    pub processes: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Services {
    #[serde(default, rename = "service")]
    pub list: Vec<Service>,
}

impl Services {
    /// The bundled table. It is validated by tests, so a parse failure here is a build bug.
    pub fn bundled() -> Services {
        let text = super::bundled_file("services.toml").unwrap_or_default();
        toml::from_str(text).unwrap_or_default()
    }

    pub fn by_scheme(&self, scheme: &str) -> Option<&Service> {
        self.list
            .iter()
            .find(|s| s.schemes.iter().any(|x| x.eq_ignore_ascii_case(scheme)))
    }

    /// The service a target means: its scheme's, else its port's.
    pub fn of_target(&self, scheme: Option<&str>, port: Option<u16>) -> Option<&Service> {
        scheme
            .and_then(|s| self.by_scheme(s))
            .or_else(|| port.and_then(|p| self.by_port(p)))
    }

    pub fn by_port(&self, port: u16) -> Option<&Service> {
        self.list.iter().find(|s| s.port == port)
    }

    /// Whether a scheme implies TLS from the first byte.
    pub fn is_tls_scheme(&self, scheme: &str) -> bool {
        self.by_scheme(scheme).is_some_and(|s| s.tls)
    }

    /// Adds or replaces entries by name (user files override bundled ones).
    pub fn merge(&mut self, other: Services) {
        for s in other.list {
            match self.list.iter_mut().find(|x| x.name == s.name) {
                Some(x) => *x = s,
                None => self.list.push(s),
            }
        }
    }
}
