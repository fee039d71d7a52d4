//! The values connfix observes and knowledge files may name as `{{placeholder}}`.
//!
//! Each entry is (name, meaning, what to show when this diagnosis has no value for it).
//! The "unknown" text is deliberately not an example value: a fix must never show a port
//! or host that was not observed on this machine as if it were.

pub const VALUES: &[(&str, &str, &str)] = &[
    // The target, as given (secrets redacted).
    (
        "target.input",
        "the target as typed, secrets shown as ***",
        "<the target>",
    ),
    (
        "target.host",
        "the host name or address of the target",
        "<the server's host>",
    ),
    (
        "target.port",
        "the port the client connects to",
        "<the server's port>",
    ),
    (
        "target.address",
        "host:port, with brackets around an IPv6 address",
        "<host:port>",
    ),
    (
        "target.scheme",
        "the URL scheme (postgres, https, ...)",
        "<the scheme>",
    ),
    (
        "target.url",
        "the target as a URL or host:port, secrets shown as ***",
        "<the URL>",
    ),
    (
        "target.service",
        "the service the scheme or port usually means (PostgreSQL, Redis, ...)",
        "<the service>",
    ),
    (
        "target.ip",
        "the address connfix connected to (the first the resolver gave)",
        "<the server's address>",
    ),
    ("target.path", "the unix socket path", "<the socket path>"),
    // Name resolution.
    ("dns.name", "the name that was looked up", "<the host name>"),
    (
        "dns.addresses",
        "what the system resolver answered",
        "<the resolved addresses>",
    ),
    (
        "dns.hosts_addresses",
        "what the hosts file says for the name",
        "<the hosts-file addresses>",
    ),
    (
        "dns.hosts_file",
        "the hosts file that was read",
        "/etc/hosts",
    ),
    (
        "dns.server",
        "the DNS server(s) asked directly",
        "<the DNS server>",
    ),
    (
        "dns.server_addresses",
        "what the DNS server answered when asked directly",
        "<the DNS answer>",
    ),
    (
        "dns.error",
        "the resolver's error message",
        "<the resolver's error>",
    ),
    // The TCP connect.
    (
        "tcp.address",
        "the address:port whose connect failed",
        "<the address that failed>",
    ),
    (
        "tcp.error",
        "the error of the failed connect",
        "<the connect error>",
    ),
    (
        "tcp.timeout_s",
        "the connect timeout used, in seconds",
        "<the timeout>",
    ),
    (
        "tcp.icmp",
        "the ICMP message behind an unreachable (host prohibited, host unreachable)",
        "<the ICMP message>",
    ),
    (
        "tcp.icmp_from",
        "the address that sent that ICMP message",
        "<who answered>",
    ),
    // The listener that matters for this diagnosis: on the target port when one is, else on
    // another address or family of that port, else the nearby or usual port found.
    (
        "listener.address",
        "address:port the listener is bound to",
        "<the listening address>",
    ),
    (
        "listener.ip",
        "the IP address the listener is bound to",
        "<the listening address>",
    ),
    (
        "listener.port",
        "the port the listener is bound to",
        "<the port the server uses>",
    ),
    (
        "listener.process",
        "the listening process's name",
        "<the server process>",
    ),
    ("listener.pid", "the listening process's id", "<its pid>"),
    (
        "listener.owner",
        "process and pid together, e.g. `postgres (pid 911)`",
        "<the server process>",
    ),
    (
        "listener.user",
        "the user the listening process runs as",
        "<its user>",
    ),
    (
        "listener.cmdline",
        "the listening process's command line (secrets redacted)",
        "<its command line>",
    ),
    (
        "listener.unit",
        "the systemd unit the process runs in (from /proc/PID/cgroup)",
        "<its service unit>",
    ),
    (
        "listener.config",
        "the server's configuration file, from its command line or well-known paths",
        "<its configuration file>",
    ),
    (
        "listener.bind_setting",
        "the setting that chooses its listen address (listen_addresses, bind, bind-address, listen, --host)",
        "<its listen-address setting>",
    ),
    (
        "listener.bind_all",
        "that setting with a value that listens on every address",
        "<its listen-address setting> set to every address",
    ),
    (
        "listener.unix_path",
        "the unix socket the server listens on instead of TCP",
        "<its socket path>",
    ),
    // The firewall rule that blocks the port.
    (
        "rule.tool",
        "the tool whose ruleset holds the rule (iptables, ip6tables, nft)",
        "<the firewall tool>",
    ),
    ("rule.table", "the rule's table", "<its table>"),
    ("rule.chain", "the rule's chain", "<its chain>"),
    (
        "rule.number",
        "the rule's position in its chain (iptables)",
        "<its rule number>",
    ),
    ("rule.handle", "the rule's handle (nft)", "<its handle>"),
    ("rule.text", "the rule as the tool prints it", "<the rule>"),
    (
        "rule.where",
        "where the rule is, e.g. `iptables rule 3 in filter/INPUT`",
        "<the firewall rule>",
    ),
    (
        "rule.verb",
        "what it does to the packets: drops or rejects",
        "blocks",
    ),
    (
        "rule.manager",
        "ufw or firewalld when they manage the rule",
        "<the firewall manager>",
    ),
    (
        "rule.list_command",
        "the command that lists the rule's chain with numbers or handles",
        "<list the chain>",
    ),
    (
        "rule.delete_command",
        "the command that removes the rule",
        "<delete the rule>",
    ),
    (
        "rule.allow_command",
        "the command that accepts the port ahead of the rule",
        "<allow the port>",
    ),
    // Proxy.
    (
        "proxy.variable",
        "the environment variable that sets the proxy",
        "<the proxy variable>",
    ),
    (
        "proxy.url",
        "the proxy's URL (secrets redacted)",
        "<the proxy URL>",
    ),
    (
        "proxy.address",
        "the proxy's host:port",
        "<the proxy's address>",
    ),
    (
        "proxy.error",
        "why the proxy could not be reached",
        "<the proxy error>",
    ),
    // HTTP and TLS.
    ("http.url", "the URL that was requested", "<the URL>"),
    (
        "http.status",
        "the HTTP status the server answered",
        "<the HTTP status>",
    ),
    ("http.server", "the Server header", "<the server software>"),
    (
        "tls.error",
        "the TLS handshake or certificate error",
        "<the TLS error>",
    ),
    // What answered on the port.
    (
        "service.expected",
        "the service the target's scheme or port means (PostgreSQL, Redis, ...)",
        "<the expected service>",
    ),
    (
        "service.answered",
        "what answered on the port (OpenSSH_9.2p1, PostgreSQL, Redis, MariaDB 10.11.6, HTTP nginx)",
        "<what answered>",
    ),
    (
        "service.message",
        "the service's own error message, quoted",
        "<the service's message>",
    ),
    (
        "service.code",
        "the service's error code (SQLSTATE, MySQL error number)",
        "<its error code>",
    ),
    (
        "service.user",
        "the user name connfix presented (from the target, else connfix)",
        "<the user>",
    ),
    (
        "service.database",
        "the database name connfix asked for",
        "<the database>",
    ),
    (
        "client.address",
        "the address the server saw this client come from",
        "<the client's address>",
    ),
    (
        "listener.hba_file",
        "PostgreSQL's pg_hba.conf beside its configuration",
        "<its pg_hba.conf>",
    ),
    // The TLS certificate.
    (
        "tls.subject",
        "the certificate's subject",
        "<the certificate's subject>",
    ),
    (
        "tls.names",
        "the names the certificate is valid for (subject alternative names)",
        "<the certificate's names>",
    ),
    (
        "tls.issuer",
        "the certificate's issuer",
        "<the certificate's issuer>",
    ),
    (
        "tls.not_before",
        "the start of the certificate's validity (UTC)",
        "<its start date>",
    ),
    (
        "tls.not_after",
        "the end of the certificate's validity (UTC)",
        "<its end date>",
    ),
    (
        "tls.version",
        "the TLS version negotiated",
        "<the TLS version>",
    ),
    // A service process running without its port.
    (
        "process.name",
        "the service's process that runs without listening",
        "<the server process>",
    ),
    ("process.pid", "its process id", "<its pid>"),
    (
        "process.age",
        "how long it has been running",
        "<how long it has run>",
    ),
    // Unix sockets.
    ("unix.path", "the socket path", "<the socket path>"),
    (
        "unix.dir",
        "the nearest directory of the path that exists",
        "<its directory>",
    ),
    (
        "unix.mode",
        "the socket file's permissions",
        "<its permissions>",
    ),
    (
        "unix.owner",
        "the socket file's owner and group, as user:group",
        "<its owner>",
    ),
    // Containers.
    ("container.name", "the container's name", "<the container>"),
    ("container.id", "the container's short id", "<its id>"),
    ("container.image", "the container's image", "<its image>"),
    (
        "container.state",
        "the container's state (running, exited, restarting)",
        "<its state>",
    ),
    (
        "container.exit_code",
        "the exit code of its last run",
        "<its exit code>",
    ),
    (
        "container.restarts",
        "how often it has been restarted",
        "<its restart count>",
    ),
    (
        "container.health",
        "its health status (healthy, unhealthy, starting)",
        "<its health>",
    ),
    (
        "container.health_log",
        "the output of its last health check",
        "<its last health check>",
    ),
    (
        "container.port",
        "the container-side port published to the target port",
        "<the container's port>",
    ),
    (
        "container.host_port",
        "the host-side port it is published on",
        "<the published port>",
    ),
    (
        "container.listen",
        "what listens inside the container (address:port)",
        "<what listens inside>",
    ),
    (
        "container.networks",
        "the networks the container is attached to",
        "<its networks>",
    ),
    (
        "container.address",
        "the container's address on its network",
        "<its address>",
    ),
    (
        "container.compose_project",
        "the compose project it belongs to",
        "<the compose project>",
    ),
    (
        "container.compose_service",
        "its compose service name",
        "<the compose service>",
    ),
    (
        "container.client",
        "the container the client runs in (the vantage point)",
        "<the client's container>",
    ),
    (
        "container.client_networks",
        "the networks of the client's container",
        "<the client's networks>",
    ),
    (
        "vantage.label",
        "where connfix looks from: this host, a container, a namespace",
        "<where the client runs>",
    ),
    // Where connfix runs.
    ("client.user", "the user connfix runs as", "<your user>"),
    (
        "env.runtime",
        "the container runtime connfix runs in",
        "<the container runtime>",
    ),
];

/// Whether `name` is a known placeholder.
pub fn is_known(name: &str) -> bool {
    VALUES.iter().any(|(n, _, _)| *n == name)
}

/// What to show for `name` when this diagnosis has no value for it.
pub fn unknown(name: &str) -> &'static str {
    VALUES
        .iter()
        .find(|(n, _, _)| *n == name)
        .map_or("<unknown>", |(_, _, u)| u)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_unknowns_carry_no_digits() {
        let mut seen = std::collections::HashSet::new();
        for (name, meaning, unknown) in VALUES {
            assert!(seen.insert(*name), "{name} twice");
            assert!(!meaning.is_empty());
            assert!(
                !unknown.chars().any(|c| c.is_ascii_digit()),
                "{name}: an unknown must not look like a value"
            );
            assert!(super::super::template::is_name(name), "{name}");
        }
    }
}
