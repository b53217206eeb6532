//! The unpacking tree: every container found in the image (at offset 0 or carved at any
//! offset), what it holds, its checks and problems, recursively up to the depth limit.

use crate::entry::{Kind, link_stays_inside};
use crate::error::{Budget, Error, LimitKind, Limits};
use crate::formats::stream::{Codec, decode};
use crate::formats::{
    Listing, Problem, cpio, cramfs, ext, fit, jffs2, romfs, squashfs, tar, ubi, ubifs, uimage, yaffs2, zip,
};
use crate::magic::{MAGICS, Strength, automaton};
pub use crate::magic::{carved_formats, looks_like};

/// How far a layer was unpacked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Everything it holds was read.
    Complete,
    /// Some of it was read; its problems say what was not.
    Partial,
    /// It was recognised but nothing could be read from it.
    Failed,
}

impl Status {
    /// Its name in outputs.
    pub fn name(self) -> &'static str {
        match self {
            Status::Complete => "complete",
            Status::Partial => "partial",
            Status::Failed => "failed",
        }
    }
}

/// A checksum a layer carries and whether it matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    /// What it covers (`header CRC`, `data CRC`, …).
    pub what: String,
    /// Whether it matched.
    pub ok: bool,
}

/// One container: a compressed stream, an archive, a filesystem or an image header.
#[derive(Debug, Clone)]
pub struct Layer {
    /// The format (`squashfs`, `uimage`, `gzip`, `cpio`, …).
    pub format: &'static str,
    /// Where it starts in the blob that holds it.
    pub offset: u64,
    /// Bytes of that blob it spans.
    pub size: u64,
    /// Facts from its header (`arch`, `compressor`, `name`, …), in a fixed order.
    pub info: Vec<(&'static str, String)>,
    /// Its checksums.
    pub checks: Vec<Check>,
    /// What went wrong inside it.
    pub problems: Vec<Problem>,
    /// How far it was unpacked.
    pub status: Status,
    /// What it holds: the files of an archive or filesystem, or the one output of a stream or
    /// image header.
    pub files: Vec<Node>,
}

/// A file inside a layer (or the image itself).
#[derive(Debug, Clone)]
pub struct Node {
    /// Its path inside the layer (the image's file name at the top).
    pub path: String,
    /// What it is.
    pub kind: Kind,
    /// Permission bits.
    pub mode: u32,
    /// Its bytes (files and stream outputs).
    pub data: Vec<u8>,
    /// What its bytes look like when it holds no container (`elf`, `text`, …).
    pub looks_like: Option<&'static str>,
    /// For a symbolic link: whether its target stays inside the tree.
    pub link_inside: Option<bool>,
    /// Containers found in its bytes.
    pub layers: Vec<Layer>,
}

impl Node {
    /// The byte ranges of `data` that no layer covers (where detectors look).
    pub fn gaps(&self) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        let mut at = 0usize;
        let mut spans: Vec<(usize, usize)> = self
            .layers
            .iter()
            .map(|l| (l.offset as usize, (l.offset + l.size) as usize))
            .collect();
        spans.sort_unstable();
        for (s, e) in spans {
            if s > at {
                out.push((at, s.min(self.data.len())));
            }
            at = at.max(e);
        }
        if at < self.data.len() {
            out.push((at, self.data.len()));
        }
        out
    }
}

/// The result of unpacking an image.
#[derive(Debug, Clone)]
pub struct Tree {
    /// The image itself, with the layers found in it.
    pub root: Node,
    /// The limits it was unpacked under.
    pub limits: Limits,
    /// Bytes unpacked, files unpacked.
    pub used: (u64, u64),
    /// Whether some layer was not unpacked completely.
    pub partial: bool,
}

struct Ctx<'p> {
    budget: Budget,
    partial: bool,
    progress: &'p dyn Fn(u64),
}

/// Unpacks `image` (named `name`) under `limits`.
pub fn unpack(name: &str, image: &[u8], limits: Limits) -> Tree {
    unpack_with(name, image, limits, &|_| {})
}

/// [`unpack`], telling `progress` how many more bytes were unpacked as it goes.
pub fn unpack_with(name: &str, image: &[u8], limits: Limits, progress: &dyn Fn(u64)) -> Tree {
    let mut ctx = Ctx {
        budget: Budget::new(limits),
        partial: false,
        progress,
    };
    let mut root = Node {
        path: name.to_owned(),
        kind: Kind::File,
        mode: 0o644,
        data: image.to_vec(),
        looks_like: None,
        link_inside: None,
        layers: Vec::new(),
    };
    // YAFFS2 has no magic to carve for: it is read when the whole image is one.
    root.layers = match yaffs2::detect(&root.data) {
        Some(g) => {
            let l = yaffs2::list(&root.data, g, &mut ctx.budget);
            let mut layer = from_listing("yaffs2", 0, l, 0, &mut ctx);
            layer.info = vec![(
                "geometry",
                format!(
                    "{} + {} bytes per page, {}",
                    g.chunk,
                    g.spare,
                    if g.big_endian {
                        "big-endian"
                    } else {
                        "little-endian"
                    }
                ),
            )];
            if layer.status != Status::Complete {
                ctx.partial = true;
            }
            vec![layer]
        }
        None => scan(&root.data, 0, &mut ctx, true),
    };
    if root.layers.is_empty() {
        root.looks_like = looks_like(&root.data);
        if matches!(root.looks_like, Some("mbr")) {
            let f = root.looks_like.unwrap_or("data");
            root.layers.push(failed_layer(
                leak(f),
                0,
                image.len(),
                Error::unsupported(leak(f), "recognised; this reader does not unpack it"),
            ));
            ctx.partial = true;
        }
    }
    Tree {
        root,
        limits,
        used: (ctx.budget.used, ctx.budget.files),
        partial: ctx.partial,
    }
}

fn leak(f: &'static str) -> &'static str {
    f
}

fn failed_layer(format: &'static str, offset: usize, size: usize, e: Error) -> Layer {
    Layer {
        format,
        offset: offset as u64,
        size: size as u64,
        info: Vec::new(),
        checks: Vec::new(),
        problems: vec![Problem::from_error("layer", &e)],
        status: Status::Failed,
        files: Vec::new(),
    }
}

/// Finds and unpacks the containers in `d`. `carve`: look at every offset, not only at 0.
fn scan(d: &[u8], depth: u32, ctx: &mut Ctx<'_>, carve: bool) -> Vec<Layer> {
    let mut out = Vec::new();
    let Some(ac) = automaton() else { return out };
    if depth > ctx.budget.limits.max_depth {
        ctx.partial = true;
        out.push(failed_layer(
            "nested",
            0,
            d.len(),
            Error::Limit {
                kind: LimitKind::Depth,
                limit: ctx.budget.limits.max_depth as u64,
                what: "nested containers".into(),
                detail: format!("depth {depth}"),
            },
        ));
        return out;
    }
    let mut next = 0usize;
    let mut hits: Vec<(usize, usize)> = Vec::new();
    if carve {
        // Leftmost matches, restarting one byte after each start: every offset where some
        // magic starts is found (as an overlapping search would) at the speed of the plain
        // search; the magics starting at that offset are then compared directly.
        let mut from = 0usize;
        while let Some(m) = ac.find(aho_corasick::Input::new(d).span(from..d.len())) {
            let s = m.start();
            for (i, (magic, _, shift, _)) in MAGICS.iter().enumerate() {
                if d[s..].starts_with(magic)
                    && let Some(at) = s.checked_add_signed(*shift)
                {
                    hits.push((at, i));
                }
            }
            from = s + 1;
        }
        hits.sort_unstable();
    } else {
        for (i, (magic, _, shift, _)) in MAGICS.iter().enumerate() {
            let at = (-shift) as usize;
            if d.get(at..at + magic.len()) == Some(magic) {
                hits.push((0, i));
            }
        }
    }
    for (at, i) in hits {
        if at < next {
            continue;
        }
        let (_, format, _, strength) = MAGICS[i];
        let rest = &d[at..];
        match try_layer(format, rest, at, depth, ctx) {
            Some(Ok(layer)) => {
                next = at + (layer.size as usize).max(1);
                if layer.status != Status::Complete {
                    ctx.partial = true;
                }
                let stop = layer.problems.iter().any(|p| p.code.starts_with("limit-"));
                out.push(layer);
                if stop {
                    break;
                }
            }
            Some(Err(e)) if strength == Strength::Strong || at == 0 => {
                ctx.partial = true;
                out.push(failed_layer(format, at, d.len() - at, e));
                next = d.len();
            }
            _ => {}
        }
    }
    out
}

fn node(path: String, kind: Kind, mode: u32, data: Vec<u8>) -> Node {
    let link_inside = match &kind {
        Kind::Symlink(t) => Some(link_stays_inside(&path, t)),
        _ => None,
    };
    Node {
        path,
        kind,
        mode,
        data,
        looks_like: None,
        link_inside,
        layers: Vec::new(),
    }
}

/// Recurses into a node's bytes: containers, or else what the bytes look like.
fn descend(n: &mut Node, depth: u32, ctx: &mut Ctx<'_>) {
    (ctx.progress)(n.data.len() as u64);
    if !matches!(n.kind, Kind::File | Kind::Hardlink(_)) || n.data.is_empty() {
        return;
    }
    let elf = n.data.starts_with(b"\x7fELF");
    if !elf {
        let data = std::mem::take(&mut n.data);
        n.layers = scan(&data, depth, ctx, true);
        n.data = data;
    }
    if n.layers.is_empty() {
        n.looks_like = looks_like(&n.data);
    }
}

fn from_listing(format: &'static str, at: usize, l: Listing, depth: u32, ctx: &mut Ctx<'_>) -> Layer {
    let mut files: Vec<Node> = l
        .entries
        .into_iter()
        .map(|e| node(e.path, e.kind, e.mode, e.data))
        .collect();
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files.dedup_by(|b, a| a.path == b.path);
    let mut problems = l.problems;
    if let Some(e) = &l.stopped {
        problems.push(Problem::from_error("layer", e));
    }
    for f in &mut files {
        descend(f, depth + 1, ctx);
    }
    let status = if l.stopped.is_some() || !problems.is_empty() {
        if files.is_empty() {
            Status::Failed
        } else {
            Status::Partial
        }
    } else {
        Status::Complete
    };
    Layer {
        format,
        offset: at as u64,
        size: l.consumed as u64,
        info: Vec::new(),
        checks: Vec::new(),
        problems,
        status,
        files,
    }
}

fn stream_layer(
    codec: Codec,
    d: &[u8],
    at: usize,
    depth: u32,
    ctx: &mut Ctx<'_>,
    name: String,
) -> Result<Layer, Error> {
    let out = decode(codec, d, &ctx.budget, &format!("at offset {at}"));
    // A weak magic carved inside other data is only a stream when it decodes to its end:
    // random bytes after `1f 8b 08` or `5d 00 00` rarely fail at once, but never end cleanly.
    // (A limit is still reported: the stream decoded that far.)
    if !matches!(codec, Codec::Xz)
        && at > 0
        && out
            .error
            .as_ref()
            .is_some_and(|e| !matches!(e, Error::Limit { .. }))
    {
        return Err(out
            .error
            .unwrap_or_else(|| Error::corrupt(codec.name(), "not a stream")));
    }
    if let Some(e @ Error::Limit { .. }) = &out.error {
        let mut l = failed_layer(codec.name(), at, out.consumed.max(1), e.clone());
        l.problems[0].at = "stream".into();
        return Ok(l);
    }
    if out.data.is_empty() {
        return Err(out
            .error
            .unwrap_or_else(|| Error::corrupt(codec.name(), "empty stream")));
    }
    if let Err(e) = ctx.budget.take(out.data.len() as u64, codec.name()) {
        return Ok(failed_layer(codec.name(), at, out.consumed, e));
    }
    let mut problems = Vec::new();
    let status = match &out.error {
        Some(e) => {
            problems.push(Problem::from_error("stream", e));
            Status::Partial
        }
        None => Status::Complete,
    };
    let mut n = node(name, Kind::File, 0o644, out.data);
    descend(&mut n, depth + 1, ctx);
    Ok(Layer {
        format: codec.name(),
        offset: at as u64,
        size: out.consumed as u64,
        info: Vec::new(),
        checks: Vec::new(),
        problems,
        status,
        files: vec![n],
    })
}

/// The file name a gzip header stores.
fn gzip_name(d: &[u8]) -> Option<String> {
    let flags = *d.get(3)?;
    if flags & 0x08 == 0 {
        return None;
    }
    let mut p = 10usize;
    if flags & 0x04 != 0 {
        p += 2 + crate::formats::u16le(d, 10)? as usize;
    }
    let rest = d.get(p..)?;
    let n = rest.iter().take(1024).position(|&b| b == 0)?;
    let s = String::from_utf8_lossy(&rest[..n]).into_owned();
    crate::entry::safe_path(s.as_bytes())
        .ok()
        .map(|p| p.replace('/', "_"))
}

fn try_layer(
    format: &'static str,
    d: &[u8],
    at: usize,
    depth: u32,
    ctx: &mut Ctx<'_>,
) -> Option<Result<Layer, Error>> {
    let stream = |codec, ctx: &mut Ctx<'_>, name: String| Some(stream_layer(codec, d, at, depth, ctx, name));
    match format {
        "gzip" => {
            if d.get(3).is_none_or(|f| f & 0xe0 != 0) {
                return None;
            }
            let name = gzip_name(d).unwrap_or_else(|| "gzip-data".into());
            stream(Codec::Gzip, ctx, name)
        }
        "xz" => stream(Codec::Xz, ctx, "xz-data".into()),
        "bzip2" => {
            if !d.get(3).is_some_and(|b| (b'1'..=b'9').contains(b))
                || d.get(4..10) != Some(b"\x31\x41\x59\x26\x53\x59")
            {
                return None;
            }
            stream(Codec::Bzip2, ctx, "bzip2-data".into())
        }
        "zstd" => stream(Codec::Zstd, ctx, "zstd-data".into()),
        "lz4" => stream(Codec::Lz4, ctx, "lz4-data".into()),
        "lzma" => {
            let dict = crate::formats::u32le(d, 1)?;
            let size = crate::formats::u64le(d, 5)?;
            // The range coder's first byte is always 0.
            if d.get(13) != Some(&0)
                || !dict.is_power_of_two()
                || !(4096..=1 << 26).contains(&dict)
                || (size != u64::MAX && size > 1 << 34)
            {
                return None;
            }
            stream(Codec::Lzma, ctx, "lzma-data".into())
        }
        "uimage" => {
            let h = match uimage::header(d)? {
                Ok(h) => h,
                Err(e) => return Some(Err(e)),
            };
            if !h.header_crc_ok && at != 0 {
                return None;
            }
            let p = uimage::payload(d, &h);
            let mut checks = vec![Check {
                what: "header CRC".into(),
                ok: h.header_crc_ok,
            }];
            checks.push(Check {
                what: "data CRC".into(),
                ok: p.data_crc_ok,
            });
            let mut problems = Vec::new();
            if !h.header_crc_ok {
                problems.push(Problem {
                    at: "header".into(),
                    code: "crc-mismatch",
                    message: "uimage: header CRC mismatch".into(),
                });
            }
            if let Some(e) = &p.error {
                problems.push(Problem::from_error("data", e));
            }
            let parts: Vec<(usize, &[u8])> = if p.parts.is_empty() {
                vec![(64, p.data)]
            } else {
                p.parts.clone()
            };
            let mut files = Vec::new();
            for (i, (_, part)) in parts.iter().enumerate() {
                let name = if parts.len() == 1 {
                    "payload".to_owned()
                } else {
                    format!("part-{i}")
                };
                if let Err(e) = ctx.budget.take(part.len() as u64, "uimage payload") {
                    problems.push(Problem::from_error(name, &e));
                    break;
                }
                let mut n = node(name, Kind::File, 0o644, part.to_vec());
                descend(&mut n, depth + 1, ctx);
                files.push(n);
            }
            let info = vec![
                ("name", h.name.clone()),
                ("os", h.os.to_owned()),
                ("arch", h.arch.to_owned()),
                ("type", h.kind.to_owned()),
                ("compression", h.comp.to_owned()),
                ("load", format!("{:#010x}", h.load)),
                ("entry", format!("{:#010x}", h.entry)),
            ];
            let status = if problems.is_empty() {
                Status::Complete
            } else {
                Status::Partial
            };
            Some(Ok(Layer {
                format,
                offset: at as u64,
                size: p.consumed as u64,
                info,
                checks,
                problems,
                status,
                files,
            }))
        }
        "squashfs" => {
            let sb = squashfs::detect(d)?;
            if sb.bytes_used < 96 {
                return None;
            }
            let info = vec![
                ("version", format!("{}.{}", sb.version.0, sb.version.1)),
                ("compressor", sb.compressor.to_owned()),
                ("block_size", sb.block_size.to_string()),
                ("inodes", sb.inodes.to_string()),
            ];
            let mut l = squashfs::list(d, &mut ctx.budget);
            if l.consumed == 0 {
                l.consumed = (sb.bytes_used as usize).min(d.len());
            }
            let mut layer = from_listing(format, at, l, depth, ctx);
            layer.info = info;
            Some(Ok(layer))
        }
        "cpio" => {
            let v = cpio::detect(d)?;
            let l = cpio::list(d, &mut ctx.budget);
            if l.entries.is_empty() && at != 0 && l.consumed < 110 {
                return None;
            }
            let mut layer = from_listing(format, at, l, depth, ctx);
            layer.info = vec![("variant", v.to_owned())];
            if v == "crc" {
                let bad = layer.problems.iter().any(|p| p.code == "crc-mismatch");
                layer.checks.push(Check {
                    what: "entry data sums".into(),
                    ok: !bad,
                });
            }
            Some(Ok(layer))
        }
        "tar" => {
            if !tar::detect(d) {
                return None;
            }
            let l = tar::list(d, &mut ctx.budget);
            let variant = if d.get(257..263) == Some(b"ustar\0") {
                "ustar"
            } else {
                "gnu"
            };
            let mut layer = from_listing(format, at, l, depth, ctx);
            layer.info = vec![("variant", variant.to_owned())];
            layer.checks.push(Check {
                what: "header checksums".into(),
                ok: true,
            });
            Some(Ok(layer))
        }
        "zip" => {
            let end = zip::end_of(d)?;
            let l = zip::list(&d[..end], &mut ctx.budget);
            if l.entries.is_empty() && at != 0 && !l.problems.is_empty() {
                return None;
            }
            let bad = l
                .problems
                .iter()
                .any(|p| p.message.contains("checksum") || p.message.contains("CRC"));
            let mut layer = from_listing(format, at, l, depth, ctx);
            layer.checks.push(Check {
                what: "member CRCs".into(),
                ok: !bad,
            });
            Some(Ok(layer))
        }
        "cramfs" => {
            cramfs::detect(d)?;
            let crc = cramfs::crc_ok(d);
            let l = cramfs::list(d, &mut ctx.budget);
            let mut layer = from_listing(format, at, l, depth, ctx);
            if let Some(ok) = crc {
                layer.checks.push(Check {
                    what: "filesystem CRC".into(),
                    ok,
                });
            }
            Some(Ok(layer))
        }
        "romfs" => {
            if !romfs::detect(d) {
                return None;
            }
            let ok = romfs::checksum_ok(d);
            let l = romfs::list(d, &mut ctx.budget);
            let mut layer = from_listing(format, at, l, depth, ctx);
            layer.checks.push(Check {
                what: "superblock checksum".into(),
                ok,
            });
            Some(Ok(layer))
        }
        "jffs2" => {
            if !jffs2::detect(d) {
                return None;
            }
            let l = jffs2::list(d, &mut ctx.budget);
            let bad = l.problems.iter().any(|p| p.code == "crc-mismatch");
            let mut layer = from_listing(format, at, l, depth, ctx);
            layer.checks.push(Check {
                what: "node header CRCs".into(),
                ok: !bad,
            });
            Some(Ok(layer))
        }
        "ext" => {
            let v = ext::detect(d)?;
            let l = ext::list(d, &mut ctx.budget);
            if l.entries.is_empty() && at != 0 {
                return None;
            }
            let mut layer = from_listing(format, at, l, depth, ctx);
            layer.info = vec![("variant", v.to_owned())];
            Some(Ok(layer))
        }
        "ubi" => {
            if !ubi::detect(d) {
                return None;
            }
            let img = match ubi::read(d, &mut ctx.budget) {
                Ok(i) => i,
                Err(e) => return Some(Err(e)),
            };
            let mut files: Vec<Node> = Vec::new();
            for v in img.volumes {
                let base = crate::entry::safe_path(v.name.as_bytes())
                    .map(|p| p.replace('/', "_"))
                    .unwrap_or_else(|_| format!("volume-{}", v.id));
                let path = if files.iter().any(|f| f.path == base) {
                    format!("{base}-{}", v.id)
                } else {
                    base
                };
                let mut n = node(path, Kind::File, 0o644, v.data);
                descend(&mut n, depth + 1, ctx);
                files.push(n);
            }
            let status = if img.problems.is_empty() {
                Status::Complete
            } else if files.is_empty() {
                Status::Failed
            } else {
                Status::Partial
            };
            Some(Ok(Layer {
                format,
                offset: at as u64,
                size: img.consumed as u64,
                info: vec![
                    ("peb_size", img.peb_size.to_string()),
                    ("leb_size", img.leb_size.to_string()),
                    ("pebs", img.pebs.to_string()),
                    ("volumes", files.len().to_string()),
                ],
                checks: vec![
                    Check {
                        what: "erase-block header CRCs".into(),
                        ok: img.bad_headers == 0,
                    },
                    Check {
                        what: "volume data CRCs".into(),
                        ok: img.bad_data == 0,
                    },
                ],
                problems: img.problems,
                status,
                files,
            }))
        }
        "ubifs" => {
            let sb = ubifs::detect(d)?;
            let l = ubifs::list(d, &mut ctx.budget);
            let bad = l.problems.iter().any(|p| p.code == "crc-mismatch");
            let mut layer = from_listing(format, at, l, depth, ctx);
            layer.info = vec![
                ("leb_size", sb.leb_size.to_string()),
                ("min_io_size", sb.min_io.to_string()),
                ("compressor", sb.compressor.to_owned()),
                ("format_version", sb.fmt_version.to_string()),
            ];
            layer.checks.push(Check {
                what: "node CRCs".into(),
                ok: !bad,
            });
            Some(Ok(layer))
        }
        "fdt" => {
            fit::detect(d)?;
            let (l, checks) = fit::list(d, &mut ctx.budget);
            let fit = !l.entries.is_empty();
            let mut layer = from_listing(if fit { "fit" } else { "fdt" }, at, l, depth, ctx);
            layer.checks = checks.into_iter().map(|(what, ok)| Check { what, ok }).collect();
            if layer.checks.iter().any(|c| !c.ok) {
                layer.status = Status::Partial;
                layer.problems.push(Problem {
                    at: "hash".into(),
                    code: "crc-mismatch",
                    message: "fit: a crc32 hash does not match its data".into(),
                });
            }
            Some(Ok(layer))
        }
        "7z" => Some(Err(Error::unsupported(
            "7z",
            "7-Zip archives are recognised, not unpacked",
        ))),
        _ => None,
    }
}
