//! The evidence pane: what each probe found, updated as results arrive. Rows that bear on
//! the target (the listener on its port, a rule that hits it) are highlighted.

use super::{Cached, Ctx, Scrolled};
use crate::probe::container::{ContainerData, ContainerInfo, join_addrs};
use crate::probe::dns::DnsData;
use crate::probe::environment::EnvData;
use crate::probe::firewall::FirewallData;
use crate::probe::http::{HttpData, TlsOutcome};
use crate::probe::listeners::ListenerData;
use crate::probe::proxy::ProxyData;
use crate::probe::service::{self, ServiceData};
use crate::probe::tcp::{AfterConnect, Outcome, TcpData, errno_name};
use crate::probe::unix::UnixData;
use crate::probe::{ProbeData, ProbeReport, Status};
use crate::render::ms;
use crate::session::Note;
use crate::target::Target;
use crate::tui::diagnosis::{Diagnosis, SlotState};
use crate::tui::keys::{self, Binding, Hint, Scroll};
use crate::tui::view::text::{hard_wrap, wrap};
use crate::tui::view::theme::Theme;
use crate::tui::view::{highlight, pane_block, scrolled_lines, spinner};
use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Margin, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};

/// How many listeners unrelated to the target are listed before "… and N more".
const OTHER_LISTENERS: usize = 8;
/// How far from the target port a listener counts as "nearby".
const NEARBY: u16 = 10;

pub const KEYS: &[Binding<Scroll>] = keys::SCROLL;

#[derive(Debug, Default)]
pub struct EvidencePane {
    pub scroll: Scrolled,
    drawn: Rect,
    /// (report generation, notes, width, colour, search, spinner tick while probing).
    cache: Cached<(u64, usize, u16, bool, Option<String>, u64)>,
}

impl EvidencePane {
    pub fn hints(&self) -> Vec<Hint> {
        keys::hints(KEYS, |_| true)
    }

    pub fn on_key(&mut self, key: &KeyEvent) -> bool {
        match keys::lookup(KEYS, key) {
            Some(s) => {
                self.scroll.apply(s);
                true
            }
            None => false,
        }
    }

    pub fn contains(&self, at: ratatui::layout::Position) -> bool {
        self.drawn.contains(at)
    }

    /// Brings line `line` of the pane into view (a search match).
    pub fn show_line(&mut self, line: usize) {
        self.scroll.offset = line.saturating_sub(1);
    }

    /// The pane's width for text, as last drawn.
    pub fn text_width(&self) -> usize {
        self.drawn.inner(Margin::new(1, 1)).width as usize
    }

    #[allow(clippy::too_many_arguments)]
    pub fn render(
        &mut self,
        frame: &mut Frame,
        area: Rect,
        focused: bool,
        d: &Diagnosis,
        notes: &[Note],
        search: Option<&str>,
        ctx: &Ctx,
    ) {
        self.drawn = area;
        if area.is_empty() {
            return;
        }
        let t = ctx.theme;
        let block = pane_block(&t, " Evidence ", focused);
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let tick = if d.all_done() { 0 } else { ctx.tick };
        let key = (
            d.generation,
            notes.len(),
            inner.width,
            t.color,
            search.map(str::to_string),
            tick,
        );
        let lines = self.cache.get(key, || {
            let mut lines = lines(d, notes, inner.width as usize, ctx);
            if let Some(q) = search {
                highlight(&mut lines, q, t.search());
            }
            lines
        });
        self.scroll.fit(lines.len(), inner.height as usize);
        scrolled_lines(frame, area, inner, lines, self.scroll.offset);
    }
}

/// Every line of the pane for a width of `width` columns.
pub fn lines(d: &Diagnosis, notes: &[Note], width: usize, ctx: &Ctx) -> Vec<Line<'static>> {
    let t = ctx.theme;
    let mut out: Vec<Line<'static>> = Vec::new();
    // The person's notes come first: they are what they will look for.
    if !notes.is_empty() {
        out.push(Line::styled("✎ Your notes", t.person().patch(t.bold())));
        for n in notes {
            let at = n.at.get(11..19).unwrap_or(&n.at);
            for (i, l) in wrap(&crate::sanitize::visible(&n.text), width.saturating_sub(12))
                .into_iter()
                .enumerate()
            {
                let stamp = if i == 0 { at } else { "" };
                out.push(Line::from(vec![
                    Span::styled(format!("  {stamp:<8}  "), t.dim()),
                    Span::styled(l, t.person()),
                ]));
            }
        }
    }
    for slot in &d.slots {
        if !out.is_empty() {
            out.push(Line::raw(""));
        }
        let name = title(slot.id.as_str());
        match &slot.state {
            SlotState::Pending => out.push(Line::from(vec![
                Span::styled("· ", t.dim()),
                Span::styled(name, t.bold()),
                Span::styled("  waiting to start", t.dim()),
            ])),
            SlotState::Running(since) => {
                let secs = ctx.now.saturating_duration_since(*since).as_secs_f64();
                out.push(Line::from(vec![
                    Span::styled(format!("{} ", spinner(ctx.tick)), t.accent()),
                    Span::styled(name, t.bold()),
                    Span::styled(format!("  running… {secs:.1} s"), t.accent()),
                ]));
            }
            SlotState::Done(r) => {
                let (mark, style) = match r.status {
                    Status::Ok => ("✓", t.ok()),
                    Status::Problem => ("✗", t.bad()),
                    Status::Skipped => ("–", t.dim()),
                    Status::Error => ("!", t.warn()),
                };
                let time = if r.status == Status::Skipped {
                    String::new()
                } else {
                    format!("  {}", ms(r.elapsed_ms))
                };
                out.push(Line::from(vec![
                    Span::styled(format!("{mark} "), style),
                    Span::styled(name, t.bold()),
                    Span::styled(time, t.dim()),
                ]));
                for l in wrap(&r.summary, width.saturating_sub(2)) {
                    out.push(Line::styled(format!("  {l}"), t.dim()));
                }
                let mut body = Body {
                    t,
                    width,
                    lines: Vec::new(),
                };
                body.report(r, &d.target);
                out.extend(body.lines);
            }
        }
    }
    out
}

fn title(id: &str) -> String {
    match id {
        "dns" => "DNS",
        "tcp" => "TCP connect",
        "listeners" => "Listening sockets",
        "firewall" => "Firewall",
        "proxy" => "Proxy",
        "environment" => "Environment",
        "http" => "HTTP / TLS",
        "unix" => "Unix socket",
        "service" => "What answers",
        "container" => "Containers",
        other => other,
    }
    .to_string()
}

/// Builds the detail lines under one probe's heading.
struct Body {
    t: Theme,
    width: usize,
    lines: Vec<Line<'static>>,
}

impl Body {
    fn line(&mut self, text: impl AsRef<str>, style: Style) {
        for l in wrap(text.as_ref(), self.width.saturating_sub(4)) {
            self.lines.push(Line::styled(format!("    {l}"), style));
        }
    }

    /// A row of a table: its spaces kept so columns stay aligned; what does not fit goes on
    /// indented continuation rows rather than being cut.
    fn row(&mut self, text: String, style: Style) {
        for l in hard_wrap(&format!("    {text}"), self.width, 6) {
            self.lines.push(Line::styled(l, style));
        }
    }

    fn report(&mut self, r: &ProbeReport, target: &Target) {
        match &r.data {
            ProbeData::Dns(d) => self.dns(d),
            ProbeData::Tcp(d) => self.tcp(d),
            ProbeData::Listeners(d) => self.listeners(d, target, &r.summary),
            ProbeData::Firewall(d) => self.firewall(d, target.port.unwrap_or(0)),
            ProbeData::Proxy(d) => self.proxy(d),
            ProbeData::Environment(d) => self.environment(d),
            ProbeData::Http(d) => self.http(d),
            ProbeData::Unix(d) => self.unix(d),
            ProbeData::Service(d) => self.service(d),
            ProbeData::Container(d) => self.container(d, target.port.unwrap_or(0)),
            ProbeData::None => {}
        }
    }

    fn dns(&mut self, d: &DnsData) {
        let t = self.t;
        let sys = match (&d.system.error, d.system.addresses.is_empty()) {
            (Some(e), _) => format!("system resolver: {} ({:?})", e.message, e.kind),
            (None, true) => "system resolver: no addresses".into(),
            (None, false) => format!("system resolver: {}", join(&d.system.addresses)),
        };
        let style = if d.system.error.is_some() {
            t.bad()
        } else {
            t.plain()
        };
        self.line(format!("{sys}  [{}]", ms(d.system.elapsed_ms)), style);
        if !d.hosts_file.is_empty() {
            self.line(format!("hosts file: {}", join(&d.hosts_file)), t.plain());
        }
        match (&d.direct, &d.direct_skipped) {
            (Some(a), _) => {
                let agrees = sorted(&a.addresses) == sorted(&d.system.addresses);
                let style = if agrees { t.plain() } else { t.highlight() };
                let addrs = if a.addresses.is_empty() {
                    format!("{:?}", a.outcome).to_lowercase()
                } else {
                    join(&a.addresses)
                };
                self.line(
                    format!(
                        "direct query to {}: {addrs}  [{}]",
                        a.servers.join(", "),
                        ms(a.elapsed_ms)
                    ),
                    style,
                );
                if !a.detail.is_empty() {
                    self.line(&a.detail, t.dim());
                }
            }
            (None, Some(why)) => self.line(format!("direct query: {why}"), t.dim()),
            (None, None) => {}
        }
    }

    fn tcp(&mut self, d: &TcpData) {
        let t = self.t;
        let results: Vec<String> = d
            .attempts
            .iter()
            .map(|a| match a.outcome {
                Outcome::Connected => "connected".to_string(),
                o => {
                    let errno = a.errno.map(|n| format!(" ({})", errno_name(n)));
                    format!(
                        "{}{}",
                        format!("{o:?}").to_lowercase(),
                        errno.unwrap_or_default()
                    )
                }
            })
            .collect();
        let aw = column(d.attempts.iter().map(|a| a.address.to_string()), "address");
        let rw = column(results.iter().cloned(), "result");
        self.row(
            format!("{:<aw$}  {:<rw$}  {:>9}", "address", "result", "time"),
            t.dim(),
        );
        for (a, result) in d.attempts.iter().zip(results) {
            let style = if a.outcome == Outcome::Connected {
                t.ok()
            } else {
                t.bad()
            };
            self.row(
                format!(
                    "{:<aw$}  {result:<rw$}  {:>9}",
                    a.address.to_string(),
                    ms(a.elapsed_ms)
                ),
                style,
            );
            match &a.after_connect {
                Some(AfterConnect::Reset) => {
                    self.line("then: the server reset the connection", t.bad())
                }
                Some(AfterConnect::Closed) => {
                    self.line("then: the server closed it at once", t.warn())
                }
                Some(AfterConnect::Banner(b)) => {
                    self.line(format!("then: the server said {b:?}"), t.dim())
                }
                Some(AfterConnect::Waiting) | None => {}
            }
        }
    }

    fn listeners(&mut self, d: &ListenerData, target: &Target, summary: &str) {
        let t = self.t;
        if let Some(e) = &d.error {
            self.line(e, t.warn());
            return;
        }
        let port = target.port.unwrap_or(0);
        let relevance = |p: u16| {
            if p == port {
                2
            } else if p.abs_diff(port) <= NEARBY {
                1
            } else {
                0
            }
        };
        let mut socks: Vec<_> = d.sockets.iter().collect();
        socks.sort_by_key(|l| {
            (
                std::cmp::Reverse(relevance(l.address.port())),
                l.address.port(),
            )
        });
        let aw = column(
            d.sockets.iter().map(|l| l.address.ip().to_string()),
            "address",
        );
        self.row(
            format!("{:<aw$}  {:>5}  {:>7}  process", "address", "port", "pid"),
            t.dim(),
        );
        let mut others = 0;
        for l in socks {
            let rel = relevance(l.address.port());
            if rel == 0 {
                others += 1;
                if others > OTHER_LISTENERS {
                    continue;
                }
            }
            let style = match rel {
                2 => t.ok().patch(t.bold()),
                1 => t.highlight(),
                _ => t.plain(),
            };
            let pid = l.pid.map(|p| p.to_string()).unwrap_or_else(|| "?".into());
            let proc = l
                .process
                .clone()
                .unwrap_or_else(|| format!("uid {}", l.uid));
            let v6 = match l.v6only {
                Some(true) => " v6only",
                _ => "",
            };
            let marker = match rel {
                2 => " ← the target port",
                1 => " ← nearby",
                _ => "",
            };
            self.row(
                format!(
                    "{:<aw$}  {:>5}  {pid:>7}  {proc}{v6}{marker}",
                    l.address.ip().to_string(),
                    l.address.port(),
                ),
                style,
            );
        }
        if others > OTHER_LISTENERS {
            self.line(
                format!("… and {} more on other ports", others - OTHER_LISTENERS),
                t.dim(),
            );
        }
        if d.sockets.is_empty() {
            self.line("no TCP socket is listening on this machine", t.dim());
        }
        if let Some(note) = d
            .owner_note
            .as_ref()
            .filter(|n| !summary.contains(n.as_str()))
        {
            self.line(note, t.warn());
        }
        if !d.own_addresses.is_empty() {
            self.line(
                format!("this machine's addresses: {}", join(&d.own_addresses)),
                t.dim(),
            );
        }
    }

    fn firewall(&mut self, d: &FirewallData, port: u16) {
        let t = self.t;
        if !d.readable {
            let why = d
                .unreadable_reason
                .as_deref()
                .unwrap_or("the rules could not be read");
            self.line(why, t.warn());
            return;
        }
        self.line(
            format!(
                "read from {} · {} rules in all",
                d.sources.join(", "),
                d.total_rules
            ),
            t.dim(),
        );
        let hits = d.affecting(port);
        if hits.is_empty() {
            self.line(
                format!("no reject or drop rule can hit TCP port {port}"),
                t.ok(),
            );
        }
        for r in hits {
            let style = if r.names_port(port) {
                t.highlight()
            } else {
                t.plain()
            };
            let what = if r.default_policy { "policy" } else { "rule" };
            self.line(
                format!("{} {what} in {} {}: {}", r.tool, r.table, r.chain, r.text),
                style,
            );
        }
    }

    fn proxy(&mut self, d: &ProxyData) {
        let t = self.t;
        if d.variables.is_empty() {
            self.line("no proxy variable is set", t.dim());
        }
        for (k, v) in &d.variables {
            self.line(format!("{k}={v}"), t.plain());
        }
        if let Some(u) = &d.applies {
            let style = if u.reachable { t.plain() } else { t.bad() };
            self.line(
                format!("applies: {} → {} ({})", u.variable, u.address, u.detail),
                style,
            );
        }
        if let Some(b) = &d.bypassed_by {
            self.line(
                format!("bypassed: NO_PROXY entry {b} exempts the target"),
                t.dim(),
            );
        }
        if let Some(n) = &d.note {
            self.line(n, t.dim());
        }
    }

    fn environment(&mut self, d: &EnvData) {
        let t = self.t;
        let mut kinds = Vec::new();
        if d.container {
            kinds.push(format!(
                "container ({})",
                d.runtime.as_deref().unwrap_or("runtime unknown")
            ));
        }
        if d.kubernetes {
            kinds.push("Kubernetes pod".into());
        }
        if d.wsl {
            kinds.push("WSL".into());
        }
        if kinds.is_empty() {
            kinds.push("a plain host (no container, WSL or Kubernetes seen)".into());
        }
        self.line(
            kinds.join(", "),
            if d.container {
                t.highlight()
            } else {
                t.plain()
            },
        );
        for e in &d.evidence {
            self.line(format!("• {e}"), t.dim());
        }
    }

    fn http(&mut self, d: &HttpData) {
        let t = self.t;
        self.line(format!("GET {} via {}", d.url, d.address), t.plain());
        if let Some(code) = d.status {
            let style = if code >= 500 { t.bad() } else { t.ok() };
            let server = d
                .server
                .as_deref()
                .map(|s| format!(" · server {s}"))
                .unwrap_or_default();
            let ttfb = d
                .ttfb_ms
                .map(|v| format!(" · first byte {}", ms(v)))
                .unwrap_or_default();
            self.line(format!("status {code}{server}{ttfb}"), style);
        }
        match &d.tls {
            Some(TlsOutcome::Ok) => self.line("TLS handshake and certificate: ok", t.ok()),
            Some(TlsOutcome::PlainPort) => {
                self.line("https asked, but the port speaks plain HTTP", t.bad())
            }
            Some(TlsOutcome::TlsPort) => self.line("http asked, but the port speaks TLS", t.bad()),
            Some(TlsOutcome::CertificateRejected(why)) => {
                self.line(format!("certificate rejected: {why}"), t.bad())
            }
            Some(TlsOutcome::HandshakeFailed(why)) => {
                self.line(format!("TLS handshake failed: {why}"), t.bad())
            }
            None => {}
        }
        if d.reset {
            self.line(
                "the connection was reset while waiting for the answer",
                t.bad(),
            );
        }
        if let Some(e) = &d.error {
            self.line(e, t.warn());
        }
    }

    fn service(&mut self, d: &ServiceData) {
        let t = self.t;
        let a = &d.answer;
        if let Some(p) = &a.product {
            self.line(format!("answered: {p}"), t.plain());
        }
        if let Some(m) = &a.message {
            let style = match a.outcome {
                service::Outcome::Rejected | service::Outcome::Starting => t.bad(),
                _ => t.plain(),
            };
            self.line(format!("said: {m}"), style);
        }
        if let Some(c) = &a.code {
            self.line(format!("code: {c}"), t.dim());
        }
        if let Some(local) = d.local {
            self.line(format!("from: {local}"), t.dim());
        }
        for step in &d.steps {
            self.line(format!("· {step}"), t.dim());
        }
        if let Some(c) = &d.tls {
            let style = if c.problem.is_some() {
                t.bad()
            } else {
                t.plain()
            };
            self.line(format!("certificate: {}", c.subject), style);
            if !c.names.is_empty() {
                self.line(format!("for: {}", c.names.join(", ")), t.dim());
            }
            self.line(format!("issued by: {}", c.issuer), t.dim());
            self.line(
                format!("valid: {} to {}", c.not_before, c.not_after),
                t.dim(),
            );
            if let Some(p) = &c.problem {
                self.line(format!("problem: {p}"), t.bad());
            }
        }
    }

    fn container(&mut self, d: &ContainerData, port: u16) {
        let t = self.t;
        if let Some(why) = &d.unavailable {
            self.line(why.clone(), t.dim());
            return;
        }
        let mut show = |label: &str, c: &ContainerInfo| {
            let bad = !c.running();
            let state = match (c.exit_code, bad) {
                (Some(code), true) => format!("{} (exit {code}, {} restarts)", c.state, c.restarts),
                _ => c.state.clone(),
            };
            self.line(
                format!("{label}: {} [{}] {state}", c.name, c.image),
                if bad { t.bad() } else { t.plain() },
            );
            if let Some(b) = c.published(port) {
                self.line(
                    format!(
                        "publishes {}:{} → container port {}",
                        b.host_ip, b.host_port, b.container_port
                    ),
                    t.dim(),
                );
            }
            self.line(
                format!("listening inside: {}", join_addrs(&c.listening)),
                t.dim(),
            );
            if let Some(h) = &c.health {
                self.line(format!("health: {h}"), t.dim());
            }
            let nets: Vec<String> = c.networks.iter().map(|(n, a)| format!("{n} {a}")).collect();
            if !nets.is_empty() {
                self.line(format!("networks: {}", nets.join(", ")), t.dim());
            }
        };
        if let Some(c) = &d.client {
            show("client runs in", c);
        }
        if let Some(c) = &d.publishing {
            show("behind the port", c);
        }
        if let Some(c) = &d.named {
            show("named by the target", c);
        }
        for c in &d.serving {
            show("serves the port", c);
        }
    }

    fn unix(&mut self, d: &UnixData) {
        let t = self.t;
        let outcome = format!("{:?}", d.outcome).to_lowercase();
        self.line(format!("{}: {outcome}", d.path.display()), t.plain());
        self.line(&d.detail, t.dim());
        if let Some(m) = &d.mode {
            let owner = d
                .owner
                .map(|(u, g)| format!(" uid {u} gid {g}"))
                .unwrap_or_default();
            self.line(format!("mode {m}{owner}"), t.dim());
        }
        if let Some(p) = &d.existing_parent {
            self.line(
                format!("nearest existing directory: {}", p.display()),
                t.dim(),
            );
        }
    }
}

/// The width of a table column: its widest cell or its heading.
fn column(cells: impl Iterator<Item = String>, heading: &str) -> usize {
    cells
        .map(|c| c.chars().count())
        .max()
        .unwrap_or(0)
        .max(heading.len())
}

fn join(ips: &[std::net::IpAddr]) -> String {
    ips.iter()
        .map(|i| i.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

fn sorted(ips: &[std::net::IpAddr]) -> Vec<std::net::IpAddr> {
    let mut v = ips.to_vec();
    v.sort();
    v
}
