//! Must-shows of the firmware crate on the shared corpora (`../shared/data/firmware-samples`).

use std::path::PathBuf;

use levee_firmware::{Analysis, Layer, Limits, Node, Status, analyze};

fn samples() -> Option<PathBuf> {
    Some(levee_testutil::shared_data("firmware-samples")?.join("firmware-samples"))
}

fn run(path: &std::path::Path) -> Analysis {
    let data = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    analyze(&name, &data, Limits::default())
}

fn walk_nodes<'a>(n: &'a Node, out: &mut Vec<&'a Node>) {
    out.push(n);
    for l in &n.layers {
        walk_layer(l, out);
    }
}

fn walk_layer<'a>(l: &'a Layer, out: &mut Vec<&'a Node>) {
    for f in &l.files {
        walk_nodes(f, out);
    }
}

fn all_layers<'a>(n: &'a Node, out: &mut Vec<&'a Layer>) {
    for l in &n.layers {
        out.push(l);
        for f in &l.files {
            all_layers(f, out);
        }
    }
}

/// The ground truth of the synthetic images, read from the corpus README's table.
fn ground_truth(readme: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut inside = false;
    for line in readme.lines() {
        if line.starts_with("| component | version |") {
            inside = true;
            continue;
        }
        if inside {
            if !line.starts_with('|') {
                break;
            }
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            if cells.len() > 3 && !cells[1].starts_with("---") {
                let name = cells[1].split_whitespace().next().unwrap_or_default().to_owned();
                out.push((name, cells[2].to_owned()));
            }
        }
    }
    out
}

#[test]
fn synthetic_images_yield_all_ground_truth_components() {
    let Some(dir) = samples() else { return };
    let readme = std::fs::read_to_string(dir.join("README.md")).expect("README");
    let truth = ground_truth(&readme);
    assert_eq!(truth.len(), 10, "{truth:?}");
    for image in [
        "rootfs.squashfs",
        "rootfs.cpio.gz.uImage",
        "rootfs.tar.lzma",
        "firmware-bundle.zip",
    ] {
        let a = run(&dir.join("synthetic-permissive-fw").join(image));
        let mut nodes = Vec::new();
        walk_nodes(&a.tree.root, &mut nodes);
        let elf = nodes.iter().filter(|n| n.looks_like == Some("elf")).count();
        assert_eq!(elf, 38, "{image}: ELF files found");
        for (name, version) in &truth {
            let hit = a
                .components
                .iter()
                .find(|c| &c.name == name && &c.version == version);
            assert!(
                hit.is_some(),
                "{image}: {name} {version} missing; found {:?}",
                a.components
                    .iter()
                    .map(|c| format!("{} {}", c.name, c.version))
                    .collect::<Vec<_>>()
            );
            let c = hit.expect("checked");
            assert!(c.purl.is_some() && c.cpe.is_some(), "{name}: purl and CPE");
            assert!(!c.evidence.is_empty());
        }
        let mut layers = Vec::new();
        all_layers(&a.tree.root, &mut layers);
        assert!(
            layers.iter().all(|l| l.status == Status::Complete),
            "{image}: {layers:#?}"
        );
        assert!(!a.tree.partial, "{image}");
    }
}

/// The product and version a cve-bin-tool condensed download stands for, read from its file
/// name (`name_version-rev_arch.deb`, `name-version-rel.arch.rpm`, `name-version-r0.apk`, `.ipk`):
/// the package name is mapped to the component it ships.
fn oracle_expectation(file: &str, readme: &str) -> (String, String) {
    let stem = file.trim_end_matches(".tar.gz");
    if stem.starts_with("u-boot") {
        // The README states it: `u-boot (2020.10)`.
        let v = readme
            .split("u-boot (")
            .nth(1)
            .and_then(|r| r.split(')').next())
            .unwrap_or_default();
        return ("u-boot".into(), v.into());
    }
    let (name, rest) = match stem.split_once('_') {
        Some((n, r)) if !n.contains('-') || stem.ends_with(".deb") || stem.ends_with(".ipk") => (n, r),
        _ => {
            // rpm and apk: the version starts at the first `-` followed by a digit.
            let i = stem
                .char_indices()
                .find(|&(i, c)| c == '-' && stem[i + 1..].starts_with(|d: char| d.is_ascii_digit()));
            let i = i.map_or(0, |(i, _)| i);
            (&stem[..i], &stem[i + 1..])
        }
    };
    let version = rest
        .split(['-', '_'])
        .next()
        .unwrap_or_default()
        .trim_end_matches(".dfsg");
    let product = match name {
        "libcurl4" => "curl",
        "libcoap2" => "libcoap",
        "openssh-client" => "openssh",
        "zlib1g" => "zlib",
        n => n,
    };
    (product.to_owned(), version.to_owned())
}

#[test]
fn cve_bin_tool_oracles_yield_their_versions() {
    let Some(dir) = samples() else { return };
    let readme = std::fs::read_to_string(dir.join("README.md")).expect("README");
    let oracles = dir.join("version-oracles/cve-bin-tool-condensed");
    let mut files: Vec<_> = std::fs::read_dir(&oracles)
        .expect("oracles")
        .map(|e| e.expect("entry").path())
        .collect();
    files.sort();
    assert_eq!(files.len(), 22);
    let mut misses = Vec::new();
    for f in files {
        let name = f
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let (product, version) = oracle_expectation(&name, &readme);
        let a = run(&f);
        if !a
            .components
            .iter()
            .any(|c| c.name == product && c.version == version)
        {
            misses.push(format!(
                "{name}: want {product} {version}, got {:?}",
                a.components
                    .iter()
                    .map(|c| format!("{} {}", c.name, c.version))
                    .collect::<Vec<_>>()
            ));
        }
    }
    assert!(misses.is_empty(), "{}", misses.join("\n"));
}

/// Every syft snippet: `<product>/<version>/<arch>/<file>`.
#[test]
fn syft_snippets_yield_their_versions() {
    let Some(dir) = samples() else { return };
    let root = dir.join("version-oracles/syft-snippets");
    let mut checked = 0;
    let mut misses = Vec::new();
    for product in std::fs::read_dir(&root).expect("snippets") {
        let product = product.expect("entry").path();
        for version in std::fs::read_dir(&product).expect("versions") {
            let version = version.expect("entry").path();
            for arch in std::fs::read_dir(&version).expect("arch") {
                for file in std::fs::read_dir(arch.expect("entry").path()).expect("files") {
                    let file = file.expect("entry").path();
                    let want_name = product
                        .file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default();
                    let want_version = version
                        .file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default();
                    let a = run(&file);
                    checked += 1;
                    if !a
                        .components
                        .iter()
                        .any(|c| c.name == want_name && c.version == want_version)
                    {
                        misses.push(format!("{}: want {want_name} {want_version}", file.display()));
                    }
                }
            }
        }
    }
    assert_eq!(checked, 10);
    assert!(misses.is_empty(), "{}", misses.join("\n"));
}

#[test]
fn binwalk_inputs_are_identified_and_yield_no_components() {
    let Some(dir) = samples() else { return };
    let want = [
        ("7z.bin", "7z"),
        ("bzip2.bin", "bzip2"),
        ("cramfs.bin", "cramfs"),
        ("gzip.bin", "gzip"),
        ("mbr.bin", "mbr"),
        ("romfs.bin", "romfs"),
        ("squashfs.bin", "squashfs"),
        ("yaffs2.bin", "yaffs2"),
    ];
    for (file, format) in want {
        let a = run(&dir.join("binwalk-test-inputs").join(file));
        assert!(a.components.is_empty(), "{file}: {:?}", a.components);
        let first = a.tree.root.layers.first().map(|l| (l.format, l.offset));
        assert_eq!(first, Some((format, 0)), "{file}");
    }
}

#[test]
fn the_same_image_gives_the_same_result() {
    let Some(dir) = samples() else { return };
    let path = dir.join("synthetic-permissive-fw/firmware-bundle.zip");
    let a = run(&path);
    for _ in 0..3 {
        let b = run(&path);
        assert_eq!(a.components, b.components);
        assert_eq!(format!("{:?}", a.tree), format!("{:?}", b.tree));
    }
}

#[test]
fn a_soname_version_is_not_a_product_version() {
    // libexpat.so.1.8.10 is expat 2.5.0 and libcurl.so.4.8.0 is curl 7.88.1: neither file name
    // may give a version, even with no version string in the file.
    for (path, bytes) in [
        ("lib/libexpat.so.1.8.10", b"\x7fELF nothing here".as_slice()),
        ("usr/lib/libcurl.so.4.8.0", b"\x7fELF nothing here".as_slice()),
        ("usr/lib/libssh.so.4.9.4", b"\x7fELF".as_slice()),
    ] {
        let c = levee_firmware::detect::detect_file(path, bytes);
        assert!(c.is_empty(), "{path}: {c:?}");
    }
    let c = levee_firmware::detect::detect_file("usr/lib/libmosquitto.so.2.0.11", b"\x7fELF");
    assert_eq!(
        c.iter()
            .map(|c| (c.name.as_str(), c.version.as_str()))
            .collect::<Vec<_>>(),
        [("libmosquitto", "2.0.11")]
    );
}

#[test]
fn package_databases_keep_the_distro_revision_apart() {
    let status = b"Package: libssl3\nStatus: install ok installed\nVersion: 3.0.22-1~deb12u2\n\nPackage: foo-tool\nStatus: install ok installed\nVersion: 1:2.4-3\n\nPackage: gone\nStatus: deinstall ok config-files\nVersion: 9.9-1\n";
    let c = levee_firmware::detect::detect_file("var/lib/dpkg/status", status);
    let ssl = c
        .iter()
        .find(|c| c.name == "openssl")
        .expect("openssl from libssl3");
    assert_eq!(
        (ssl.version.as_str(), ssl.distro_revision.as_deref()),
        ("3.0.22", Some("1~deb12u2"))
    );
    assert_eq!(ssl.package.as_deref(), Some("libssl3"));
    let foo = c
        .iter()
        .find(|c| c.name == "foo-tool")
        .expect("unknown package kept");
    assert_eq!(foo.purl.as_deref(), Some("pkg:deb/debian/foo-tool@2.4-3"));
    assert_eq!(
        (foo.version.as_str(), foo.distro_revision.as_deref()),
        ("2.4", Some("3"))
    );
    assert!(c.iter().all(|c| c.name != "gone"));
    let apk =
        levee_firmware::detect::detect_file("lib/apk/db/installed", b"C:Q1x\nP:busybox\nV:1.36.1-r5\n\n");
    assert_eq!(
        apk.iter()
            .map(|c| (c.name.as_str(), c.version.as_str(), c.distro_revision.as_deref()))
            .collect::<Vec<_>>(),
        [("busybox", "1.36.1", Some("r5"))]
    );
}

#[test]
fn a_kernel_banner_and_a_strong_string_beat_a_weak_one() {
    let banner = b"\0Linux version 5.10.0-21-amd64 (debian-kernel@lists.debian.org) (gcc-10) #1 SMP\0";
    let c = levee_firmware::detect::detect_file("boot/vmlinux", banner);
    assert_eq!(
        c.iter()
            .map(|c| (c.name.as_str(), c.version.as_str()))
            .collect::<Vec<_>>(),
        [("linux", "5.10.0")]
    );
    // The banner (90) wins over a nearby bare version (60) in the same file.
    let both = b"\x002019.77\0Dropbear v%s\0SSH-2.0-dropbear_2020.81\0";
    let c = levee_firmware::detect::detect_file("usr/sbin/dropbear", both);
    assert_eq!(c.len(), 1);
    assert_eq!(c[0].version, "2020.81");
    assert_eq!(c[0].evidence.len(), 2, "the weaker evidence stays");
}

#[test]
fn os_release_and_module_paths_give_versions() {
    let c = levee_firmware::detect::detect_file(
        "etc/openwrt_release",
        b"DISTRIB_ID='OpenWrt'\nDISTRIB_RELEASE='21.02.3'\n",
    );
    assert_eq!(
        c.iter()
            .map(|c| (c.name.as_str(), c.version.as_str()))
            .collect::<Vec<_>>(),
        [("openwrt", "21.02.3")]
    );
    // An ID no signature names (the synthetic image's `ot-test-fw`) gives no component.
    assert!(
        levee_firmware::detect::detect_file("etc/os-release", b"ID=ot-test-fw\nVERSION_ID=0.1.0\n")
            .is_empty()
    );
    let c = levee_firmware::detect::detect_file("lib/modules/5.4.188/modules.dep", b"kernel/net/x.ko:\n");
    assert_eq!(
        c.iter()
            .map(|c| (c.name.as_str(), c.version.as_str()))
            .collect::<Vec<_>>(),
        [("linux", "5.4.188")]
    );
}
