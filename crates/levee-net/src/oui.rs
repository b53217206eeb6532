//! MAC vendor lookup from the IEEE MA-L registry compiled in (`data/oui.tsv`; provenance in
//! `data/README.md`).

use std::sync::OnceLock;

use crate::packet::Mac;

/// Where the registry data comes from, for reports.
pub const SOURCE: &str = "IEEE MA-L registry (Debian ieee-data 20220827.1)";

const DATA: &str = include_str!("../data/oui.tsv");

fn table() -> &'static [(u32, &'static str)] {
    static TABLE: OnceLock<Vec<(u32, &'static str)>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut v: Vec<(u32, &'static str)> = DATA
            .lines()
            .filter_map(|l| {
                let (hex, name) = l.split_once('\t')?;
                Some((u32::from_str_radix(hex, 16).ok()?, name))
            })
            .collect();
        v.sort_unstable_by_key(|e| e.0);
        v
    })
}

/// The organisation the MAC's OUI is assigned to; `None` for locally administered, group or
/// unassigned addresses.
pub fn vendor(mac: &Mac) -> Option<&'static str> {
    if mac[0] & 0x03 != 0 || *mac == [0; 6] {
        return None;
    }
    let key = (u32::from(mac[0]) << 16) | (u32::from(mac[1]) << 8) | u32::from(mac[2]);
    let t = table();
    t.binary_search_by_key(&key, |e| e.0).ok().map(|i| t[i].1)
}

#[cfg(test)]
mod tests {
    #[test]
    fn known_prefixes_resolve() {
        assert_eq!(
            super::vendor(&[0x08, 0x61, 0x95, 1, 2, 3]),
            Some("Rockwell Automation")
        );
        assert_eq!(super::vendor(&[0x02, 0x61, 0x95, 1, 2, 3]), None);
        assert!(super::table().len() > 30_000);
    }
}
