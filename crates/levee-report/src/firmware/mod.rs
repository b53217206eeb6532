//! `levee firmware scan`: the `levee-firmware/1` JSON wire types (the unpacking tree, the
//! components with their evidence), the table, and the SBOMs (CycloneDX 1.6, SPDX 2.3) built
//! from one analysis.

mod sbom;

use std::collections::BTreeMap;

use levee_firmware::{Analysis, Kind, Layer, Node};
use schemars::JsonSchema;
use serde::Serialize;

pub use sbom::{cyclonedx, spdx};

use crate::table::{Table, clean, count};

/// The image an analysis read.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ImageWire {
    /// Its file name.
    pub name: String,
    /// Its size in bytes.
    pub size: u64,
    /// Its SHA-256 (hex).
    pub sha256: String,
}

/// The limits the image was unpacked under and what was used of them.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct LimitsWire {
    /// Bytes unpacked from the whole image.
    pub max_total_bytes: u64,
    /// Bytes of one file or stream.
    pub max_file_bytes: u64,
    /// Output per input byte of one compressed stream.
    pub max_ratio: u64,
    /// Containers inside containers.
    pub max_depth: u32,
    /// Files unpacked.
    pub max_files: u64,
    /// Bytes unpacked.
    pub used_bytes: u64,
    /// Files unpacked.
    pub used_files: u64,
}

/// A checksum of a layer.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct CheckWire {
    /// What it covers.
    pub what: String,
    /// Whether it matched.
    pub ok: bool,
}

/// A problem inside a layer.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ProblemWire {
    /// The layer's path (`image > squashfs@0`).
    pub layer: String,
    /// The entry or structure it concerns.
    pub at: String,
    /// Stable kebab-case code.
    pub code: String,
    /// What happened.
    pub message: String,
}

/// A container.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct LayerWire {
    /// Format.
    pub format: String,
    /// Offset in the blob that holds it.
    pub offset: u64,
    /// Bytes it spans there.
    pub size: u64,
    /// `complete`, `partial` or `failed`.
    pub status: String,
    /// Facts from its header.
    pub info: BTreeMap<String, String>,
    /// Its checksums.
    pub checks: Vec<CheckWire>,
    /// Its problems.
    pub problems: Vec<ProblemWire>,
    /// What it holds.
    pub files: Vec<NodeWire>,
}

/// A file of a layer (or the image).
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct NodeWire {
    /// Path inside its layer.
    pub path: String,
    /// `file`, `dir`, `symlink`, `hardlink`, `device` or `special`.
    pub kind: String,
    /// Permission bits, octal.
    pub mode: String,
    /// Bytes (files).
    pub size: u64,
    /// What it looks like when it holds no container (`elf`, `text`, `data`, …).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub looks_like: Option<String>,
    /// A link's target as stored.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    /// For symbolic links: `kept` (stays inside the tree) or `neutralised` (absolute or
    /// climbing out: never created on disk).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
    /// Containers in its bytes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub layers: Vec<LayerWire>,
}

/// One piece of evidence.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct EvidenceWire {
    /// `package-db`, `elf-note`, `version-string`, `file-name`, `nearby-version`, `soname`, `path`.
    pub method: String,
    /// The chain of containers.
    pub container: String,
    /// The file inside the innermost container.
    pub file: String,
    /// Byte offset in the file.
    pub offset: u64,
    /// The text matched.
    pub text: String,
    /// The version it reads.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// 0 to 100.
    pub confidence: u8,
}

/// A component.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ComponentWire {
    /// Name.
    pub name: String,
    /// Upstream version.
    pub version: String,
    /// Distribution revision from a package database.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub distro_revision: Option<String>,
    /// Package name in the database, when it differs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub package: Option<String>,
    /// Package URL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub purl: Option<String>,
    /// CPE 2.3.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cpe: Option<String>,
    /// Supplier.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub supplier: Option<String>,
    /// The strongest evidence's confidence, 0 to 100.
    pub confidence: u8,
    /// Evidence, strongest first.
    pub evidence: Vec<EvidenceWire>,
}

/// `levee firmware scan --format json`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct FirmwareReport {
    /// `levee-firmware/1`.
    pub schema: String,
    /// The image.
    pub image: ImageWire,
    /// True when some layer was not unpacked completely (see `problems`).
    pub partial: bool,
    /// Limits and use.
    pub limits: LimitsWire,
    /// The unpacking tree, from the image down.
    pub tree: NodeWire,
    /// Every layer problem, in tree order.
    pub problems: Vec<ProblemWire>,
    /// Components, by name and version.
    pub components: Vec<ComponentWire>,
    /// With `--scan`: the vulnerability scan of the SBOM (the `levee scan sbom --format json` document).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scan: Option<serde_json::Value>,
}

fn node_wire(n: &Node, container: &str, problems: &mut Vec<ProblemWire>) -> NodeWire {
    let (target, link) = match &n.kind {
        Kind::Symlink(t) => (
            Some(t.clone()),
            Some(
                if n.link_inside == Some(true) {
                    "kept"
                } else {
                    "neutralised"
                }
                .to_owned(),
            ),
        ),
        Kind::Hardlink(t) => (Some(t.clone()), None),
        _ => (None, None),
    };
    let here = if container.is_empty() {
        n.path.clone()
    } else {
        format!("{container} > {}", n.path)
    };
    NodeWire {
        path: n.path.clone(),
        kind: n.kind.name().to_owned(),
        mode: format!("{:04o}", n.mode),
        size: n.data.len() as u64,
        looks_like: n.looks_like.map(str::to_owned),
        target,
        link,
        layers: n.layers.iter().map(|l| layer_wire(l, &here, problems)).collect(),
    }
}

fn layer_wire(l: &Layer, parent: &str, problems: &mut Vec<ProblemWire>) -> LayerWire {
    let path = format!("{parent} > {}@{}", l.format, l.offset);
    let own: Vec<ProblemWire> = l
        .problems
        .iter()
        .map(|p| ProblemWire {
            layer: path.clone(),
            at: p.at.clone(),
            code: p.code.to_owned(),
            message: p.message.clone(),
        })
        .collect();
    problems.extend(own.iter().cloned());
    LayerWire {
        format: l.format.to_owned(),
        offset: l.offset,
        size: l.size,
        status: l.status.name().to_owned(),
        info: l.info.iter().map(|(k, v)| ((*k).to_owned(), v.clone())).collect(),
        checks: l
            .checks
            .iter()
            .map(|c| CheckWire {
                what: c.what.to_owned(),
                ok: c.ok,
            })
            .collect(),
        problems: own,
        files: l.files.iter().map(|f| node_wire(f, &path, problems)).collect(),
    }
}

impl FirmwareReport {
    /// The report of `a` on `image`.
    pub fn of(a: &Analysis, image: ImageWire) -> FirmwareReport {
        let mut problems = Vec::new();
        let tree = node_wire(&a.tree.root, "", &mut problems);
        let l = a.tree.limits;
        FirmwareReport {
            schema: "levee-firmware/1".into(),
            image,
            partial: a.tree.partial,
            limits: LimitsWire {
                max_total_bytes: l.max_total,
                max_file_bytes: l.max_file,
                max_ratio: l.max_ratio,
                max_depth: l.max_depth,
                max_files: l.max_files,
                used_bytes: a.tree.used.0,
                used_files: a.tree.used.1,
            },
            tree,
            problems,
            components: a
                .components
                .iter()
                .map(|c| ComponentWire {
                    name: c.name.clone(),
                    version: c.version.clone(),
                    distro_revision: c.distro_revision.clone(),
                    package: c.package.clone(),
                    purl: c.purl.clone(),
                    cpe: c.cpe.clone(),
                    supplier: c.supplier.clone(),
                    confidence: c.confidence,
                    evidence: c
                        .evidence
                        .iter()
                        .map(|e| EvidenceWire {
                            method: e.method.name().to_owned(),
                            container: e.container.clone(),
                            file: e.file.clone(),
                            offset: e.offset,
                            text: e.text.clone(),
                            version: e.version.clone(),
                            confidence: e.confidence,
                        })
                        .collect(),
                })
                .collect(),
            scan: None,
        }
    }
}

/// The JSON Schema of [`FirmwareReport`].
pub fn json_schema() -> String {
    crate::to_json(&schemars::schema_for!(FirmwareReport))
}

fn tree_lines(n: &NodeWire, depth: usize, out: &mut String) {
    for l in &n.layers {
        let checks: Vec<String> = l
            .checks
            .iter()
            .map(|c| format!("{} {}", c.what, if c.ok { "ok" } else { "MISMATCH" }))
            .collect();
        let info: Vec<String> = l.info.iter().map(|(k, v)| format!("{k}={}", clean(v))).collect();
        let files = l.files.iter().filter(|f| f.kind == "file").count();
        out.push_str(&format!(
            "{:indent$}{} @{} ({} bytes) {}{}{}{}\n",
            "",
            l.format,
            l.offset,
            l.size,
            l.status,
            if l.files.len() > 1 || l.files.iter().any(|f| f.kind != "file") {
                format!(", {}", count(files as u64, "file", "files"))
            } else {
                String::new()
            },
            if info.is_empty() {
                String::new()
            } else {
                format!(", {}", info.join(" "))
            },
            if checks.is_empty() {
                String::new()
            } else {
                format!(", {}", checks.join(", "))
            },
            indent = depth * 2
        ));
        for p in &l.problems {
            out.push_str(&format!(
                "{:indent$}! {}: {}\n",
                "",
                clean(&p.at),
                clean(&p.message),
                indent = depth * 2 + 2
            ));
        }
        for f in &l.files {
            if !f.layers.is_empty() {
                out.push_str(&format!(
                    "{:indent$}{} ({} bytes)\n",
                    "",
                    clean(&f.path),
                    f.size,
                    indent = depth * 2 + 2
                ));
                tree_lines(f, depth + 2, out);
            }
        }
    }
}

/// The table: the unpacking tree, then the components with their strongest evidence.
pub fn render_table(r: &FirmwareReport) -> String {
    let mut out = format!(
        "{} ({} bytes, sha256 {})\n",
        clean(&r.image.name),
        r.image.size,
        r.image.sha256
    );
    tree_lines(&r.tree, 1, &mut out);
    if r.tree.layers.is_empty() {
        out.push_str(&format!(
            "  no container found; looks like {}\n",
            r.tree.looks_like.as_deref().unwrap_or("data")
        ));
    }
    out.push('\n');
    if r.components.is_empty() {
        out.push_str("no components found\n");
    } else {
        let mut t = Table::new(["COMPONENT", "VERSION", "REVISION", "CONF", "METHOD", "EVIDENCE"]);
        for c in &r.components {
            let e = c.evidence.first();
            t.row([
                c.name.clone(),
                c.version.clone(),
                c.distro_revision.clone().unwrap_or_else(|| "-".into()),
                c.confidence.to_string(),
                e.map_or("-".into(), |e| e.method.clone()),
                e.map_or("-".into(), |e| format!("{} @{}: {}", e.file, e.offset, e.text)),
            ]);
        }
        out.push_str(&t.render());
    }
    out.push_str(&format!(
        "\n{}, {} unpacked, {}{}\n",
        count(r.components.len() as u64, "component", "components"),
        count(r.limits.used_files, "file", "files"),
        count(r.limits.used_bytes, "byte", "bytes"),
        if r.partial {
            "; PARTIAL: some layer could not be unpacked (see `!` lines)"
        } else {
            ""
        }
    ));
    out
}
