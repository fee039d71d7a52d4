//! The named facts that probes (and the person's answers) establish.
//!
//! Knowledge files refer to these names in `when`/`unless`, and `connfix kb check` rejects
//! any name not listed here, so a typo in a knowledge file is caught before it silently
//! never matches.

/// Every fact name with a one-line meaning (shown by `connfix kb facts` and in errors).
pub const FACTS: &[(&str, &str)] = &[
    // The target itself.
    (
        "target.ip_literal",
        "the target host is written as an IP address",
    ),
    (
        "target.hostname",
        "the target host is a name that needs resolving",
    ),
    ("target.unix", "the target is a unix socket path"),
    (
        "target.loopback",
        "the target resolves to a loopback address",
    ),
    (
        "target.own_address",
        "the target resolves to an address of this host",
    ),
    (
        "target.remote",
        "the target resolves to an address of another host",
    ),
    (
        "target.public_required",
        "--public: the target must be reachable from the internet",
    ),
    (
        "target.tls_scheme",
        "the scheme implies TLS (https, wss, rediss, amqps, ...)",
    ),
    ("target.http_scheme", "the scheme is http, https, ws or wss"),
    // DNS.
    (
        "dns.resolved",
        "the system resolver returned at least one address",
    ),
    ("dns.hosts_file", "the hosts file answers the name"),
    (
        "dns.nxdomain",
        "the name does not exist (NXDOMAIN / no such host)",
    ),
    (
        "dns.no_records",
        "the name exists but has no A or AAAA record",
    ),
    (
        "dns.server_unreachable",
        "the DNS server did not answer (refused, unreachable or timed out)",
    ),
    (
        "dns.temporary_failure",
        "the system resolver reported a temporary failure (EAI_AGAIN)",
    ),
    (
        "dns.mismatch",
        "the system resolver and a direct DNS query give different addresses",
    ),
    (
        "dns.private_address",
        "the name resolves to a loopback, private or link-local address",
    ),
    (
        "dns.both_families",
        "the name resolves to both IPv4 and IPv6 addresses",
    ),
    (
        "dns.ipv6_first",
        "the system resolver lists an IPv6 address first",
    ),
    // TCP connect.
    (
        "tcp.connected",
        "a TCP connection to at least one address succeeded",
    ),
    (
        "tcp.all_failed",
        "the TCP connection failed on every address",
    ),
    (
        "tcp.partial",
        "some addresses accepted the connection and others did not",
    ),
    ("tcp.refused", "a connection was refused (ECONNREFUSED)"),
    (
        "tcp.timeout",
        "a connection attempt timed out (no answer at all)",
    ),
    (
        "tcp.host_unreachable",
        "a connection failed with host unreachable (EHOSTUNREACH)",
    ),
    (
        "tcp.net_unreachable",
        "a connection failed with network unreachable (ENETUNREACH)",
    ),
    (
        "tcp.host_prohibited",
        "the far host is up and its firewall rejects with ICMP host/admin prohibited",
    ),
    (
        "tcp.host_down",
        "no machine answers at the address (ICMP host unreachable, or no neighbour reply)",
    ),
    (
        "tcp.denied",
        "a connection was forbidden locally (EACCES/EPERM)",
    ),
    (
        "tcp.addr_unavailable",
        "the address cannot be used from here (EADDRNOTAVAIL)",
    ),
    (
        "tcp.reset",
        "the peer reset the connection during or right after the handshake",
    ),
    (
        "tcp.closed_after_accept",
        "the peer accepted and then closed the connection at once",
    ),
    // Listening sockets on this host (only when the target is this host).
    (
        "listener.exact",
        "a socket listens on the target address and port (or a wildcard)",
    ),
    (
        "listener.other_address",
        "the port is listened on, but on another address of the same family",
    ),
    (
        "listener.other_family",
        "the port is listened on, but only on the other IP family",
    ),
    (
        "listener.nearby_port",
        "a socket listens on a port close to the target port",
    ),
    (
        "listener.service_port",
        "the scheme's usual port is listened on, not the target port",
    ),
    (
        "listener.none",
        "nothing on this host listens on the target port",
    ),
    (
        "listener.backlog_full",
        "the listener has connections waiting to be accepted while new ones time out",
    ),
    (
        "listener.owner_unknown",
        "the owning processes of some sockets could not be read",
    ),
    (
        "listener.unavailable",
        "the listening sockets could not be read",
    ),
    // Firewall rules on this host.
    (
        "firewall.reject_rule",
        "a firewall rule rejects the target port",
    ),
    (
        "firewall.drop_rule",
        "a firewall rule drops the target port",
    ),
    (
        "firewall.default_drop",
        "a chain drops by default what no rule accepts",
    ),
    (
        "firewall.unreadable",
        "the firewall rules could not be read",
    ),
    // Proxies.
    (
        "proxy.applies",
        "a proxy environment variable applies to this target",
    ),
    (
        "proxy.unreachable",
        "the proxy that applies could not be connected to",
    ),
    (
        "proxy.bypassed",
        "NO_PROXY excludes this target from the proxy",
    ),
    // Where connfix runs.
    ("env.container", "connfix runs inside a container"),
    ("env.wsl", "connfix runs inside Windows Subsystem for Linux"),
    ("env.kubernetes", "connfix runs inside a Kubernetes pod"),
    // HTTP and TLS.
    (
        "http.ok",
        "the server answered HTTP with a status below 400",
    ),
    (
        "http.client_error",
        "the server answered HTTP with a 4xx status",
    ),
    (
        "http.server_error",
        "the server answered HTTP with a 5xx status",
    ),
    (
        "http.no_response",
        "the connection opened but no HTTP response came",
    ),
    ("tls.ok", "the TLS handshake succeeded"),
    (
        "tls.plain_port",
        "a TLS handshake was answered in plain text (TLS to a plain port)",
    ),
    (
        "tls.on_tls_port",
        "a plain request was answered with TLS (plain text to a TLS port)",
    ),
    (
        "tls.handshake_failed",
        "the TLS handshake failed for another reason",
    ),
    // What answers on the port, past the TCP handshake.
    (
        "service.identified",
        "the port answered in a known protocol (what answered is named)",
    ),
    (
        "service.expected",
        "the port answered in the protocol the target's scheme or port expects",
    ),
    (
        "service.rejected",
        "the service accepted the connection, then refused this client with its own error",
    ),
    (
        "service.auth_required",
        "the service answered and asks for credentials (the network path works)",
    ),
    (
        "service.starting",
        "the service answered that it is starting up or still loading",
    ),
    (
        "service.other_protocol",
        "the port answers another protocol than the target expects",
    ),
    (
        "service.silent",
        "the port accepted the connection but sent nothing and answered no request",
    ),
    (
        "tls.no_handshake",
        "the port accepted the connection but never answered a TLS handshake",
    ),
    (
        "tls.certificate_expired",
        "the server's TLS certificate has expired (or is not valid yet)",
    ),
    (
        "tls.certificate_name_mismatch",
        "the server's TLS certificate does not name the host connected to",
    ),
    (
        "tls.certificate_untrusted",
        "the server's TLS certificate is not signed by a trusted authority",
    ),
    // Processes on this host.
    (
        "listener.service_process",
        "a process of the target's service listens, on another port",
    ),
    (
        "listener.unix_only",
        "the target's server runs here and listens on a unix socket, but on no TCP port",
    ),
    (
        "process.service_running",
        "a process of the target's service runs here but does not listen on the port",
    ),
    // Unix sockets.
    ("unix.connected", "the unix socket accepted the connection"),
    ("unix.missing", "the socket path does not exist"),
    (
        "unix.stale",
        "the socket file exists but nothing listens on it",
    ),
    ("unix.permission", "no permission to connect to the socket"),
    ("unix.not_socket", "the path exists but is not a socket"),
    // Containers (Docker or Podman, through the Engine API).
    (
        "container.publishes_port",
        "a container publishes the target port on this host",
    ),
    (
        "container.not_running",
        "the container behind the target is not running (exited, restarting, or dead)",
    ),
    (
        "container.port_not_listening",
        "nothing listens inside the container on the port published to the target",
    ),
    (
        "container.bound_to_loopback",
        "the service inside the container listens on its own loopback only",
    ),
    (
        "container.unhealthy",
        "the container's health check says it is not healthy (yet)",
    ),
    (
        "container.network_mismatch",
        "the target names a container that shares no network with the client's container",
    ),
    (
        "container.name_from_host",
        "the target's host is a container or compose service name, used from outside Docker's networks",
    ),
    (
        "container.target_elsewhere",
        "inside a container, the target's port is served by another container",
    ),
    // Answers the person gives.
    (
        "answer.ever_worked.yes",
        "the person says this connection used to work",
    ),
    (
        "answer.ever_worked.no",
        "the person says this connection never worked",
    ),
    (
        "answer.remote_running.yes",
        "the person says the service on the other host is running",
    ),
    (
        "answer.remote_running.no",
        "the person says the service on the other host is not running",
    ),
    (
        "answer.intermittent.yes",
        "the person says the failure comes and goes",
    ),
    (
        "answer.intermittent.no",
        "the person says the failure is constant",
    ),
    (
        "answer.recent_change.yes",
        "the person says something was just deployed or restarted",
    ),
    (
        "answer.recent_change.no",
        "the person says nothing changed recently",
    ),
];

/// Whether `name` is a known fact.
pub fn is_known(name: &str) -> bool {
    FACTS.iter().any(|(n, _)| *n == name)
}
