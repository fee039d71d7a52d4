//! What an "unreachable" really was. connect() reports EHOSTUNREACH both when no machine
//! answers at the address (ARP or neighbour discovery gets no reply) and when a firewall on
//! the machine rejects with ICMP host-prohibited or admin-prohibited (firewalld's default).
//! The ICMP type and code tell them apart, and an unprivileged UDP socket with IP_RECVERR
//! receives them: connfix sends one empty datagram to the same address and port and reads
//! the error queue. A host that answers at all (even "port unreachable") is up.

use serde::{Deserialize, Serialize};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::os::fd::AsRawFd;
use std::time::{Duration, Instant};

/// What the error queue said.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Finding {
    /// ICMP destination unreachable, host/admin prohibited: a firewall rejects.
    Prohibited { code: u8, from: IpAddr },
    /// The host answered "port unreachable": it is up, so a TCP "unreachable" came from a
    /// rule for TCP only.
    HostAnswered { from: IpAddr },
    /// Host unreachable: from this machine (no neighbour answered) or from a router.
    HostDown { from: Option<IpAddr> },
    /// Nothing came back in time, or the queue could not be read.
    Unknown,
}

impl Finding {
    /// How the ICMP message is usually named.
    pub fn words(&self) -> String {
        match self {
            Finding::Prohibited { code, .. } => match code {
                9 | 10 => "ICMP net/host prohibited".into(),
                13 => "ICMP administratively prohibited".into(),
                1 => "ICMPv6 administratively prohibited".into(),
                c => format!("ICMP prohibited (code {c})"),
            },
            // connect() got "unreachable" from a machine that answers other traffic: the
            // message for TCP was a prohibited one.
            Finding::HostAnswered { .. } => "ICMP prohibited, for TCP only".into(),
            Finding::HostDown { .. } => "ICMP host unreachable".into(),
            Finding::Unknown => "no ICMP answer".into(),
        }
    }
}

/// Sends one datagram to `addr` and reads the ICMP error it provokes, within `within`.
pub fn probe(addr: SocketAddr, within: Duration) -> Finding {
    read_error(addr, within).unwrap_or(Finding::Unknown)
}

fn read_error(addr: SocketAddr, within: Duration) -> Option<Finding> {
    use socket2::{Domain, Socket, Type};
    let v6 = addr.is_ipv6();
    let domain = if v6 { Domain::IPV6 } else { Domain::IPV4 };
    let sock = Socket::new(domain, Type::DGRAM, None).ok()?;
    let fd = sock.as_raw_fd();
    let on: libc::c_int = 1;
    let (level, opt) = if v6 {
        (libc::SOL_IPV6, libc::IPV6_RECVERR)
    } else {
        (libc::SOL_IP, libc::IP_RECVERR)
    };
    // SAFETY: a valid fd and a c_int option of the right size.
    let rc = unsafe {
        libc::setsockopt(
            fd,
            level,
            opt,
            (&on as *const libc::c_int).cast(),
            std::mem::size_of::<libc::c_int>() as libc::socklen_t,
        )
    };
    if rc != 0 {
        return None;
    }
    sock.connect(&addr.into()).ok()?;
    let deadline = Instant::now() + within;
    // A second datagram a little later, in case the first met an ICMP rate limit.
    let mut sent = 0;
    loop {
        if sent < 2 {
            let _ = sock.send(&[]);
            sent += 1;
        }
        let wait = deadline.saturating_duration_since(Instant::now());
        if wait.is_zero() {
            return Some(Finding::Unknown);
        }
        let mut pfd = libc::pollfd {
            fd,
            events: 0,
            revents: 0,
        };
        let ms = wait.as_millis().min(500) as libc::c_int;
        // SAFETY: one valid pollfd.
        let n = unsafe { libc::poll(&mut pfd, 1, ms) };
        if n > 0 && pfd.revents & libc::POLLERR != 0 {
            return recv_err(fd, v6);
        }
    }
}

/// Reads one entry of the socket's error queue (MSG_ERRQUEUE).
fn recv_err(fd: libc::c_int, v6: bool) -> Option<Finding> {
    let mut data = [0u8; 64];
    let mut control = [0u64; 64];
    let mut name: libc::sockaddr_storage = unsafe { std::mem::zeroed() };
    let mut iov = libc::iovec {
        iov_base: data.as_mut_ptr().cast(),
        iov_len: data.len(),
    };
    // SAFETY: msghdr is plain data; every pointer below points into live buffers.
    let mut msg: libc::msghdr = unsafe { std::mem::zeroed() };
    msg.msg_name = (&mut name as *mut libc::sockaddr_storage).cast();
    msg.msg_namelen = std::mem::size_of::<libc::sockaddr_storage>() as libc::socklen_t;
    msg.msg_iov = &mut iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control.as_mut_ptr().cast();
    msg.msg_controllen = std::mem::size_of_val(&control);
    // SAFETY: a valid fd and msghdr.
    let n = unsafe { libc::recvmsg(fd, &mut msg, libc::MSG_ERRQUEUE | libc::MSG_DONTWAIT) };
    if n < 0 {
        return None;
    }
    // SAFETY: walking the control messages the kernel wrote into `control`.
    let mut cmsg = unsafe { libc::CMSG_FIRSTHDR(&msg) };
    while !cmsg.is_null() {
        let c = unsafe { &*cmsg };
        let ours = (c.cmsg_level == libc::SOL_IP && c.cmsg_type == libc::IP_RECVERR)
            || (c.cmsg_level == libc::SOL_IPV6 && c.cmsg_type == libc::IPV6_RECVERR);
        if ours {
            let ee = unsafe { &*(libc::CMSG_DATA(cmsg) as *const libc::sock_extended_err) };
            // The offender's address follows the extended error.
            let offender = unsafe {
                let p = (ee as *const libc::sock_extended_err).add(1) as *const libc::sockaddr;
                sockaddr_ip(p)
            };
            return Some(classify(
                ee.ee_origin,
                ee.ee_type,
                ee.ee_code,
                ee.ee_errno as i32,
                offender,
                v6,
            ));
        }
        cmsg = unsafe { libc::CMSG_NXTHDR(&msg, cmsg) };
    }
    None
}

/// # Safety
/// `p` points at a sockaddr the kernel wrote, big enough for its family.
unsafe fn sockaddr_ip(p: *const libc::sockaddr) -> Option<IpAddr> {
    unsafe {
        match (*p).sa_family as libc::c_int {
            libc::AF_INET => {
                let a = &*(p as *const libc::sockaddr_in);
                Some(IpAddr::V4(Ipv4Addr::from(u32::from_be(a.sin_addr.s_addr))))
            }
            libc::AF_INET6 => {
                let a = &*(p as *const libc::sockaddr_in6);
                Some(IpAddr::V6(Ipv6Addr::from(a.sin6_addr.s6_addr)))
            }
            _ => None,
        }
    }
}

const ORIGIN_LOCAL: u8 = 1;
const ORIGIN_ICMP: u8 = 2;
const ORIGIN_ICMP6: u8 = 3;

/// Pure: the extended error's origin, type and code to a finding.
pub fn classify(
    origin: u8,
    icmp_type: u8,
    code: u8,
    errno: i32,
    offender: Option<IpAddr>,
    v6: bool,
) -> Finding {
    let from = offender.filter(|ip| !ip.is_unspecified());
    match (origin, icmp_type, code) {
        // Destination unreachable (type 3): 9/10 net/host prohibited, 13 administratively.
        (ORIGIN_ICMP, 3, 9 | 10 | 13) => match from {
            Some(from) => Finding::Prohibited { code, from },
            None => Finding::Unknown,
        },
        (ORIGIN_ICMP, 3, 3) => from.map_or(Finding::Unknown, |from| Finding::HostAnswered { from }),
        (ORIGIN_ICMP, 3, 1) => Finding::HostDown { from },
        // ICMPv6 destination unreachable (type 1): 1 admin prohibited, 4 port, 3 address.
        (ORIGIN_ICMP6, 1, 1) => match from {
            Some(from) => Finding::Prohibited { code, from },
            None => Finding::Unknown,
        },
        (ORIGIN_ICMP6, 1, 4) => {
            from.map_or(Finding::Unknown, |from| Finding::HostAnswered { from })
        }
        (ORIGIN_ICMP6, 1, 3) => Finding::HostDown { from },
        // The kernel itself gave up: no neighbour answered.
        (ORIGIN_LOCAL, _, _) if errno == libc::EHOSTUNREACH => Finding::HostDown { from: None },
        _ => {
            let _ = v6;
            Finding::Unknown
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn icmp_codes() {
        let far: IpAddr = "10.231.7.2".parse().unwrap();
        assert_eq!(
            classify(ORIGIN_ICMP, 3, 10, libc::EHOSTUNREACH, Some(far), false),
            Finding::Prohibited {
                code: 10,
                from: far
            }
        );
        assert_eq!(
            classify(ORIGIN_ICMP, 3, 3, libc::ECONNREFUSED, Some(far), false),
            Finding::HostAnswered { from: far }
        );
        assert_eq!(
            classify(ORIGIN_LOCAL, 0, 0, libc::EHOSTUNREACH, None, false),
            Finding::HostDown { from: None }
        );
        assert_eq!(
            classify(
                ORIGIN_ICMP6,
                1,
                1,
                libc::EACCES,
                Some("fd00::2".parse().unwrap()),
                true
            ),
            Finding::Prohibited {
                code: 1,
                from: "fd00::2".parse().unwrap()
            }
        );
        assert_eq!(
            classify(ORIGIN_ICMP, 11, 0, 0, Some(far), false),
            Finding::Unknown
        );
    }
}
