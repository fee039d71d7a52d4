//! Unit tests of the firewall probe, with real tool outputs in `../testdata/`.

mod iptables;
mod matching;
mod nft;
mod read;

// The tests reach into every part of the probe, as they did when it was one file.
use super::iptables::*;
use super::model::*;
use super::nft::*;
use super::nft_rule::*;
use super::ports::*;
use super::read::*;
use super::*;

// Real outputs captured in a scratch network namespace on Debian 12 (iptables v1.8.9
// nf_tables, nftables v1.0.6), trimmed to the parts each test needs.

/// `iptables -A INPUT -p tcp --dport 8080 -j REJECT`, `--reject-with tcp-reset`,
/// `icmp-host-prohibited`, `-j DROP`, multiport, a user chain, `-P INPUT DROP`, ...
pub(super) const IPTABLES_SAVE: &str = include_str!("../testdata/iptables-save.txt");

pub(super) const IP6TABLES_SAVE: &str = include_str!("../testdata/ip6tables-save.txt");

/// `nft list ruleset` of the same namespace: the iptables-nft tables again, then the
/// native `inet t`, `ip6 six` and `ip nat2` tables.
pub(super) const NFT_RULESET: &str = include_str!("../testdata/nft-ruleset.txt");

/// `nft -a list ruleset`: the same rules with handles.
pub(super) const NFT_WITH_HANDLES: &str = include_str!("../testdata/nft-with-handles.txt");

/// iptables extensions (comment, conntrack, recent, multiport forms, `! -p`), user chains
/// reached from two directions, and native nft rules added to the iptables-nft table.
pub(super) const IPTABLES_SAVE_EXTENSIONS: &str =
    include_str!("../testdata/iptables-save-extensions.txt");

/// nft's view of the table above: untranslated `xt match`, multiport as sets and
/// concatenations, a named set and a verdict map.
pub(super) const NFT_TRANSLATED: &str = include_str!("../testdata/nft-translated.txt");

/// Native nft: interval set, `th dport`, `meta l4proto { tcp, udp }`, netdev ingress.
pub(super) const NFT_NATIVE_MORE: &str = include_str!("../testdata/nft-native-more.txt");

/// A named set wrapping over lines, a named verdict map, comparisons, a concatenation.
pub(super) const NFT_SETS: &str = include_str!("../testdata/nft-sets.txt");

/// A kube-proxy-style verdict map keyed by address . protocol . port.
pub(super) const NFT_CONCAT_MAP: &str = include_str!("../testdata/nft-concat-map.txt");

/// iptables-save when nft made a base chain iptables cannot show.
pub(super) const IPTABLES_SAVE_INCOMPATIBLE: &str =
    include_str!("../testdata/iptables-save-incompatible.txt");
pub(super) const NFT_SECURITY: &str = include_str!("../testdata/nft-security.txt");

/// With legacy tables too: iptables-legacy-save, and the nf_tables side.
pub(super) const IPTABLES_LEGACY_SAVE: &str = include_str!("../testdata/iptables-legacy-save.txt");
pub(super) const IPTABLES_SAVE_BESIDE_LEGACY: &str =
    include_str!("../testdata/iptables-save-beside-legacy.txt");
pub(super) const NFT_BESIDE_LEGACY: &str = include_str!("../testdata/nft-beside-legacy.txt");

/// Forms this nft does not print but older ones did (not captured here): untranslated
/// targets as `xt target "REJECT"` or `# xt_REJECT`, and the iptables-nft warning on
/// stdout.
pub(super) const NFT_XT_FORMS: &str = include_str!("../testdata/nft-xt-forms.txt");

/// The one rule whose text contains `needle`.
pub(super) fn find<'a>(rules: &'a [FirewallRule], needle: &str) -> &'a FirewallRule {
    let found: Vec<&FirewallRule> = rules.iter().filter(|r| r.text.contains(needle)).collect();
    assert_eq!(found.len(), 1, "rules containing {needle:?}: {found:#?}");
    found[0]
}

pub(super) fn absent(rules: &[FirewallRule], needle: &str) {
    assert!(
        rules.iter().all(|r| !r.text.contains(needle)),
        "unexpected rule containing {needle:?}"
    );
}

pub(super) fn tcp_rule(dports: &[(u16, u16)], sports: &[(u16, u16)]) -> FirewallRule {
    FirewallRule {
        tool: "iptables".into(),
        family: "ip".into(),
        table: "filter".into(),
        chain: "INPUT".into(),
        direction: Direction::Input,
        action: Action::Drop,
        text: String::new(),
        protocol: Some("tcp".into()),
        dports: dports.to_vec(),
        sports: sports.to_vec(),
        default_policy: false,
        reject_with: None,
        number: None,
        handle: None,
    }
}
