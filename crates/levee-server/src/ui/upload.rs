//! Uploads of SBOMs, packet captures and firmware images from the browser.
//!
//! The page's script sends the file's bytes (`application/octet-stream`, with upload progress)
//! to `POST /projects/{id}/upload?kind=…&name=…[&asset=…]`. The server checks the content is
//! what it claims (an SBOM Levee reads, a pcap or pcapng capture, a non-empty image), stores it
//! through the API's blob upload ([`crate::projects::put_blob`]: type, size, hash), writes the
//! reference into the project's TOML (the asset's `sbom` or `firmware = { image }`, or
//! `[evidence] captures`) and commits the new revision through the API's push
//! ([`crate::projects::push`], with `If-Match` of the revision the page showed): the engine
//! assesses it, and an invalid result stores nothing. The answer is the push's JSON or a problem.

use std::fmt::Write;

use axum::Extension;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use levee_store::{FileRow, ListQuery};
use serde::Deserialize;

use super::html::{self, Page, Viewer, esc, pct};
use super::{error_page, html_page};
use crate::auth::Actor;
use crate::problem::{JsonBody, Problem};
use crate::state::AppState;
use crate::wire::{Manifest, ManifestFile};

/// The most assets offered in the asset list.
const MAX_ASSETS: i64 = 20_000;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct AssetLite {
    id: String,
    name: String,
    zone: String,
    sbom: Option<String>,
}

async fn assets(s: &AppState, id: &str) -> Result<Vec<AssetLite>, Problem> {
    let q = ListQuery {
        kind: "asset".to_owned(),
        limit: MAX_ASSETS,
        ..ListQuery::default()
    };
    let page = s.store().resources(id, &q).await?;
    page.items
        .iter()
        .map(|r| serde_json::from_str(&r.body).map_err(Problem::internal))
        .collect()
}

/// `GET /projects/{id}/upload`.
pub async fn page(
    State(s): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Path(id): Path<String>,
) -> Response {
    let built: Result<Response, Problem> = async {
        let project = crate::projects::existing(&s, &id).await?;
        let assets = assets(&s, &id).await?;
        let idp = pct(&id);
        let limit = s.config().blob_limit;
        let mut b = format!(
            r#"<nav class="actions" aria-label="Project"><a href="/projects/{idp}">Overview</a> <a href="/projects/{idp}/findings">Findings</a> <a href="/projects/{idp}/upload">Upload</a></nav><p>An SBOM or a firmware image is attached to an asset (replacing the one it has); a capture is added to the project's evidence. The project is then assessed again, as after <code>levee push</code>.</p>"#
        );
        let _ = write!(
            b,
            r#"<form id="upload" class="card upload" method="post" action="/projects/{idp}/upload" data-project="{idq}" data-etag="{etag}" data-limit="{limit}"><p><label for="u-kind">What</label><select id="u-kind" name="kind"><option value="sbom">SBOM (CycloneDX, SPDX)</option><option value="capture">Packet capture (pcap, pcapng)</option><option value="firmware">Firmware image</option></select></p><p><label for="u-asset">Asset (for an SBOM or an image)</label><select id="u-asset" name="asset"><option value="">choose an asset</option>"#,
            idq = esc(&id),
            etag = esc(&project.etag),
        );
        for a in &assets {
            let has = a.sbom.as_deref().map(|p| format!(", SBOM {}", esc(p))).unwrap_or_default();
            let _ = write!(
                b,
                r#"<option value="{v}">{v}: {name} (zone {zone}{has})</option>"#,
                v = esc(&a.id),
                name = esc(&a.name),
                zone = esc(&a.zone),
            );
        }
        let _ = write!(
            b,
            r#"</select></p><p><label for="u-file">File (at most {mib} MiB)</label><input id="u-file" name="file" type="file" required></p><p><button type="submit">Upload</button></p><p><label for="u-progress">Progress</label> <progress id="u-progress" max="100" value="0">0%</progress></p><div id="u-status" class="status" role="status" aria-live="polite"></div><noscript><p class="notice error">Uploading needs JavaScript; <code>levee push</code> does the same from a project directory.</p></noscript></form>"#,
            mib = limit >> 20
        );
        let crumbs = [
            ("Projects", "/projects".to_owned()),
            (project.name.as_str(), format!("/projects/{idp}")),
        ];
        Ok(html_page(
            StatusCode::OK,
            Page {
                title: "Upload",
                viewer: &viewer,
                crumbs: &crumbs,
                body: b,
            }
            .render(),
        ))
    }
    .await;
    built.unwrap_or_else(|p| error_page(&viewer, &p))
}

/// What is uploaded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Sbom,
    Capture,
    Firmware,
}

fn unprocessable(code: &'static str, detail: impl Into<String>) -> Problem {
    Problem::new(StatusCode::UNPROCESSABLE_ENTITY, code, detail)
}

/// A file name kept as it is: 1–100 of `A-Z a-z 0-9 . _ -`, not starting with `.` or `-`.
fn file_name(name: &str) -> Result<&str, Problem> {
    let ok = !name.is_empty()
        && name.len() <= 100
        && !name.starts_with(['.', '-'])
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'));
    if ok {
        Ok(name)
    } else {
        Err(Problem::bad_request(
            "bad-name",
            format!(
                "the file name `{}` must be 1–100 letters, digits, `.`, `_` or `-`; rename the file and upload it again",
                name.escape_debug()
            ),
        ))
    }
}

/// Whether `bytes` start like a pcap or pcapng capture.
pub fn is_capture(bytes: &[u8]) -> bool {
    const MAGICS: [[u8; 4]; 5] = [
        [0xa1, 0xb2, 0xc3, 0xd4],
        [0xd4, 0xc3, 0xb2, 0xa1],
        [0xa1, 0xb2, 0x3c, 0x4d],
        [0x4d, 0x3c, 0xb2, 0xa1],
        [0x0a, 0x0d, 0x0d, 0x0a],
    ];
    bytes.get(..4).is_some_and(|m| MAGICS.iter().any(|k| k == m))
}

/// Checks that the bytes are what `kind` says.
async fn check_content(kind: Kind, name: &str, bytes: &Bytes) -> Result<(), Problem> {
    if bytes.is_empty() {
        return Err(unprocessable(
            "empty-file",
            "the file is empty; nothing was stored",
        ));
    }
    match kind {
        Kind::Sbom => {
            let (b, n) = (bytes.clone(), name.to_owned());
            tokio::task::spawn_blocking(move || {
                levee_engine::SbomScan::from_bytes(&b, &n, Vec::new(), &levee_engine::ScanOptions::default())
                    .map(|_| ())
            })
            .await
            .map_err(Problem::internal)?
            .map_err(|e| {
                unprocessable(
                    "not-an-sbom",
                    format!(
                        "`{name}` is not an SBOM Levee reads (CycloneDX or SPDX): {e}; nothing was stored"
                    ),
                )
            })
        }
        Kind::Capture if !is_capture(bytes) => Err(unprocessable(
            "not-a-capture",
            format!("`{name}` is not a pcap or pcapng capture; nothing was stored"),
        )),
        Kind::Capture | Kind::Firmware => Ok(()),
    }
}

/// The range of lines of the `[[asset]]` table whose `id` is `asset`.
fn asset_table(lines: &[&str], asset: &str) -> Option<(usize, usize, usize)> {
    let mut i = 0;
    while i < lines.len() {
        if lines[i].trim_start().starts_with("[[asset]]") {
            let end = (i + 1..lines.len())
                .find(|&j| lines[j].trim_start().starts_with('['))
                .unwrap_or(lines.len());
            if let Some(id_line) = (i + 1..end).find(|&j| key_value(lines[j], "id") == Some(asset)) {
                return Some((i, end, id_line));
            }
            i = end;
        } else {
            i += 1;
        }
    }
    None
}

/// `key = "value"` on one line: the value.
fn key_value<'a>(line: &'a str, key: &str) -> Option<&'a str> {
    let rest = line
        .trim()
        .strip_prefix(key)?
        .trim_start()
        .strip_prefix('=')?
        .trim();
    let rest = rest.strip_prefix('"')?;
    rest.split_once('"').map(|(v, _)| v)
}

fn has_key(line: &str, key: &str) -> bool {
    line.trim()
        .strip_prefix(key)
        .is_some_and(|r| r.trim_start().starts_with('='))
}

/// Sets `key = value` in the asset's table of `assets.toml` (replacing a one-line value).
pub fn set_asset_key(text: &str, asset: &str, key: &str, value: &str) -> Result<String, String> {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let bare: Vec<&str> = lines.iter().map(|l| l.trim_end_matches(['\n', '\r'])).collect();
    let (_, end, id_line) = asset_table(&bare, asset).ok_or_else(|| {
        format!("assets.toml has no [[asset]] table with id = \"{asset}\" that Levee can edit; attach the file by hand")
    })?;
    let new_line = format!("{key} = {value}\n");
    let mut out = String::with_capacity(text.len() + new_line.len() + 1);
    let existing = (id_line + 1..end).find(|&j| has_key(bare[j], key));
    if let Some(j) = existing {
        let v = bare[j].split_once('=').map_or("", |(_, v)| v.trim());
        let one_line =
            (v.starts_with('"') && v[1..].contains('"')) || (v.starts_with('{') && v.contains('}'));
        if !one_line {
            return Err(format!(
                "the `{key}` of asset {asset} in assets.toml spans several lines; change it by hand"
            ));
        }
    }
    for (j, l) in lines.iter().enumerate() {
        if Some(j) == existing {
            out.push_str(&new_line);
            continue;
        }
        out.push_str(l);
        if j == id_line && existing.is_none() {
            if !l.ends_with('\n') {
                out.push('\n');
            }
            out.push_str(&new_line);
        }
    }
    Ok(out)
}

/// The image path of the asset's `firmware = { image = "…" }`, and its version.
fn firmware_of(text: &str, asset: &str) -> (Option<String>, Option<String>) {
    let bare: Vec<&str> = text.lines().collect();
    let Some((_, end, id_line)) = asset_table(&bare, asset) else {
        return (None, None);
    };
    for l in &bare[id_line + 1..end] {
        if let Some(v) = key_value(l, "firmware") {
            return (None, Some(v.to_owned()));
        }
        if has_key(l, "firmware") {
            let field = |k: &str| {
                l.split_once(k)
                    .and_then(|(_, r)| r.trim_start().strip_prefix('='))
                    .and_then(|r| r.trim_start().strip_prefix('"'))
                    .and_then(|r| r.split_once('"'))
                    .map(|(v, _)| v.to_owned())
            };
            return (field("image"), field("version"));
        }
    }
    (None, None)
}

/// Adds `path` to `[evidence] captures` in `levee.toml`.
pub fn add_capture(text: &str, path: &str) -> Result<String, String> {
    let quoted = format!("\"{path}\"");
    if text.contains(&quoted) {
        return Ok(text.to_owned());
    }
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let bare: Vec<&str> = lines.iter().map(|l| l.trim_end_matches(['\n', '\r'])).collect();
    let Some(start) = bare.iter().position(|l| l.trim() == "[evidence]") else {
        let sep = if text.ends_with('\n') || text.is_empty() {
            ""
        } else {
            "\n"
        };
        return Ok(format!("{text}{sep}\n[evidence]\ncaptures = [{quoted}]\n"));
    };
    let end = (start + 1..bare.len())
        .find(|&j| bare[j].trim_start().starts_with('['))
        .unwrap_or(bare.len());
    let mut out: Vec<String> = lines.iter().map(|l| (*l).to_owned()).collect();
    match (start + 1..end).find(|&j| has_key(bare[j], "captures")) {
        None => out.insert(start + 1, format!("captures = [{quoted}]\n")),
        Some(j) => {
            let line = bare[j];
            if let Some(close) = line.rfind(']') {
                let inner = line[..close].split_once('[').map_or("", |(_, r)| r).trim();
                let sep = if inner.is_empty() || inner.ends_with(',') {
                    ""
                } else {
                    ", "
                };
                let nl = if lines[j].ends_with('\n') { "\n" } else { "" };
                out[j] = format!("{}{sep}{quoted}{}{nl}", &line[..close], &line[close..]);
            } else {
                let close = (j + 1..end)
                    .find(|&k| bare[k].trim_start().starts_with(']'))
                    .ok_or("the `captures` list of levee.toml is not closed; add the capture by hand")?;
                out.insert(close, format!("  {quoted},\n"));
            }
        }
    }
    Ok(out.concat())
}

fn text_file(bytes: Vec<u8>, what: &str) -> Result<String, Problem> {
    String::from_utf8(bytes).map_err(|_| unprocessable("invalid-project", format!("{what} is not UTF-8")))
}

async fn file_text(s: &AppState, id: &str, files: &[FileRow], path: &str) -> Result<Option<String>, Problem> {
    let Some(f) = files.iter().find(|f| f.path == path) else {
        return Ok(None);
    };
    let bytes = s
        .store()
        .project_blob(id, &f.sha256)
        .await?
        .ok_or_else(|| Problem::internal("a project file's blob is missing"))?;
    text_file(bytes, path).map(Some)
}

/// Stores bytes through the API's blob upload; the row for the manifest.
async fn store_blob(s: &AppState, id: &str, path: &str, bytes: Bytes) -> Result<ManifestFile, Problem> {
    let sha = levee_store::sha256_hex(&bytes);
    let mut headers = HeaderMap::new();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/octet-stream"),
    );
    let size = bytes.len() as u64;
    crate::projects::put_blob(
        State(s.clone()),
        Path((id.to_owned(), sha.clone())),
        headers,
        bytes,
    )
    .await?;
    Ok(ManifestFile {
        path: path.to_owned(),
        sha256: sha,
        size,
    })
}

/// `POST /projects/{id}/upload`: see the module documentation.
pub async fn receive(
    State(s): State<AppState>,
    Extension(actor): Extension<Actor>,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
    req: Request,
) -> Response {
    match upload(&s, actor, &id, q.as_deref(), req).await {
        Ok(r) => r,
        Err(p) => p.into_response(),
    }
}

async fn upload(
    s: &AppState,
    actor: Actor,
    id: &str,
    q: Option<&str>,
    req: Request,
) -> Result<Response, Problem> {
    let fields = q.and_then(|q| html::form(q, 16)).unwrap_or_default();
    let kind = match html::field(&fields, "kind") {
        Some("sbom") => Kind::Sbom,
        Some("capture") => Kind::Capture,
        Some("firmware") => Kind::Firmware,
        _ => {
            return Err(Problem::bad_request(
                "bad-kind",
                "say what the file is: sbom, capture or firmware",
            ));
        }
    };
    let name = file_name(html::field(&fields, "name").unwrap_or(""))?.to_owned();
    let asset = html::field(&fields, "asset")
        .filter(|a| !a.is_empty())
        .map(str::to_owned);
    let expected = html::field(&fields, "etag")
        .filter(|e| !e.is_empty())
        .map(str::to_owned);
    let octets = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim() == "application/octet-stream");
    if !octets {
        return Err(Problem::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported-media-type",
            "upload a file as Content-Type: application/octet-stream (the upload form's script does)",
        ));
    }
    let limit = s.config().blob_limit;
    let bytes = crate::problem::read_body(req, &()).await.map_err(|p| {
        if p.status == StatusCode::PAYLOAD_TOO_LARGE {
            Problem::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "file-too-large",
                format!(
                    "the file is larger than this server accepts ({} MiB); nothing was stored",
                    limit >> 20
                ),
            )
        } else {
            p
        }
    })?;
    check_content(kind, &name, &bytes).await?;
    crate::projects::existing(s, id).await?;
    let files = s.store().files(id).await?;
    let mut edits: Vec<(String, String)> = Vec::new();
    let path = match kind {
        Kind::Capture => {
            let path = format!("captures/{name}");
            let text = file_text(s, id, &files, "levee.toml").await?.unwrap_or_default();
            let edited = add_capture(&text, &path).map_err(|e| unprocessable("cannot-attach", e))?;
            edits.push(("levee.toml".to_owned(), edited));
            path
        }
        Kind::Sbom | Kind::Firmware => {
            let asset = asset.ok_or_else(|| {
                unprocessable(
                    "no-asset",
                    "choose the asset the file belongs to; nothing was stored",
                )
            })?;
            let listed = assets(s, id).await?;
            let a = listed
                .iter()
                .find(|a| a.id == asset)
                .ok_or_else(|| unprocessable("no-asset", format!("project `{id}` has no asset `{asset}`")))?;
            let text = file_text(s, id, &files, "assets.toml").await?.ok_or_else(|| {
                unprocessable(
                    "cannot-attach",
                    "the project has no assets.toml to attach the file in",
                )
            })?;
            let taken = |p: &str| files.iter().any(|f| f.path == p);
            let fresh = |dir: &str| {
                let p = format!("{dir}/{name}");
                if taken(&p) {
                    format!("{dir}/{asset}-{name}")
                } else {
                    p
                }
            };
            if kind == Kind::Sbom {
                match &a.sbom {
                    Some(existing) => existing.clone(),
                    None => {
                        let p = fresh("sbom");
                        let edited = set_asset_key(&text, &asset, "sbom", &format!("\"{p}\""))
                            .map_err(|e| unprocessable("cannot-attach", e))?;
                        edits.push(("assets.toml".to_owned(), edited));
                        p
                    }
                }
            } else {
                match firmware_of(&text, &asset) {
                    (Some(image), _) => image,
                    (None, version) => {
                        let p = fresh("firmware");
                        let value = match version {
                            Some(v) => format!(
                                "{{ image = \"{p}\", version = \"{}\" }}",
                                v.replace(['"', '\\'], "")
                            ),
                            None => format!("{{ image = \"{p}\" }}"),
                        };
                        let edited = set_asset_key(&text, &asset, "firmware", &value)
                            .map_err(|e| unprocessable("cannot-attach", e))?;
                        edits.push(("assets.toml".to_owned(), edited));
                        p
                    }
                }
            }
        }
    };
    levee_engine::bundle::check_path(&path).map_err(|e| Problem::bad_request("bad-path", e.to_string()))?;
    let mut manifest: Vec<ManifestFile> = files
        .iter()
        .map(|f| ManifestFile {
            path: f.path.clone(),
            sha256: f.sha256.clone(),
            size: u64::try_from(f.size).unwrap_or(0),
        })
        .collect();
    let mut put = vec![store_blob(s, id, &path, bytes).await?];
    for (p, text) in edits {
        put.push(store_blob(s, id, &p, Bytes::from(text.into_bytes())).await?);
    }
    for f in put {
        match manifest.iter_mut().find(|m| m.path == f.path) {
            Some(m) => *m = f,
            None => manifest.push(f),
        }
    }
    let mut headers = HeaderMap::new();
    if let Some(e) = expected
        && let Ok(v) = HeaderValue::from_str(&format!("\"{e}\""))
    {
        headers.insert(header::IF_MATCH, v);
    }
    crate::projects::push(
        State(s.clone()),
        Extension(actor),
        Path(id.to_owned()),
        headers,
        JsonBody(Manifest { files: manifest }),
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    const ASSETS: &str = "# plant\n[[asset]]\nid = \"plc-1\"\nname = \"PLC\"\nfirmware = \"4.2\"\n\n[[asset]]\nid = \"hmi\" # the HMI\nname = \"HMI\"\nsbom = \"sbom/old.json\"\n";

    #[test]
    fn keys_are_set_in_the_right_asset() {
        let t = set_asset_key(ASSETS, "plc-1", "sbom", "\"sbom/plc.json\"").expect("edit");
        assert!(
            t.contains("id = \"plc-1\"\nsbom = \"sbom/plc.json\"\nname = \"PLC\""),
            "{t}"
        );
        let t = set_asset_key(ASSETS, "hmi", "sbom", "\"sbom/new.json\"").expect("edit");
        assert!(
            t.contains("sbom = \"sbom/new.json\"\n") && !t.contains("old.json"),
            "{t}"
        );
        assert_eq!(t.lines().count(), ASSETS.lines().count());
        assert!(set_asset_key(ASSETS, "nope", "sbom", "\"x\"").is_err());
        assert_eq!(firmware_of(ASSETS, "plc-1"), (None, Some("4.2".into())));
        let t = set_asset_key(
            ASSETS,
            "plc-1",
            "firmware",
            "{ image = \"firmware/a.bin\", version = \"4.2\" }",
        )
        .expect("edit");
        assert_eq!(
            firmware_of(&t, "plc-1"),
            (Some("firmware/a.bin".into()), Some("4.2".into()))
        );
    }

    #[test]
    fn captures_are_added_once() {
        let t = add_capture("[project]\nname = \"x\"\n", "captures/a.pcap").expect("add");
        assert!(
            t.ends_with("\n[evidence]\ncaptures = [\"captures/a.pcap\"]\n"),
            "{t}"
        );
        let t2 = add_capture(&t, "captures/b.pcap").expect("add");
        assert!(
            t2.contains("captures = [\"captures/a.pcap\", \"captures/b.pcap\"]"),
            "{t2}"
        );
        assert_eq!(add_capture(&t2, "captures/a.pcap").expect("same"), t2);
        let multi = "[evidence]\ncaptures = [\n  \"captures/a.pcap\",\n]\n[risk]\n";
        let t3 = add_capture(multi, "captures/c.pcap").expect("add");
        assert!(t3.contains("  \"captures/c.pcap\",\n]\n[risk]"), "{t3}");
        let none = add_capture("[evidence]\n[risk]\n", "captures/d.pcap").expect("add");
        assert!(
            none.starts_with("[evidence]\ncaptures = [\"captures/d.pcap\"]\n[risk]"),
            "{none}"
        );
    }

    #[test]
    fn names_and_magics() {
        assert!(file_name("plc.cdx.json").is_ok());
        for bad in ["", "../x", ".hidden", "a b", "a/b", &"a".repeat(101)] {
            assert!(file_name(bad).is_err(), "{bad}");
        }
        assert!(is_capture(&[0x0a, 0x0d, 0x0d, 0x0a, 0]));
        assert!(is_capture(&[0xd4, 0xc3, 0xb2, 0xa1]));
        assert!(!is_capture(b"{\"bomFormat\""));
        assert!(!is_capture(&[0xd4]));
    }
}
