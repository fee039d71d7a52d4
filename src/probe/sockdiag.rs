//! Listening TCP sockets from the kernel's sock_diag netlink interface, the way `ss` reads
//! them. /proc/net/tcp makes the kernel walk the whole TCP hash table, whose size follows
//! the machine's memory (8 ms on a 24 GiB host even with no connections); sock_diag is
//! asked for LISTEN sockets only, and also tells each listener's maximum backlog, which
//! /proc does not show.

use socket2::{Domain, Protocol, Socket, Type};
use std::io::{self, Read};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::time::Duration;

const SOCK_DIAG_BY_FAMILY: u16 = 20;
const NLM_F_REQUEST: u16 = 0x1;
const NLM_F_DUMP: u16 = 0x300;
const NLMSG_ERROR: u16 = 2;
const NLMSG_DONE: u16 = 3;
const TCP_LISTEN: u32 = 10;
const HEADER: usize = 16;
const DIAG_MSG: usize = 72;
const INET_DIAG_SKV6ONLY: u16 = 11;
/// A dump of a busy host fits in far fewer reads; this only stops a misbehaving kernel.
const MAX_READS: usize = 10_000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawListener {
    pub address: SocketAddr,
    pub inode: u64,
    pub uid: u32,
    /// Connections waiting to be accepted.
    pub queued: u32,
    /// The most the accept queue holds (the `listen()` backlog, capped by somaxconn).
    pub backlog: u32,
    /// For IPv6 sockets: whether IPV6_V6ONLY is set (then `[::]` takes no IPv4).
    pub v6only: Option<bool>,
}

/// All listening TCP sockets, IPv4 and IPv6, of this network namespace.
pub fn listeners() -> io::Result<Vec<RawListener>> {
    let mut out = dump(libc::AF_INET as u8)?;
    out.extend(dump(libc::AF_INET6 as u8)?);
    Ok(out)
}

fn dump(family: u8) -> io::Result<Vec<RawListener>> {
    let sock = Socket::new(
        Domain::from(libc::AF_NETLINK),
        Type::DGRAM,
        Some(Protocol::from(libc::NETLINK_SOCK_DIAG)),
    )?;
    sock.set_read_timeout(Some(Duration::from_secs(1)))?;
    // With no address, a netlink message goes to the kernel.
    sock.send(&request(family))?;
    let mut out = Vec::new();
    let mut buf = vec![0u8; 32 * 1024];
    for _ in 0..MAX_READS {
        let n = (&sock).read(&mut buf)?;
        if parse(&buf[..n], &mut out)? {
            return Ok(out);
        }
    }
    Err(io::Error::other("sock_diag dump did not end"))
}

fn request(family: u8) -> Vec<u8> {
    let len = (HEADER + 56) as u32;
    let mut r = Vec::with_capacity(len as usize);
    r.extend_from_slice(&len.to_ne_bytes());
    r.extend_from_slice(&SOCK_DIAG_BY_FAMILY.to_ne_bytes());
    r.extend_from_slice(&(NLM_F_REQUEST | NLM_F_DUMP).to_ne_bytes());
    r.extend_from_slice(&1u32.to_ne_bytes()); // sequence
    r.extend_from_slice(&0u32.to_ne_bytes()); // port id: the kernel fills it in
    r.push(family);
    r.push(libc::IPPROTO_TCP as u8);
    r.push(0); // no extensions
    r.push(0);
    r.extend_from_slice(&(1u32 << TCP_LISTEN).to_ne_bytes());
    r.extend_from_slice(&[0u8; 48]); // socket id: match all
    r
}

/// Parses one datagram of netlink messages; true when the dump is complete.
fn parse(mut data: &[u8], out: &mut Vec<RawListener>) -> io::Result<bool> {
    while data.len() >= HEADER {
        let len = u32::from_ne_bytes(data[0..4].try_into().expect("4 bytes")) as usize;
        let kind = u16::from_ne_bytes(data[4..6].try_into().expect("2 bytes"));
        if len < HEADER || len > data.len() {
            return Err(io::Error::other("malformed netlink message"));
        }
        let body = &data[HEADER..len];
        match kind {
            NLMSG_DONE => return Ok(true),
            NLMSG_ERROR => {
                let errno = body
                    .get(0..4)
                    .map_or(0, |b| i32::from_ne_bytes(b.try_into().expect("4 bytes")));
                // errno 0 is an acknowledgement, not an error.
                if errno != 0 {
                    return Err(io::Error::from_raw_os_error(-errno));
                }
            }
            SOCK_DIAG_BY_FAMILY if body.len() >= DIAG_MSG => out.push(diag_msg(body)),
            _ => {}
        }
        // Messages are aligned to 4 bytes.
        let next = (len + 3) & !3;
        data = data.get(next..).unwrap_or(&[]);
    }
    Ok(false)
}

fn diag_msg(b: &[u8]) -> RawListener {
    let u32_at = |i: usize| u32::from_ne_bytes(b[i..i + 4].try_into().expect("4 bytes"));
    let port = u16::from_be_bytes([b[4], b[5]]);
    let src = &b[8..24];
    let ip = if b[0] == libc::AF_INET as u8 {
        IpAddr::V4(Ipv4Addr::new(src[0], src[1], src[2], src[3]))
    } else {
        let mut a = [0u8; 16];
        a.copy_from_slice(src);
        IpAddr::V6(Ipv6Addr::from(a))
    };
    RawListener {
        address: SocketAddr::new(ip, port),
        queued: u32_at(56),
        backlog: u32_at(60),
        uid: u32_at(64),
        inode: u64::from(u32_at(68)),
        v6only: attribute(&b[DIAG_MSG..], INET_DIAG_SKV6ONLY)
            .and_then(|v| v.first())
            .map(|v| *v != 0),
    }
}

/// The payload of the first netlink attribute of type `kind` (4-byte aligned TLVs).
fn attribute(mut attrs: &[u8], kind: u16) -> Option<&[u8]> {
    while attrs.len() >= 4 {
        let len = u16::from_ne_bytes([attrs[0], attrs[1]]) as usize;
        let ty = u16::from_ne_bytes([attrs[2], attrs[3]]);
        if len < 4 || len > attrs.len() {
            return None;
        }
        if ty == kind {
            return Some(&attrs[4..len]);
        }
        attrs = attrs.get((len + 3) & !3..).unwrap_or(&[]);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What sock_diag reports for a socket this test listens on.
    fn own(sock: &Socket) -> RawListener {
        let addr = sock.local_addr().unwrap().as_socket().unwrap();
        let all = listeners().expect("sock_diag works on Linux");
        all.into_iter()
            .find(|l| l.address == addr)
            .expect("own listener")
    }

    #[test]
    fn finds_a_listener_with_its_backlog() {
        let sock = Socket::new(Domain::IPV6, Type::STREAM, None).unwrap();
        sock.bind(&"[::1]:0".parse::<SocketAddr>().unwrap().into())
            .ok();
        if sock.listen(7).is_err() {
            return; // no IPv6 loopback here
        }
        let me = own(&sock);
        assert_eq!(me.backlog, 7);
        assert_eq!(me.queued, 0);
        assert_eq!(
            me.v6only,
            Some(true),
            "[::1] sockets are IPv6-only by nature"
        );
    }

    #[test]
    fn a_dual_stack_wildcard_is_not_v6only() {
        let sock = Socket::new(Domain::IPV6, Type::STREAM, None).unwrap();
        sock.set_only_v6(false).ok();
        if sock
            .bind(&"[::]:0".parse::<SocketAddr>().unwrap().into())
            .is_err()
            || sock.listen(1).is_err()
        {
            return; // no IPv6 here
        }
        assert_eq!(own(&sock).v6only, Some(false));
    }

    #[test]
    fn rejects_malformed_messages() {
        let mut out = Vec::new();
        let mut bad = 100u32.to_ne_bytes().to_vec();
        bad.extend_from_slice(&[0u8; 12]);
        assert!(parse(&bad, &mut out).is_err());
        let mut done = 16u32.to_ne_bytes().to_vec();
        done.extend_from_slice(&NLMSG_DONE.to_ne_bytes());
        done.extend_from_slice(&[0u8; 10]);
        assert!(parse(&done, &mut out).unwrap());
    }
}
