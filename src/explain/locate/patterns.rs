//! The patterns the reader matches each line with, compiled once.

use crate::explain::scan::parse_port;
use crate::knowledge::signatures::compile;
use regex::Regex;
use std::sync::OnceLock;

pub struct Patterns {
    pub url: Regex,
    pub host_port_words: Regex,
    pub hostport: Regex,
    pub kv_host: Regex,
    pub kv_port: Regex,
    pub field_host: Regex,
    pub field_port: Regex,
    pub flag_host: Regex,
    pub flag_server: Regex,
    pub flag_port: Regex,
    pub tool_host_port: Regex,
    pub tool_host: Regex,
    pub new_connection: Regex,
    pub user_at_host: Regex,
    pub user_at_ip: Regex,
    pub user_at_name_path: Regex,
    pub registry_host: Regex,
    pub localhost: Regex,
    pub quoted_host: Regex,
    pub ipv4: Regex,
    pub port_word: Regex,
    pub foreign_port: Regex,
    pub hidden_host_port: Regex,
    pub fingerprint: Regex,
    pub name_ip_port: Regex,
    pub wget_connecting: Regex,
    pub backend_open: Regex,
    pub host_slash_port: Regex,
    pub call_args: Regex,
    pub port_first_call: Regex,
    pub quoted_host_port: Regex,
    pub server_name: Regex,
    pub apple_endpoint: Regex,
    pub dns_words: Regex,
    pub glued_flag_host: Regex,
    pub attempt: Regex,
    pub sql: Regex,
    pub failure: Regex,
    pub network: Regex,
    pub hash_port: Regex,
    pub at_port: Regex,
    pub port_on_host: Regex,
    pub sshd_on: Regex,
    pub ping: Regex,
    pub dig_server: Regex,
    pub nslookup_server: Regex,
    pub dig_name: Regex,
    pub resolver_down: Regex,
    pub sqlserver: Regex,
    pub oracle_thin: Regex,
    pub sentence_host: Regex,
    pub for_failed: Regex,
    pub bracket_host: Regex,
    pub ansible_host: Regex,
    pub hadoop_destination: Regex,
    pub command_host_port: Regex,
    pub dev_tcp: Regex,
    pub getaddrinfo_args: Regex,
    pub curl_payload: Regex,
    pub not_place: Regex,
    pub image_link: Regex,
    pub client_call: Regex,
    pub bare_connect_call: Regex,
    pub ssh_password: Regex,
    pub named_host: Regex,
    pub connect_host_port: Regex,
    pub call_port_kwarg: Regex,
    pub tuple_host: Regex,
    pub erlang_address: Regex,
    pub strace_connect: Regex,
    pub connect_tuple_port: Regex,
    pub slash_place: Regex,
    pub ssh_to: Regex,
    pub unc_host: Regex,
    pub nfs_export: Regex,
    pub failed_command: Regex,
}

pub fn patterns() -> &'static Patterns {
    static P: OnceLock<Patterns> = OnceLock::new();
    P.get_or_init(|| {
        // Compiled as signatures are, with ASCII word boundaries, so that an address glued
        // to text in another script ("访问http://…") is still found.
        let re = |s: &str| compile(s).expect("built-in pattern compiles");
        Patterns {
            // `10.0.0.2#53`: BIND's tools (dig, nslookup, named) write the port after a hash.
            hash_port: re(
                r"(\[[0-9A-Fa-f:.%\w]+\]|[0-9A-Fa-f]*:[0-9A-Fa-f:.]*:[0-9A-Fa-f.]+|(?:\d{1,3}\.){3}\d{1,3}|[A-Za-z0-9][\w\-]*(?:\.[\w\-]+)+)#(\d{1,5})\b",
            ),
            // `1.12.12.12@853`: Knot's and Unbound's tools (kdig, unbound-host) write the port
            // after an at sign. Only an address literal: `user@1.2.3.4` and `name@host` are
            // no port.
            at_port: re(
                r"(?:^|[^\w.@:])((?:\d{1,3}\.){3}\d{1,3}|[0-9A-Fa-f]*:[0-9A-Fa-f:.]*:[0-9A-Fa-f.]+)@(\d{1,5})\b",
            ),
            // "port 22 on 10.0.0.5", "port 8080 of host api", Ansible's "on PORT 22 TO
            // sorrel": the port first.
            port_on_host: re(
                r#"(?i)\bport\s+(\d{1,5})\s+(?:on|at|of|(?-i:TO))\s+(?:host\s+)?["'`“]?(\[[0-9a-f:.%\w]+\]|[0-9a-f]*:[0-9a-f:.]+|[A-Za-z0-9][\w.\-]*)"#,
            ),
            // sshd's record of a connection that came in: `Connection from 10.0.0.9 port
            // 53430 on 10.0.0.5 port 22`; the server's own address and port come last.
            sshd_on: re(
                r"\bConnection\s+from\s+\S+\s+port\s+\d{1,5}\s+on\s+(\[[0-9a-f:.%\w]+\]|[0-9A-Fa-f.:]+|[A-Za-z0-9][\w.\-]*)\s+port\s+(\d{1,5})\b",
            ),
            // ping and traceroute name their target first: `ping -c 3 db.lan`, `PING db.lan
            // (10.0.0.5)`, `Pinging 10.0.0.5 with 32 bytes`, `Tracing route to x`. An IPv6
            // address needs its colon here, or a name starting with hex letters (`db.lan`)
            // would be cut to `db.`.
            ping: re(
                r#"(?i)(?:^|[\s`$>"'])(?:ping6?|fping|traceroute6?(?:\s+to\b)?|tracert|tracepath|mtr|pinging|tracing\s+route\s+to)\s+(?:-{1,2}[A-Za-z46][\w\-]*(?:[\s=]+\d[\w.]*)?\s+)*(\[[0-9A-Fa-f:.%\w]+\]|[0-9A-Fa-f]*:[0-9A-Fa-f:.]*(?:%\w+)?|[A-Za-z0-9][\w\-]*(?:\.[\w\-]+)*)"#,
            ),
            // dig's server (`dig @10.0.0.2 name`): where its query went.
            dig_server: re(r"(?i)(?:\bdig\b|<<>>\s+DiG\s+\S+\s+<<>>)[^\n@]{0,80}?\s@([\w.\-:%\[\]]+)"),
            // The name dig or nslookup asked about: `dig +short api.lan`, the banner `; <<>>
            // DiG 9.18 <<>> api.lan`, `nslookup api.lan 10.0.0.2`.
            // A resolver's own transport failing (dig's `no servers could be reached`,
            // nslookup's `DNS request timed out`): the DNS server is then the target.
            resolver_down: re(
                r"(?i)no servers could be reached|DNS request timed out|communications error to",
            ),
            // nslookup's server is the argument after the name (`nslookup db.lan 10.0.0.2`).
            nslookup_server: re(
                r"(?i)\bnslookup\s+(?:-\S+\s+)*[A-Za-z0-9][\w.\-]*\s+(\[?[0-9A-Fa-f:.]+\]?|[A-Za-z0-9][\w\-]*(?:\.[\w\-]+)+)\s*$",
            ),
            dig_name: re(
                r"(?i)(?:\bdig|<<>>\s+DiG\s+\S+\s+<<>>|\bnslookup)\s+(?:(?:[@+\-]\S+|-[a-z]\s+\S+|[A-Z]{1,5})\s+)*([A-Za-z][\w\-]*(?:\.[\w\-]+)+)\.?(?:\s|$)",
            ),
            // SQL Server's own spelling: `Data Source=tcp:db,1433`, `Server=db\SQLEXPRESS,1433`,
            // `sqlcmd -S tcp:db,1433`: a comma before the port, an instance after a backslash.
            sqlserver: re(
                r#"(?i)(?:\b(?:data\s+source|server|address|addr)\s*=\s*|\b(?:sqlcmd|bcp|osql)\b[^\n]{0,80}?\s-S\s*["']?)(?:(?:tcp|np|lpc):)?(\[[0-9a-f:]+\]|[\w.\-]+)(?:\\[\w$]+)?(?:\s*,\s*(\d{1,5}))?"#,
            ),
            // Oracle's thin URL has no `//` after its scheme: `jdbc:oracle:thin:@db:1521:ORCL`,
            // `jdbc:oracle:thin:@//db:1521/svc`.
            oracle_thin: re(
                r"(?i)(?:\bjdbc:oracle:thin:[^@\s]*@(?://)?|\b(?:sqlplus|sqlldr|rman|expdp|impdp)\s+(?:-\S+\s+)*[^@\s]*@//)(\[[0-9a-f:]+\]|[\w.\-]+)(?::(\d{1,5}))?",
            ),
            // A browser names the host in a sentence: `The server at x is taking too long`,
            // `x’s server IP address could not be found`, `x refused to connect`, `Safari
            // can’t open the page “x”`, `x sent an invalid response`, `An error occurred
            // during a connection to x.`, `The connection to [x] was interrupted`,
            // ApacheBench's `Benchmarking x (be patient)`, Chrome's pages in Japanese, Chinese
            // and German (`x からの応答時間が長すぎます`, `x 意外终止了连接`, `x hat die
            // Verbindung abgelehnt`) and its newer English one (`The x server refused the
            // connection`), Safari's `can't find the server for x` and Chrome's Chinese `x 的响应
            // 时间过长` (took too long to respond), `connect to x: Reason` with the reason
            // capitalised, ACME's `Requesting x/directory: Connection refused` and a peer's
            // error by its name (`TLS error from 'mx.lan': Handshake failed`), Chrome's
            // certificate page (`When Chrome tried to connect to x this time`), an attempt
            // told at the end of its line (`Trying to connect to x...`), and TeamSpeak's
            // German one (`Versuche zum Server auf x zu verbinden`).
            // What a step was for when it failed (Chromium's `CERT_PKIXVerifyCert for
            // shop.lan failed`, aria2's `Failed to resolve the hostname x`).
            for_failed: re(
                r"(?i)\bfor\s+([A-Za-z0-9][\w\-]*(?:\.[\w\-]+)+)\s+failed\b|\bresolve\s+the\s+host\s*name\s+([A-Za-z0-9][\w\-]*(?:\.[\w\-]+)+)",
            ),
            sentence_host: re(
                r#"(?i)\b(?:server|host)\s+at\s+["'“]?(\[[0-9a-f:.%]+\](?::\d{1,5})?|[\w.\-]+(?::\d{1,5})?)|\b([A-Za-z0-9][\w.\-]*(?::\d{1,5})?)(?:’|')s\s+(?:server|DNS)\b|\bopen\s+the\s+page\s+[“"']([^”"'\s]+)[”"']|\b([A-Za-z0-9][\w.\-]*(?::\d{1,5})?)\s+(?:refused\s+to\s+connect|took\s+too\s+long\s+to\s+respond|unexpectedly\s+closed\s+the\s+connection|didn(?:’|')t\s+send\s+any\s+data|sent\s+an\s+invalid\s+response)|\b(?:connection|connecting|(?:trying|attempting)\s+to\s+connect)\s+to\s+(\[[0-9a-f:.%]+\]|[A-Za-z0-9][\w\-]*(?:\.[\w\-]+)+)(?:\s+(?:was|via|has|failed)\b|\.\s|\.{0,3}$|…$|,)|\bVersuche\s+(?:zum\s+Server\s+)?(?:auf|mit)\s+([A-Za-z0-9][\w\-]*(?:\.[\w\-]+)+(?::\d{1,5})?)\s+zu\s+verbinden|连接到\s*([A-Za-z0-9][\w\-]*(?:\.[\w\-]+)+(?::\d{1,5})?)|\bVerbinden\s+mit\s+([A-Za-z0-9][\w\-]*(?:\.[\w\-]+)+(?::\d{1,5})?)|\bBenchmarking\s+([\w.\-]+(?::\d{1,5})?)\s+\(be\s+patient\)|\b([A-Za-z0-9][\w\-]*(?:\.[\w\-]+)+(?::\d{1,5})?)\s*(?:からの応答時間が長すぎます|意外终止了连接|hat\s+die\s+Verbindung\s+abgelehnt)|\bThe\s+([A-Za-z0-9][\w\-]*(?:\.[\w\-]+)+)\s+server\s+refused\s+the\s+connection|\bfind\s+the\s+server\s+for\s+([A-Za-z0-9][\w\-]*(?:\.[\w\-]+)+)|([A-Za-z0-9][\w\-]*(?:\.[\w\-]+)+(?::\d{1,5})?)\s*的?响应时间过长|\bconnect\s+to\s+((?:\d{1,3}\.){3}\d{1,3}|localhost|[A-Za-z0-9][\w\-]*(?:\.[\w\-]+)+):\s+(?-i:[A-Z][a-z])|\brequesting\s+([A-Za-z0-9][\w\-]*(?:\.[\w\-]+)+)(?:/[^\s:]*)?:\s|\b(?:error|failure)\s+from\s+["'`]([A-Za-z0-9][\w\-]*(?:\.[\w\-]+)+(?::\d{1,5})?)["'`]:|\btried\s+to\s+connect\s+to\s+([A-Za-z0-9][\w\-]*(?:\.[\w\-]+)+)\s+this\s+time\b"#,
            ),
            // `[api.lan] Operation timed out`: a name in brackets, then the failure; Deployer
            // marks the remote's output with `<` (`[10.0.0.5] < Host key verification failed`).
            bracket_host: re(
                r"\[([a-z0-9][a-z0-9\-]*(?:\.[a-z0-9\-]+)+)\]:?\s+(?:<\s+)?(?i:operation|connection|could|couldn|failed|failure|resolving|timed|timeout|unable|error|host\s+key)",
            ),
            // Ansible's inventory host that could not be reached (`fatal: [web01]:
            // UNREACHABLE!`), named as the inventory names it, one word or more.
            // Hadoop's IPC names both ends: `local host is: "a/10.0.0.2"; destination host
            // is: "nn.lan":8020;`.
            hadoop_destination: re(r#"\bdestination\s+host\s+is:\s*"([^"\s]+)":(\d{1,5})\b"#),
            ansible_host: re(r"\b(?:fatal|failed):\s+\[([^\]\s]+)\]:\s+UNREACHABLE!"),
            // A command line ending in a host and a port (`$ deno run app.ts localhost 8000`,
            // or with no prompt, a script run by its interpreter: `node client.js h.lan 8043`,
            // `$JAVA_HOME/bin/java SSLPoke h.lan 443`), also after a `[user@box dir]#`
            // prompt; a few words that are no number may follow the port (`Send 10.0.0.5
            // 5672 user ***`).
            command_host_port: re(
                r"(?:^\s*(?:\$|>|#|\[[^\]\n]{1,80}\][#$]|[A-Za-z]:\\?[^\s>]*>|(?:\S*/)?(?:node|nodejs|python[23]?|ruby|php|perl|java))|\$)\s+\S.*?\s((?:\d{1,3}\.){3}\d{1,3}|localhost|[A-Za-z][\w\-]*(?:\.[\w\-]+)+)\s+(\d{2,5})(?:\s+[^\s\d]\S*){0,3}\s*$",
            ),
            // bash's own sockets: `/dev/tcp/10.0.0.5/6379`.
            dev_tcp: re(r"/dev/(?:tcp|udp)/(\[?[0-9A-Fa-f:]+:[0-9A-Fa-f:]*\]?|[A-Za-z0-9][\w.\-]*)/(\d{1,5})\b"),
            // The name and service a program handed to getaddrinfo: `getaddrinfo db.lan ,
            // 5432`, rsync's `getaddrinfo: db.lan 873`; a name the reporter replaced by a
            // phrase in quotes still leaves the port.
            getaddrinfo_args: re(
                r#"(?i)\bgetaddrinfo(?:\(\))?:?\s+(?:"([^"\n]{1,60})"|([A-Za-z0-9][\w\-]*(?:\.[\w\-]+)+|localhost))\s*,?\s+(\d{1,5})\b"#,
            ),
            // What curl sends (`-d '{"url":"https://…"}'`, `-H 'Referer: …'`) is data, not
            // where it connects.
            curl_payload: re(
                r#"\s(?:-d|--data(?:-raw|-binary|-urlencode)?|-H|--header|-F|--form|-e|--referer)\s+(?:'[^']*'|"[^"]*")"#,
            ),
            // A host named in words of asking: SNMP's `No Response from X`, `SSL connection
            // failed for X`, Capistrano's `connection failed for: X`, mitmproxy's `Certificate
            // verification error for X:`, `failed retrieving file 'core.db' from X`,
            // collectd's `… on host X failed`, Miranda's `getaddrinfo() for host X failed`.
            named_host: re(
                r#"(?i)\bNo\s+Response\s+from\s+((?:(?:\d{1,3}\.){3}\d{1,3}|localhost|[A-Za-z0-9][\w\-]*(?:\.[\w\-]+)+)(?::\d{1,5})?)|\b(?:(?:connection|connect|request|handshake|session)\s+failed|verification\s+error)\s+for:?\s+((?:(?:\d{1,3}\.){3}\d{1,3}|localhost|[A-Za-z0-9][\w\-]*(?:\.[\w\-]+)+)(?::\d{1,5})?)|\b(?:retriev|download|fetch)\w*\s+(?:[^\n]{0,80}?\s)?from\s+["'“]?((?:(?:\d{1,3}\.){3}\d{1,3}|[A-Za-z0-9][\w\-]*(?:\.[\w\-]+)+)(?::\d{1,5})?)|\b(?:on|for)\s+host\s+((?:\d{1,3}\.){3}\d{1,3}|[A-Za-z0-9][\w\-]*(?:\.[\w\-]+)+)\s+failed\b"#,
            ),
            // A connect report ending in a host and a port (`arthas-client connect 10.0.0.5
            // 3658`, `Connect to telnet server error: 10.0.0.5 3658`).
            connect_host_port: re(
                r"(?i)\bconnect\w*\b[^\n]{0,40}?[\s:]((?:\d{1,3}\.){3}\d{1,3}|localhost|[A-Za-z0-9][\w\-]*(?:\.[\w\-]+)+)\s+(\d{1,5})\s*$",
            ),
            // A call given the host first and the port by keyword (`asyncssh.connect('10.0.0.5',
            // username='x', port=22)`).
            // strace's socket address: `sin_port=htons(80), sin_addr=inet_addr("127.0.0.1")`,
            // `sin6_port=htons(80), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, "::1", …)`.
            strace_connect: re(
                r#"\bsin6?_port=htons\((\d{1,5})\),\s*(?:sin6_flowinfo=htonl\(\d+\),\s*)?(?:sin_addr=inet_addr\(|inet_pton\(AF_INET6,\s*)"([^"\s]+)""#,
            ),
            // Python's `sock.connect((host, 443))` with the host in a variable: the port.
            // mbedTLS's sample clients and SDKs built on them: `Connecting to
            // tcp/mqtt.lan/8883...`, `Connecting to /mqtt.lan/1883...`; WeeChat's
            // `connecting to server irc.lan/6697 (TLS)`.
            slash_place: re(
                r"(?i)(?:\btcp/|\bconnecting\s+to\s+/|\bconnecting\s+to\s+server\s+)((?:\d{1,3}\.){3}\d{1,3}|[A-Za-z0-9][\w\-]*(?:\.[\w\-]+)+)/(\d{1,5})\b",
            ),
            // A sentence saying ssh was used to reach a host (`I can't SSH to 10.0.0.2`):
            // ssh's port.
            ssh_to: re(
                r"(?i)\bssh(?:ing)?\s+(?:in)?to\s+(?:the\s+|my\s+)?(?:host\s+|server\s+)?((?:\d{1,3}\.){3}\d{1,3}|[A-Za-z0-9][\w\-]*(?:\.[\w\-]+)+)\b",
            ),
            // A Windows share's path names its server (`\\files.lan\share`).
            unc_host: re(
                r#"(?:^|[\s'"(])\\\\((?:\d{1,3}\.){3}\d{1,3}|[A-Za-z0-9][\w\-]*(?:\.[\w\-]+)+)(?:\\|\s|$|['")])"#,
            ),
            // An NFS export handed to mount (`mount -o vers=3 10.0.0.5:/srv /mnt`, macOS's
            // `mount_nfs 10.0.0.5:/srv /mnt`), named by mount.nfs (`mount to NFS server
            // 'nfs.lan:/export' failed`), or an Ansible mount's `'src': 'nfs01:/export'`.
            // A line that reports a command which failed, quoting it: Homebrew's "Failure while
            // executing; `git clone https://…` exited with 128", node's `Command failed: git
            // clone …`, Python's `Command '['git', 'clone', …]' returned non-zero exit status`.
            // The command is the one that ran, however far below the error it is told.
            failed_command: re(
                r"(?i)\b(?:failure\s+while\s+executing|command\s+failed:|command\s+'|returned\s+non-zero\s+exit\s+status|exited\s+with\s+(?:code\s+|status\s+)?\d)",
            ),
            nfs_export: re(
                r#"(?:\bmount(?:[._]nfs4?)?\s+(?:[^\n]*?\s)?|\bNFS\s+server\s+['"]?)((?:\d{1,3}\.){3}\d{1,3}|[A-Za-z][\w\-]*(?:\.[\w\-]+)+):/|\bsrc['"]?\s*[:=]\s*['"]([A-Za-z0-9][\w\-]*(?:\.[\w\-]+)*):/"#,
            ),
            connect_tuple_port: re(r"\.connect(?:_ex)?\(\(\s*[A-Za-z_][\w.]*\s*,\s*(\d{1,5})\s*\)\)"),
            // Erlang's and Elixir's option lists: `{host, "db.lan"}`, `{:hostname, 'db'}`;
            // an error term naming the host it was about (`{:error, 'db.lan', :nxdomain}`).
            tuple_host: re(
                r#"\{\s*:?host(?:name)?\s*,\s*["']([\w.\-:]+)["']\s*\}|\{\s*:?error\s*,\s*["']([\w\-]+\.[\w.\-]+|localhost)["']\s*,\s*:?[a-z_]+\s*\}"#,
            ),
            // Erlang's address and port as terms: `{{172,18,0,2},17012}`, or handed to
            // `gen_tcp:connect({172,18,0,2}, 17012, …)`.
            erlang_address: re(
                r"(?:\{|\bconnect\()\s*\{\s*(\d{1,3})\s*,\s*(\d{1,3})\s*,\s*(\d{1,3})\s*,\s*(\d{1,3})\s*\}\s*,\s*(\d{1,5})\s*[},]",
            ),
            call_port_kwarg: re(
                r#"\(\s*\\?["']((?:\d{1,3}\.){3}\d{1,3}|localhost|[A-Za-z0-9][\w\-]*(?:\.[\w\-]+)+)\\?["'][^()\n]{0,160}?\bport\s*=\s*(\d{1,5})\b"#,
            ),
            url: re(r#"(?i)\b[a-z][a-z0-9+.\-]{1,15}://(?:[^\s"'<>`|\\]|<[\w\-.]{1,40}>)+"#),
            // "host X port N", "X port N", "X (port N)", "server X on port N", "X, port N"
            // (the port perhaps with a thousands separator);
            // a host the reporter replaced by `<domain>/<ip>` or `[IP address]` still gives the
            // port.
            host_port_words: re(
                r#"(?i)(?:\bhost(?:name)?\s+|\bto\s+/?|\bserver\s+|\bat\s+|^|[\s(\[])["'`]?(\[[0-9a-f:.%\w]+\]|[A-Za-z0-9](?:[\w.\-]*[A-Za-z0-9])?(?:/[0-9a-f.:]+)?|[0-9a-f:]+:[0-9a-f:.]+(?:%[\w.\-]+)?|<[\w\-. ]{1,40}>(?:/<[\w\-. ]{1,40}>|/[0-9a-f.:]+)?|\[[A-Za-z][A-Za-z\-. ]{1,40}\])["'`]?\)?,?\s*(?:(?:on|and|using)\s+)?\(?port\s*[:=]?\s*["'`]?(\d{1,2},\d{3}|\d{1,5})\b"#,
            ),
            hostport: re(
                r#"(\[[0-9A-Fa-f:.%\w\-]+\]|[A-Za-z0-9_][\w.\-]*(?:/[0-9A-Fa-fxX*.:]+|/\[[0-9A-Fa-f:.%]+\])?|::[0-9A-Fa-f:.]*|[0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{0,4}){2,7}):(\d{1,5})(?:[^\d.]|\.(?:[\s"'”’)\]]|$)|$)"#,
            ),
            kv_host: re(
                r#"(?i)(?:^|[\s{(,;"'])"?(?:host(?:name)?|address|addr|server(?:_?addr)?|remote_?addr|endpoint|brokers?|bootstrap[._]servers)"?\s*[:=]\s*(?:Some\(\s*\w+\(\s*|\[\s*)?["'`]?(\[[0-9a-f:.%\w]+\]|\{[\w.\-]{1,40}\}|[\w.\-:%]+)"#,
            ),
            // Also a Ruby settings line, `port "4567"`.
            kv_port: re(
                r#"(?i)(?:^|[\s{(,;"'])"?port"?\s*(?:[:=]\s*(?:Some\(\s*)?["']?|")(\d{1,5})\b"#,
            ),
            // A host or a port given as a named field or constant on a line of its own:
            // `host = "db"` then `port = 5432`, `NEO4J_HOST = "localhost"` then
            // `NEO4J_PORT = 8687`, `.port=1883,`, PHP's `$mail->Port = 465;`,
            // `#define SERVER_PORT 8080`, Ruby's `:host => "db"`. The
            // prefix (NEO4J, SERVER) pairs a host with its own port.
            field_host: re(
                r#"(?i)(?:^|[\s{(,;"'.>]|[\s{(,]:)["']?(?:([a-z0-9_]+?)_)?(?:host(?:name)?|addr(?:ess)?|server|ip)["']?\s*(?:[:=]|=>)\s*["'`]?(\[[0-9a-f:.%]+\]|[\w.\-%:]+)|#define\s+(?:([a-z0-9_]+?)_)?(?:host(?:name)?|addr(?:ess)?|server|ip)\s+["']?([\w.\-:]+)"#,
            ),
            field_port: re(
                r#"(?i)(?:^|[\s{(,;"'.>]|[\s{(,]:)["']?(?:([a-z0-9_]+?)_)?port["']?\s*(?:[:=]|=>)\s*["']?(\d{1,5})\b|#define\s+(?:([a-z0-9_]+?)_)?port\s+(\d{1,5})\b|\{\s*:?port\s*,\s*(\d{1,5})\s*\}"#,
            ),
            // A command's host flag, PowerShell's `-ComputerName` in any case among them.
            flag_host: re(
                r#"(?:^|\s)(?:-h|-H|--host|-host|--hostname|--server|-connect|--url|--endpoint-url|(?i:-ComputerName|-HostName))(?:\s+|=)["']?([^\s"']+)"#,
            ),
            // Flags that name a server in fewer tools, taken only with a value shaped like
            // an address: `check_supervisord -s 10.0.0.5`, `nats -s localhost:4222`,
            // `xfreerdp /v:rdp.lan:3390`, `--addr`, `--address`, `--target`, a tunnel's
            // `--to`, an exploit script's remote `-r`/`--rhost` (an IP address only: `-r`
            // is recursion to most tools).
            flag_server: re(
                r#"(?:^|\s)(?:(?:-s|-r|--addr|--address|--target|--to|--rhost)(?:\s+|=)|/v:)["']?((?:\d{1,3}\.){3}\d{1,3}(?::\d{1,5})?|localhost(?::\d{1,5})?|\[[0-9A-Fa-f:]+\](?::\d{1,5})?|[A-Za-z0-9][\w\-]*(?:\.[\w\-]+)+(?::\d{1,5})?)["']?(?:\s|$)"#,
            ),
            // Not a range or a list (`iperf3 -p 5201-5203`): no one port is the target.
            flag_port: re(
                r#"(?:^|\s)(?:-P\s*|-p\s+|--?port(?:\s+|=))["']?(\d{1,5})["']?(?:$|[^\d\-,\w])"#,
            ),
            // telnet/nc/ncat/ftp host port, and ftp's own `ftp> open host port`. An option may
            // take a value (`telnet -l root h 23`, `nc -w 3 h 80`); the port is a whole word
            // (`192.` is no port).
            // Tcl's `socket ?-async? host port`, at its `%` prompt or in a script's `[socket …]`.
            tool_host_port: re(
                r#"(?i)(?:^|[\s`$>"'])(?:telnet|nc|ncat|netcat|ftp|ftp>\s*open|%\s*socket|\[socket)\s+((?:-[\w]+\s+(?:[^\s\-]\S*\s+)?)*)([\w.:\[\]%][\w.\-:\[\]%]*)\s+(\d{1,5})(?:$|[^\w.:])"#,
            ),
            // Tools whose host is a plain argument: `iperf3 -c HOST`, `ntpdate HOST`, `telnet
            // HOST` (port 23 unless one follows, which `tool_host_port` reads), `nmap
            // -p 4567 HOST`.
            tool_host: re(
                r#"(?i)(?:^|[\s`$>/"'#])(?:iperf3?\s+(?:[^\n]*?\s)?-c\s*|ntpdate\s+(?:-\S+\s+)*|telnet\s+|l?ftp\s+(?:-\S+\s+)*|showmount\s+(?:-\S+\s+)*|nmap\s+(?:(?:--script(?:-args)?|-o[NXGSA]|-iL|-e)\s+\S+\s+|-\S+(?:\s+\d[\d,\-]*)?\s+)*)([A-Za-z0-9][\w.\-]*|\[?[0-9A-Fa-f:]+:[0-9A-Fa-f:]*\]?)(?:[\s"']|$)"#,
            ),
            // urllib3's debug record of a new connection: `Starting new HTTPS connection
            // (1): api.lan:443`, older versions without the port.
            new_connection: re(
                r"(?i)\bStarting\s+new\s+(HTTPS?)\s+connection\s+\(\d+\):\s+(\[[0-9A-Fa-f:]+\]|[A-Za-z0-9][\w.\-]*)(?::(\d{1,5}))?",
            ),
            // ssh user@host, git@host:repo (ssh underneath).
            user_at_host: re(
                r"(?i)(?:\b(?:ssh|scp|sftp|rsync)\s+(?:-\S+\s+(?:\d+\s+)?)*(?:[\w.\-]+@)?|\bgit@)([A-Za-z0-9][\w.\-]*)",
            ),
            // `user:secret@10.0.0.5` on a command line (impacket, database and mail
            // tools, scp's and rsync's `user@10.0.0.5:/path`): the address after the `@`.
            // Only an IP address, so that a mail
            // address in prose is never read as a place.
            user_at_ip: re(
                r"(?:^|\s)[^\s@/]*(?:/[^\s@]*)?@((?:\d{1,3}\.){3}\d{1,3})(?::(\d{1,5}))?(?:[\s/]|:[^\d\s]|$)",
            ),
            // scp's and rsync's remote `user@host.lan:/path` or `user@host.lan:~/dir`: a name
            // followed by a path, which a mail address never is. Never at a line's start,
            // where `user@host.lan:~$` is a shell prompt. A login with a port
            // (MassTransit's `guest@localhost:5672/vhost`) is a place too.
            user_at_name_path: re(
                r#"[\s'"(][\w.\-]+@([A-Za-z0-9][\w\-]*(?:\.[\w\-]+)+|localhost):(?:/|~/|(\d{1,5})(?:/|["'\s,)]|$))"#,
            ),
            // `docker login -u me -p x registry.lan`: options and their values before it.
            registry_host: re(
                r"(?i)\b(?:docker|podman|helm)\s+(?:login|pull|push)\s+(?:-{1,2}[\w\-]+(?:[=\s]+[^\s\-]\S*)?\s+)*([A-Za-z0-9][\w\-]*(?:\.[\w\-]+)+)",
            ),
            localhost: re(r"(?i)\blocalhost\b"),
            quoted_host: re(
                r#"(?i)\b(?:(?:host(?:\s+name)?|hostname)(?:\s+for)?|server|(?:SQL\s+)?instance|resolve(?:\s+host)?|lookup|lookup\s+(?:failure|failed|error)\s+for|bad\s+address|connect\s+to|connecting\s+to|connexion\s+à|connection\s+to)\s*[:]?\s*["'“‘`]([^"'”’`\s]+)["'”’`]"#,
            ),
            // No boundary in front: an address glued to a word ("inaccessible127.0.0.1").
            ipv4: re(r"(?:\d{1,3}\.){3}\d{1,3}\b"),
            // A thousands separator is read (Jenkins' `Connecting to port 58,749`).
            port_word: re(r#"(?i)\bport"?\s*[:=]?\s*(\d{1,2},\d{3}|\d{1,5})\b"#),
            // The word for port in other languages, with no host (`端口 22：连接超时`,
            // `della porta 443: Connessione rifiutata`, `puerto 5432`, `порт 22`).
            foreign_port: re(
                r"(?i)(?:端口|ポート|포트|\b(?:porta|puerto|poort|portu|порту?|порта)\s)\s*(\d{1,5})\b",
            ),
            // A host hidden by the reporter (<ip>, <local IP>, {broker-ip}, [.21], x.x.x.x, IP,
            // MY_IP) or left out (`tcp :22`, `connection refused: :9200`): the port is still
            // the target's.
            // Neither a place nor a port: a code location's function stand-in and line
            // (`__main__:<module>:79`, `<anonymous>:12`) and a version field's dotted
            // number (`"module_version": "5.7.0.0"`); the port mapper that did answer
            // (rabbitmqctl's `connected to epmd (port 4369)`); an Oracle descriptor's
            // server mode (`(SERVER=DEDICATED)`); the client's own address as a database
            // server saw it (`no pg_hba.conf entry for host "10.0.0.9"`, MySQL's `Host
            // '10.0.0.9' is not allowed to connect` or `is blocked`); Selenium's description
            // of the machine it runs on (`System info: host: 'WS01', ip: '10.0.0.9'`); an SMTP
            // transcript's words (PHPMailer's `CLIENT -> SERVER: QUIT`); a server's record of
            // the client that came in (gitaly's `"peer.address":"10.0.3.7:57552"`, Grafana's
            // `remote_addr=`, Caddy's `"remote_ip":`).
            not_place: re(
                r#"(?i)["']?\b(?:peer\.address|peer_address|remote_addr|remote_ip|remote_port|client_ip|client_addr(?:ess)?|remoteAddress|clientAddress)["']?\s*[:=]\s*(?:"[^"\n]*"|'[^'\n]*'|[^\s,}]*)|\b(?:CLIENT|SERVER)\s*->\s*(?:CLIENT|SERVER):[^\n]*|\bSystem\s+info:\s+host:\s+'[^'\n]*',\s+ip:\s+'[^'\n]*'|\bpg_hba\.conf\s+(?:entry|rejects\s+connection)\s+for\s+host\s+"[^"\n]*"|\bHost\s+'[^'\n]*'\s+is\s+(?:not\s+allowed|blocked)\b|\(SERVER\s*=\s*(?:DEDICATED|SHARED|POOLED)\)|\bconnected\s+to\s+epmd\s+\(port\s+\d+\)|<(?:module|lambda|genexpr|listcomp|dictcomp|setcomp|anonymous|init|clinit)>:\d+|version["']?\s*[:=]\s*["']?\d+(?:\.\d+)+"#,
            ),
            // A Markdown picture: `![alt](url)`.
            image_link: re(r"!\[[^\]\n]*\]\([^)\n]*\)"),
            // A certificate's fingerprint: eight or more pairs of hex digits.
            fingerprint: re(r"\b(?:[0-9A-Fa-f]{2}:){7,}[0-9A-Fa-f]{1,2}\b"),
            hidden_host_port: re(
                r#"(?i)(?:<[^<>\s]{1,20}>|<[A-Za-z]+(?:\s[A-Za-z]+){1,2}>|<\*[^<>\n]{1,30}\*>|\{[\w.\-]{1,20}\}|\[\.[\d.]+\]|(?:\b[x*]|(?:^|[\s'"(@=])\*)[x*]*(?:\.[x*\d]+)*|\b(?:(?:MY|YOUR|SERVER|REMOTE|PUBLIC|HOST)_)?IP(?:_ADDR(?:ESS)?)?|\btcp\s*|\bto\s*|:\s):(\d{1,5})\b"#,
            ),
            // `name (ip:port)`: busybox wget and others print the name with the address.
            // wget's connecting line in any language: `name (name)|10.0.0.5|:80`.
            wget_connecting: re(
                r"\b([A-Za-z0-9][\w\-]*(?:\.[\w\-]+)*)\s+\([^()\s]*\)\|[0-9A-Fa-f:.]+\|:(\d{1,5})\b",
            ),
            // varnishlog's `BackendOpen 18 boot.web1 10.0.0.5 8080 10.0.0.2 52012`: the
            // descriptor, the backend's name, its address and port, then this end's.
            backend_open: re(
                r"\bBackendOpen\s+\d+\s+\S+\s+((?:\d{1,3}\.){3}\d{1,3}|[0-9A-Fa-f]*:[0-9A-Fa-f:]+)\s+(\d{1,5})\b",
            ),
            // `name (10.0.0.5:443)`, and curl's `Connected to name (10.0.0.5) port 443`: the
            // name is what was asked for.
            name_ip_port: re(
                r"\b([A-Za-z0-9][\w\-]*(?:\.[\w\-]+)+)\s+\((?:(?:\d{1,3}\.){3}\d{1,3}:|\[[0-9A-Fa-f:.]+\]:|(?:(?:\d{1,3}\.){3}\d{1,3}|[0-9A-Fa-f]*:[0-9A-Fa-f:.]*)\)\s+port\s+)(\d{1,5})\b",
            ),
            // `127.0.0.1/7912`: old OkHttp and others print the port after a slash.
            host_slash_port: re(
                r"(?:^|[\s(\[])/?((?:\d{1,3}\.){3}\d{1,3}|localhost)/(\d{2,5})(?:[\s,;)\]]|$)",
            ),
            // `connect(("10.0.0.1", 554))`, `tcpConnectToHost(alloc, "localhost", 8080)`,
            // `HTTP::Client.new("127.0.0.1", 12345)`, PHP's `failed(chat.lan,2243)`, Python's
            // `('::1', 8080, 0, 0)`: a host and a port handed to a call.
            // An HTTP client's call handed a bare host, no scheme (`HTTPotion.get! "h.lan"`,
            // `requests.get('h.lan:8080')`), or Erlang's resolver (`:inet.getaddr('h.lan',
            // :inet)`), Ruby's `Net::HTTP.new("h.lan")`: the place it was asked for.
            client_call: re(
                r#"\b(?:HTTPotion|HTTPoison|HTTParty|RestClient|Faraday|Req|Tesla|requests|httpx|axios|got|superagent|needle)\.(?:get|post|put|head|delete|patch|request)!?\s*\(?\s*["']([A-Za-z0-9][\w\-]*(?:\.[\w\-]+)+|localhost)(?::(\d{1,5}))?["']|\binet[.:](?:getaddrs?|gethostbyname)\(\s*["']([A-Za-z0-9][\w\-]*(?:\.[\w\-]+)*)["']|\bNet::HTTP\.(?:new|start)\(\s*["']([A-Za-z0-9][\w\-]*(?:\.[\w\-]+)+|localhost)["']"#,
            ),
            // A connect call logged with its argument unquoted (a game patcher's `Attempt to
            // connect(patch.lan) failed`): a dotted name or an IPv4 address, nothing else
            // inside the parentheses; forms.rs also asks for a real suffix, so code
            // (`connect(this.opts)`) is not read.
            bare_connect_call: re(
                r"\b[Cc]onnect\(((?:\d{1,3}\.){3}\d{1,3}|[A-Za-z][\w\-]*(?:\.[\w\-]+)*\.[A-Za-z]{2,})(?::(\d{1,5}))?\)",
            ),
            // ssh's password prompt names the server it reached (`me@10.0.0.5's password:`).
            ssh_password: re(r"[\w.\-]+@([A-Za-z0-9][\w.\-]*|\[[0-9A-Fa-f:]+\])'s\s+password:"),
            // Clients that take the port first: ioredis' `new Redis(6379, '10.0.0.5')`,
            // node_redis' `createClient(6379, 'cache.lan')`, Node's `net.connect(5000, 'h')`.
            port_first_call: re(
                r#"(?:\bnew\s+\w+|\b(?:createClient|createConnection|connect))\(\s*(\d{2,5})\s*,\s*["']([A-Za-z0-9][\w.\-]*|\[?[0-9A-Fa-f:]+\]?)["']"#,
            ),
            call_args: re(
                r#"[({,]\s*[({]?\s*(?:\\?["']([A-Za-z0-9][\w.\-]*|\[?[0-9A-Fa-f:]+\]?)\\?["']|((?:\d{1,3}\.){3}\d{1,3}|localhost|[A-Za-z][\w\-]*(?:\.[\w\-]+)+))\s*,\s*\\?["']?(\d{1,5})\\?["']?\s*[)},]"#,
            ),
            // `at "localhost":5555`, `'db.internal':5432`, Haskell's `"db.lan" 443`: a quoted
            // host, then its port (not the first number of an address after it: `'10.0.0.5':
            // 10.0.0.5:24800`). The
            // host has a dot, or is localhost or an address, so a JSON key (`"port":5432`)
            // is never read as one.
            quoted_host_port: re(
                r#"["'`]((?:\d{1,3}\.){3}\d{1,3}|localhost|[A-Za-z0-9][\w\-]*(?:\.[\w\-]+)+)["'`](?:\s*:\s*|[ \t]+)(\d{1,5})(?:[^\d.:]|\.(?:\s|$)|$)"#,
            ),
            // HBase's server name, `host,port,startcode` (`hbase,33098,1487574090526`).
            server_name: re(r"(?:^|[\s=({\[])([A-Za-z0-9{][\w.\-}]*),(\d{2,5}),\d{13}\b"),
            // Apple's Network framework writes an IP endpoint as address.port after the
            // connection id: `[C7.1.1.1 ::1.54530 in_progress socket-flow …]`.
            apple_endpoint: re(
                r"\[C\d+(?:\.\d+)*\s+((?:\d{1,3}\.){3}\d{1,3}|[0-9A-Fa-f]*:[0-9A-Fa-f:]*)\.(\d{1,5})\s",
            ),
            // The name a lookup was for, written without quotes: `cannot resolve github.com`,
            // `Resolving mirror.example.org... failed`, `lookup db.internal on 10.0.0.2:53`,
            // host(1)'s `Host x.lan not found: 3(NXDOMAIN)` (when no server it asked is shown);
            // a one-word name only where the words call it a host and a colon ends it
            // (`sudo: unable to resolve host node2: …`); the name handed to getaddrinfo
            // (`getaddrinfo(whois.lan): …`); libgit2's `failed to resolve address for x`.
            dns_words: re(
                r#"(?i)\b(?:dnserror|dns\s+(?:entry|record|lookup|resolution|query)(?:\s+failed)?\s+for|(?:failed\s+to|cannot|could\s+not|couldn't|unable\s+to)\s+resolve(?:\s+(?:remote\s+)?(?:server\s+)?host(?:name)?|\s+(?:the\s+)?address(?:es)?\s+(?:for|of))?|resolving|lookup|unknown\s+host)\s*:?\s+["'“]?([A-Za-z0-9][\w\-]*(?:\.[\w\-]+)+)|\bHost\s+([A-Za-z0-9][\w\-]*(?:\.[\w\-]+)+)\.?\s+not\s+found:|\bresolve\s+(?:remote\s+)?(?:server\s+)?host(?:name)?\s+([A-Za-z][\w\-]*):|\bgetaddrinfo\(\s*["']?([A-Za-z0-9][\w\-]*(?:\.[\w\-]+)+)["']?\s*[,)]"#,
            ),
            // `mysql -h10.0.0.5`: a short host flag glued to its value.
            // `-h10.0.0.5`, `-hdb.lan`; a one-word name only after a database client
            // (`mysql -hdb01 -P3309`), since `-hl` is a pair of short flags elsewhere.
            glued_flag_host: re(
                r"(?:^|\s)-h((?:\d{1,3}\.){3}\d{1,3}|[A-Za-z][\w\-]*(?:\.[\w\-]+)+|localhost)\b|\b(?:mysql\w*|mariadb\w*|psql|pg_\w+)\s(?:[^\n]*?\s)?-h([A-Za-z][\w\-]{2,})\b",
            ),
            // A record announcing an attempt: the place it names is the one that failed
            // (telnet's and curl's `Trying 10.0.0.5...` too, and curl's `* Connected to`,
            // which a TLS or read failure follows, as nodemailer's `Connection established to`
            // before its greeting timeout; urllib3's `Starting new HTTPS connection`,
            // grpc-java's `Created with target`).
            attempt: re(
                r"(?i)\b(?:connecting|trying\s+to\s+connect|try\s+to\s+connect|attempt(?:ing)?\s+(?:to\s+connect|connection)|opening\s+(?:socket\s+)?connection|opening\s+(?:tcp\s+|udp\s+)?socket\s+(?:with|to)\b|opening\s+(?:an?\s+)?(?:ssh\s+)?session\s+to|dialing|establishing\s+(?:an?\s+)?(?:(?:tls|ssl|tcp|mqtt)\s+)?(?:connection|session\s+to))\b|^\s*(?:[\d.:]+\s+)?trying\s+\S+\.\.\.|^\*\s+connected\s+to\s|\bconnection\s+established\s+(?:to|with)\s|\bstarting\s+new\s+https?\s+connection\b|\bcreated\s+(?:with\s+target|connection\s+for)\b|^\s*Running\s+`|\bdownloading\s+(?:https?|ftp)://|\bversuche\b[^\n]*\bzu\s+verbinden\b",
            ),
            // The statement a database error quotes: its values are data, not addresses.
            sql: re(r"(?i)\(SQL:\s.*?\)(?:\s|$)"),
            // Words about the network, also inside identifiers (`HttpExceptionRequest`,
            // `ResponseTimeout`, `tcp_connect`).
            network: re(
                r"(?i)connect|socket|host|server|peer|network|remote|(?:\b|_)tcp|(?:\b|_)udp|\bagent\b|http|\bssl|\btls|\bdns|\bport\b|\burl\b|request|response|proxy|upstream|broker|endpoint|address|\bip\b|\bwss?\b|handshake|tunnel|download|upload|fetch|mqtt|smtp|ftp|链接|连接|網路|网络|соедин|verbindung|conexi|connexion",
            ),
            failure: re(
                r"(?i)refus|timed?\s*out|timeout|unreachable|no\s+route|reset|fail|error|trouble|err!|cannot|can\s+not|can't|unable|could\s+not|couldn't|not\s+known|resolve|exception|abort|denied|unavailable|拒|失败|超时|无法|отказ|ошибк|abgelehnt|fehl|refus|échec|rechaz|error",
            ),
        }
    })
}

/// The line may name a server by one of the rarer flags (`flag_server`): a cheap test
/// before the pattern, which starts without a fixed word.
pub fn server_flag(line: &str) -> bool {
    let p = patterns();
    [
        "-s ", "-s=", "-r ", "--addr", "--target", "--to", "--rhost", "/v:",
    ]
    .iter()
    .any(|f| line.contains(f))
        && p.flag_server.is_match(line)
}

/// A port given by flag on a command line (`-P 3306`, `-p 2222`, `--port=8080`).
pub fn flag_port(line: &str) -> Option<u16> {
    let p = patterns();
    // ping's -p is a fill pattern and check_ping's a packet count, not a port.
    let ping = line.contains("ping")
        && line.split_whitespace().any(|w| {
            let tool = w.rsplit('/').next().unwrap_or(w);
            matches!(tool, "ping" | "ping6" | "check_ping")
        });
    if ping {
        return None;
    }
    // nmap takes its ports glued to the flag (`nmap -Pn -p80 host`); elsewhere a glued
    // `-p` is often a password (`mysql -psecret`).
    let nmap = || {
        let mut words = line.split_whitespace();
        if !words.clone().any(|w| w.rsplit('/').next() == Some("nmap")) {
            return None;
        }
        words.find_map(|w| w.strip_prefix("-p").and_then(parse_port))
    };
    // A single-dash `-port` is a client's only beside its `-host` (`openssl s_client -host
    // x -port 443`); alone it is as often a server's own (`ruby app.rb -port 8080`).
    p.flag_port
        .captures(line)
        .filter(|c| !c[0].trim_start().starts_with("-port") || line.contains(" -host "))
        .and_then(|c| parse_port(c.get(1)?.as_str()))
        .or_else(nmap)
}
