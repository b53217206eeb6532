//! Package databases: dpkg and opkg `status` (and opkg `*.control`), apk `installed`, and the ELF
//! `.note.package` JSON. The distribution revision is split from the upstream version.

use super::{FileCtx, Found, Key, Method, Signatures, evidence};

/// `[epoch:]upstream[-revision]` → (upstream, revision).
pub(crate) fn split_deb(v: &str) -> (String, Option<String>) {
    let v = v
        .split_once(':')
        .filter(|(e, _)| e.chars().all(|c| c.is_ascii_digit()))
        .map_or(v, |(_, r)| r);
    match v.rsplit_once('-') {
        Some((u, r)) if !u.is_empty() && !r.is_empty() => (u.to_owned(), Some(r.to_owned())),
        _ => (v.to_owned(), None),
    }
}

/// Debian's repacking suffixes are not part of the upstream version (`1.2.13.dfsg` → `1.2.13`).
fn upstream_clean(v: &str) -> String {
    for suf in [".dfsg", "+dfsg", "~dfsg", "+ds", ".ds", "+really"] {
        if let Some(i) = v.find(suf) {
            return v[..i].to_owned();
        }
    }
    v.to_owned()
}

fn push(
    sigs: &Signatures,
    (kind, ns): (&'static str, &str),
    (name, version): (&str, &str),
    at: usize,
    f: &FileCtx<'_>,
    out: &mut Vec<Found>,
) {
    let (upstream, revision) = if kind == "apk" {
        match version.rsplit_once("-r") {
            Some((u, r)) if r.chars().all(|c| c.is_ascii_digit()) => (u.to_owned(), Some(format!("r{r}"))),
            _ => (version.to_owned(), None),
        }
    } else {
        split_deb(version)
    };
    let upstream = upstream_clean(&upstream);
    let key = match sigs.by_package(name) {
        Some(i) => Key::Sig(i),
        None => Key::Package {
            name: name.to_owned(),
            purl_type: kind_purl(kind),
            namespace: ns.to_owned(),
        },
    };
    out.push(Found {
        sig: key,
        evidence: evidence(
            f,
            Method::PackageDb,
            at,
            &format!("Package: {name} Version: {version}"),
            Some(upstream),
        ),
        revision,
        package: Some(name.to_owned()),
    });
}

fn kind_purl(kind: &str) -> &'static str {
    match kind {
        "apk" => "apk",
        "dpkg" => "deb",
        _ => "opkg",
    }
}

/// Reads `data` as a package database when `path` names one.
pub(crate) fn scan(sigs: &Signatures, path: &str, data: &[u8], f: &FileCtx<'_>, out: &mut Vec<Found>) {
    let kind = if path.ends_with("var/lib/dpkg/status") {
        "dpkg"
    } else if path.ends_with("opkg/status") || (path.contains("opkg/info/") && path.ends_with(".control")) {
        "opkg"
    } else if path.ends_with("lib/apk/db/installed") {
        "apk"
    } else {
        return;
    };
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let ns = match kind {
        "apk" => "alpine",
        "dpkg" => "debian",
        _ => "openwrt",
    };
    let (name_key, version_key) = if kind == "apk" {
        ("P:", "V:")
    } else {
        ("Package:", "Version:")
    };
    let mut at = 0usize;
    for stanza in text.split("\n\n") {
        let mut name = None;
        let mut version = None;
        let mut installed = true;
        for line in stanza.lines() {
            if let Some(v) = line.strip_prefix(name_key) {
                name = Some(v.trim());
            } else if let Some(v) = line.strip_prefix(version_key) {
                version = Some(v.trim());
            } else if let Some(v) = line.strip_prefix("Status:") {
                installed =
                    v.contains("installed") && !v.contains("not-installed") && !v.contains("config-files");
            }
        }
        if let (Some(n), Some(v), true) = (name, version, installed)
            && !n.is_empty()
            && !v.is_empty()
        {
            push(sigs, (kind, ns), (n, v), at, f, out);
        }
        at += stanza.len() + 2;
    }
}

/// `etc/os-release` (`ID=`, `VERSION_ID=`) and OpenWrt's `etc/openwrt_release`
/// (`DISTRIB_ID=`, `DISTRIB_RELEASE=`), for the operating systems the signatures know.
pub(crate) fn os_release(sigs: &Signatures, path: &str, data: &[u8], f: &FileCtx<'_>, out: &mut Vec<Found>) {
    let (id_key, version_key) = if path.ends_with("etc/os-release") || path.ends_with("usr/lib/os-release") {
        ("ID", "VERSION_ID")
    } else if path.ends_with("etc/openwrt_release") {
        ("DISTRIB_ID", "DISTRIB_RELEASE")
    } else {
        return;
    };
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let value = |key: &str| {
        text.lines().find_map(|l| {
            let (k, v) = l.split_once('=')?;
            (k.trim() == key).then(|| v.trim().trim_matches(|c| c == '"' || c == '\'').to_owned())
        })
    };
    let (Some(id), Some(version)) = (value(id_key), value(version_key)) else {
        return;
    };
    let id = id.to_ascii_lowercase();
    let Some(i) = sigs.list.iter().position(|s| s.os_ids.contains(&id)) else {
        return;
    };
    if version.is_empty() || !version.starts_with(|c: char| c.is_ascii_digit()) {
        return;
    }
    out.push(Found {
        sig: Key::Sig(i),
        evidence: evidence(
            f,
            Method::PackageDb,
            0,
            &format!("{id_key}={id} {version_key}={version}"),
            Some(version),
        ),
        revision: None,
        package: None,
    });
}

/// The `.note.package` JSON (`{"type":"rpm","name":…,"version":…}`).
pub(crate) fn note(sigs: &Signatures, at: u64, json: &str, f: &FileCtx<'_>, out: &mut Vec<Found>) {
    let Ok(v) = serde_json::from_str::<serde_json::Value>(json) else {
        return;
    };
    let (Some(name), Some(version)) = (
        v.get("name").and_then(|x| x.as_str()),
        v.get("version").and_then(|x| x.as_str()),
    ) else {
        return;
    };
    let (upstream, revision) = split_deb(version);
    let key = match sigs
        .by_package(name)
        .or_else(|| sigs.list.iter().position(|s| s.id == name))
    {
        Some(i) => Key::Sig(i),
        None => Key::Package {
            name: name.to_owned(),
            purl_type: match v.get("type").and_then(|x| x.as_str()) {
                Some("deb") => "deb",
                Some("apk") => "apk",
                _ => "rpm",
            },
            namespace: v
                .get("os")
                .and_then(|x| x.as_str())
                .unwrap_or("unknown")
                .to_owned(),
        },
    };
    out.push(Found {
        sig: key,
        evidence: evidence(
            f,
            Method::ElfNote,
            at as usize,
            json,
            Some(upstream_clean(&upstream)),
        ),
        revision,
        package: Some(name.to_owned()),
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debian_versions_split() {
        assert_eq!(
            split_deb("3.0.22-1~deb12u2"),
            ("3.0.22".into(), Some("1~deb12u2".into()))
        );
        assert_eq!(
            split_deb("1:1.2.13.dfsg-1"),
            ("1.2.13.dfsg".into(), Some("1".into()))
        );
        assert_eq!(upstream_clean("1.2.13.dfsg"), "1.2.13");
        assert_eq!(split_deb("2022.83"), ("2022.83".into(), None));
    }
}
