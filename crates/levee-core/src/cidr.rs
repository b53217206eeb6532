//! IP networks in CIDR notation (`10.20.0.0/24`, `fd00::/64`), as zones declare them.

use core::fmt;
use core::net::IpAddr;
use core::str::FromStr;

/// An IPv4 or IPv6 network: an address with the host bits clear and a prefix length.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Cidr {
    addr: IpAddr,
    prefix: u8,
}

/// Why a CIDR string was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CidrError {
    /// Not `ADDRESS/PREFIX` with a valid address.
    #[error("`{0}` is not an IP network; write it as ADDRESS/PREFIX, e.g. 10.20.0.0/24")]
    Syntax(String),
    /// The prefix is longer than the address (32 for IPv4, 128 for IPv6).
    #[error("`{0}`: the prefix length must be at most {1}")]
    Prefix(String, u8),
    /// Host bits are set: `10.20.0.5/24` names a host, not a network.
    #[error("`{given}` has host bits set; the network is {network}")]
    HostBits {
        /// What was written.
        given: String,
        /// The network it lies in.
        network: Cidr,
    },
}

fn bits(ip: &IpAddr) -> (u128, u8) {
    match ip {
        IpAddr::V4(v) => (u128::from(u32::from(*v)), 32),
        IpAddr::V6(v) => (u128::from(*v), 128),
    }
}

fn mask(width: u8, prefix: u8) -> u128 {
    if prefix == 0 {
        0
    } else {
        let all = if width == 128 {
            u128::MAX
        } else {
            (1u128 << width) - 1
        };
        all & !((1u128 << (width - prefix)) - 1)
    }
}

impl Cidr {
    /// The network containing `addr` with this prefix (host bits cleared), if the prefix fits.
    pub fn new(addr: IpAddr, prefix: u8) -> Option<Cidr> {
        let (v, width) = bits(&addr);
        if prefix > width {
            return None;
        }
        let net = v & mask(width, prefix);
        let addr = match addr {
            IpAddr::V4(_) => IpAddr::V4(core::net::Ipv4Addr::from(u32::try_from(net).unwrap_or(0))),
            IpAddr::V6(_) => IpAddr::V6(core::net::Ipv6Addr::from(net)),
        };
        Some(Cidr { addr, prefix })
    }

    /// The network address.
    pub fn addr(&self) -> IpAddr {
        self.addr
    }

    /// The prefix length.
    pub fn prefix(&self) -> u8 {
        self.prefix
    }

    /// Whether `ip` lies in this network (IPv4 never lies in an IPv6 network, nor back).
    pub fn contains(&self, ip: &IpAddr) -> bool {
        let (n, w) = bits(&self.addr);
        let (v, vw) = bits(ip);
        w == vw && v & mask(w, self.prefix) == n
    }

    /// Whether the two networks share an address.
    pub fn overlaps(&self, other: &Cidr) -> bool {
        self.contains(&other.addr) || other.contains(&self.addr)
    }
}

impl FromStr for Cidr {
    type Err = CidrError;

    fn from_str(s: &str) -> Result<Cidr, CidrError> {
        let t = s.trim();
        let (a, p) = t.split_once('/').ok_or_else(|| CidrError::Syntax(s.to_owned()))?;
        let addr: IpAddr = a.parse().map_err(|_| CidrError::Syntax(s.to_owned()))?;
        let prefix: u8 = p.parse().map_err(|_| CidrError::Syntax(s.to_owned()))?;
        let width = bits(&addr).1;
        let net = Cidr::new(addr, prefix).ok_or(CidrError::Prefix(s.to_owned(), width))?;
        if net.addr != addr {
            return Err(CidrError::HostBits {
                given: s.to_owned(),
                network: net,
            });
        }
        Ok(net)
    }
}

impl fmt::Display for Cidr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.addr, self.prefix)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_contains_and_overlaps() {
        let n: Cidr = "10.20.0.0/24".parse().expect("cidr");
        assert!(n.contains(&"10.20.0.77".parse().expect("ip")));
        assert!(!n.contains(&"10.20.1.1".parse().expect("ip")));
        assert!(!n.contains(&"::1".parse().expect("ip")));
        let wide: Cidr = "10.0.0.0/8".parse().expect("cidr");
        assert!(wide.overlaps(&n) && n.overlaps(&wide));
        assert!(!n.overlaps(&"10.20.1.0/24".parse().expect("cidr")));
        assert_eq!(
            "0.0.0.0/0"
                .parse::<Cidr>()
                .map(|c| c.contains(&"8.8.8.8".parse().expect("ip"))),
            Ok(true)
        );
        let v6: Cidr = "fd00::/64".parse().expect("cidr");
        assert!(v6.contains(&"fd00::1".parse().expect("ip")));
        assert_eq!(v6.to_string(), "fd00::/64");
        assert!(matches!(
            "10.20.0.5/24".parse::<Cidr>(),
            Err(CidrError::HostBits { .. })
        ));
        assert!(matches!(
            "10.20.0.0/33".parse::<Cidr>(),
            Err(CidrError::Prefix(_, 32))
        ));
        assert!(matches!("10.20.0.0".parse::<Cidr>(), Err(CidrError::Syntax(_))));
    }
}
