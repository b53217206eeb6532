//! Inline SVG charts for the HTML report: SL radar, zone and conduit diagram.
//!
//! Pure string builders over plain inputs, so the charts are deterministic and testable without a
//! browser. Coordinates are rounded to one decimal to keep the output byte-stable across platforms.

use std::fmt::Write;

use crate::html::escape;

/// Formats a coordinate with one decimal, without a negative zero.
fn num(v: f64) -> String {
    let r = (v * 10.0).round() / 10.0;
    if r == 0.0 {
        "0".to_owned()
    } else {
        format!("{r:.1}")
    }
}

/// A radar chart of two seven-valued SL vectors (target and achieved), FR 1 at the top, clockwise.
pub fn radar(id: &str, title: &str, target: [u8; 7], achieved: [u8; 7]) -> String {
    const SIZE: f64 = 240.0;
    const C: f64 = SIZE / 2.0;
    const R: f64 = 84.0;
    let point = |axis: usize, level: f64| -> (f64, f64) {
        let angle = -std::f64::consts::FRAC_PI_2 + axis as f64 * std::f64::consts::TAU / 7.0;
        (
            C + R * level / 4.0 * angle.cos(),
            C + R * level / 4.0 * angle.sin(),
        )
    };
    let polygon = |values: &[u8; 7]| -> String {
        (0..7)
            .map(|i| {
                let (x, y) = point(i, f64::from(values[i]));
                format!("{},{}", num(x), num(y))
            })
            .collect::<Vec<_>>()
            .join(" ")
    };
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg id="{}" class="radar" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {SIZE} {SIZE}" width="{SIZE}" height="{SIZE}" role="img" aria-label="{}"><title>{}</title>"#,
        escape(id),
        escape(title),
        escape(title)
    );
    for ring in 1..=4 {
        let pts: Vec<String> = (0..7)
            .map(|i| {
                let (x, y) = point(i, f64::from(ring));
                format!("{},{}", num(x), num(y))
            })
            .collect();
        let _ = write!(
            s,
            r##"<polygon class="ring" points="{}" fill="none" stroke="#ccd" stroke-width="1"/>"##,
            pts.join(" ")
        );
    }
    for i in 0..7 {
        let (x, y) = point(i, 4.0);
        let (lx, ly) = point(i, 4.9);
        let _ = write!(
            s,
            r##"<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#ccd" stroke-width="1"/><text x="{}" y="{}" font-size="11" text-anchor="middle" dominant-baseline="middle" fill="#334">FR{}</text>"##,
            num(C),
            num(C),
            num(x),
            num(y),
            num(lx),
            num(ly),
            i + 1
        );
    }
    let _ = write!(
        s,
        r##"<polygon class="sl-a" points="{}" fill="#2b8a3e" fill-opacity="0.35" stroke="#2b8a3e" stroke-width="2"><title>SL-A {:?}</title></polygon>"##,
        polygon(&achieved),
        achieved
    );
    let _ = write!(
        s,
        r##"<polygon class="sl-t" points="{}" fill="none" stroke="#c92a2a" stroke-width="2" stroke-dasharray="5 3"><title>SL-T {:?}</title></polygon>"##,
        polygon(&target),
        target
    );
    s.push_str("</svg>");
    s
}

/// A zone in the diagram.
#[derive(Debug, Clone)]
pub struct DiagramZone {
    /// Zone id.
    pub id: String,
    /// Zone name.
    pub name: String,
    /// Purdue level, used for the row (higher levels on top); zones without one go to the bottom row.
    pub purdue_level: Option<f32>,
    /// Whether SL-A meets SL-T.
    pub meets_target: bool,
    /// Whether the zone is assessed; out of scope it is drawn grey and dashed.
    pub in_scope: bool,
    /// Effective SL-T per FR, printed in the box when known.
    pub sl_t: Option<[u8; 7]>,
    /// Number of assets.
    pub assets: usize,
}

/// Which way traffic may flow through a conduit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    /// Both ways (no arrow head).
    Both,
    /// From the first zone to the second.
    Forward,
    /// From the second zone to the first.
    Reverse,
}

impl Flow {
    /// From the report's `direction` (`bidirectional`, `forward`, `reverse`).
    pub fn from_direction(direction: &str) -> Flow {
        match direction {
            "forward" => Flow::Forward,
            "reverse" => Flow::Reverse,
            _ => Flow::Both,
        }
    }
}

/// A conduit in the diagram.
#[derive(Debug, Clone)]
pub struct DiagramConduit {
    /// Conduit id.
    pub id: String,
    /// The two zone ids.
    pub zones: [String; 2],
    /// Whether SL-A meets SL-T in the FRs the conduit answers; `None` when not assessed. A failing
    /// conduit is drawn red and dashed.
    pub meets_target: Option<bool>,
    /// Which way traffic may flow (an arrow head on the receiving end).
    pub flow: Flow,
}

/// Box geometry of the diagram.
const BOX_W: f64 = 230.0;
const BOX_H: f64 = 70.0;
/// The width a name line may take inside a box (6 px of padding each side).
const NAME_WIDTH: f64 = BOX_W - 12.0;

/// An estimate of the width of `text` in 11 px semibold sans, in px: generous for capitals and
/// wide glyphs so that a line judged to fit does (the renderer also gets `textLength` for a line
/// judged too wide, which squeezes it into the box).
fn est_width(text: &str) -> f64 {
    text.chars()
        .map(|c| match c {
            'M' | 'W' | 'm' | 'w' | '@' | '%' => 10.5,
            'I' => 3.6,
            'A'..='Z' => 8.2,
            'i' | 'l' | 'j' | '.' | ',' | ':' | ';' | '\'' | '|' | '!' => 3.6,
            'f' | 't' | 'r' | '(' | ')' | '-' => 4.6,
            ' ' => 3.3,
            'a'..='z' => 6.6,
            '0'..='9' => 6.8,
            c if c.is_ascii() => 7.0,
            // CJK and other wide scripts: about a full em.
            _ => 11.5,
        })
        .sum()
}

/// Cuts `text` to fit `width` with a trailing `…`.
fn fit_width(text: &str, width: f64) -> String {
    if est_width(text) <= width {
        return text.to_owned();
    }
    let mut out = String::new();
    let mut used = est_width("…");
    for c in text.chars() {
        let w = est_width(c.encode_utf8(&mut [0; 4]));
        if used + w > width {
            break;
        }
        used += w;
        out.push(c);
    }
    out.push('…');
    out
}

/// Splits a name into at most two lines at word boundaries, by estimated width; what a third line
/// would hold is cut with `…` (the full name stays in the box's tooltip).
fn name_lines(name: &str) -> Vec<String> {
    let mut lines: Vec<String> = vec![String::new()];
    for word in name.split_whitespace() {
        let Some(last) = lines.last_mut() else {
            break;
        };
        if !last.is_empty() && est_width(last) + est_width(" ") + est_width(word) > NAME_WIDTH {
            lines.push(word.to_owned());
        } else {
            if !last.is_empty() {
                last.push(' ');
            }
            last.push_str(word);
        }
    }
    if lines.len() > 2 {
        let rest = lines[1..].join(" ");
        lines.truncate(1);
        lines.push(fit_width(&rest, NAME_WIDTH));
    }
    lines.into_iter().map(|l| fit_width(&l, NAME_WIDTH)).collect()
}

/// The zone and conduit diagram: zones as boxes in rows by Purdue level (name, id, asset count and
/// SL-T in each), conduits as lines labelled with their id, arrows where traffic flows one way.
/// Failing objects are red (conduits also dashed); zones out of scope grey and dashed.
pub fn zone_diagram(zones: &[DiagramZone], conduits: &[DiagramConduit]) -> String {
    const GAP_X: f64 = 80.0;
    const ROW_H: f64 = 130.0;
    const MARGIN: f64 = 20.0;
    // Rows: distinct Purdue levels, highest first; unknown level last.
    let mut levels: Vec<Option<i32>> = zones
        .iter()
        .map(|z| z.purdue_level.map(|l| (l * 10.0) as i32))
        .collect();
    levels.sort_by(|a, b| b.cmp(a));
    levels.dedup();
    if let Some(pos) = levels.iter().position(Option::is_none) {
        let none = levels.remove(pos);
        levels.push(none);
    }
    let mut rows: Vec<Vec<&DiagramZone>> = vec![Vec::new(); levels.len()];
    for z in zones {
        let key = z.purdue_level.map(|l| (l * 10.0) as i32);
        if let Some(r) = levels.iter().position(|l| *l == key) {
            rows[r].push(z);
        }
    }
    let widest = rows.iter().map(Vec::len).max().unwrap_or(1).max(1) as f64;
    let width = MARGIN * 2.0 + widest * BOX_W + (widest - 1.0) * GAP_X + 60.0;
    let height = MARGIN * 2.0 + rows.len().max(1) as f64 * ROW_H;
    let mut centre: Vec<(&str, f64, f64)> = Vec::new();
    let mut boxes = String::new();
    for (r, row) in rows.iter().enumerate() {
        let row_w = row.len() as f64 * BOX_W + (row.len().saturating_sub(1)) as f64 * GAP_X;
        let x0 = 60.0 + (width - 60.0 - row_w) / 2.0;
        let y = MARGIN + r as f64 * ROW_H;
        if let Some(level) = levels[r] {
            let _ = write!(
                boxes,
                r##"<text x="8" y="{}" font-size="11" fill="#667">L{}</text>"##,
                num(y + BOX_H / 2.0),
                f64::from(level) / 10.0
            );
        }
        for (i, z) in row.iter().enumerate() {
            let x = x0 + i as f64 * (BOX_W + GAP_X);
            centre.push((z.id.as_str(), x + BOX_W / 2.0, y + BOX_H / 2.0));
            zone_box(&mut boxes, z, x, y);
        }
    }
    let mut lines = String::new();
    let find = |id: &str| centre.iter().find(|c| c.0 == id).map(|c| (c.1, c.2));
    for c in conduits {
        let (Some(a), Some(b)) = (find(&c.zones[0]), find(&c.zones[1])) else {
            continue;
        };
        conduit_line(&mut lines, c, a, b);
    }
    format!(
        r##"<svg id="zone-diagram" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" aria-label="Zones and conduits"><title>Zones and conduits</title><defs><marker id="arrow-ok" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="#1c7ed6"/></marker><marker id="arrow-bad" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="#c92a2a"/></marker></defs>{lines}{boxes}</svg>"##,
        w = num(width),
        h = num(height),
    )
}

fn zone_box(out: &mut String, z: &DiagramZone, x: f64, y: f64) {
    let (fill, stroke, dash, state) = match (z.in_scope, z.meets_target) {
        (false, _) => ("#f1f3f5", "#868e96", r#" stroke-dasharray="6 4""#, "out of scope"),
        (true, true) => ("#ebfbee", "#2b8a3e", "", "meets SL-T"),
        (true, false) => ("#fff5f5", "#c92a2a", "", "below SL-T"),
    };
    let _ = write!(
        out,
        r##"<g class="zone" data-zone="{id}" data-state="{state}"><title>{name}: {state}</title><rect x="{x}" y="{y}" width="{BOX_W}" height="{BOX_H}" rx="6" fill="{fill}" stroke="{stroke}" stroke-width="2"{dash}/>"##,
        id = escape(&z.id),
        name = escape(&z.name),
        x = num(x),
        y = num(y),
    );
    let names = name_lines(&z.name);
    // The text block (name lines of 13 px, a gap, the 10 px detail line) centred in the box.
    let block = names.len() as f64 * 13.0 + 14.0;
    let mut ty = y + (BOX_H - block) / 2.0 + 11.0;
    for line in &names {
        // A line the estimate puts near the edge is squeezed to the box by the renderer.
        let squeeze = if est_width(line) > NAME_WIDTH * 0.9 {
            format!(
                r#" textLength="{}" lengthAdjust="spacingAndGlyphs""#,
                num(NAME_WIDTH)
            )
        } else {
            String::new()
        };
        let _ = write!(
            out,
            r##"<text x="{}" y="{}" font-size="11" font-weight="600" text-anchor="middle" fill="#222"{squeeze}>{}</text>"##,
            num(x + BOX_W / 2.0),
            num(ty),
            escape(line)
        );
        ty += 13.0;
    }
    let detail = match (z.in_scope, z.sl_t) {
        (false, _) => format!("{} · {} assets · out of scope", z.id, z.assets),
        (true, Some(t)) => format!(
            "{} · {} assets · SL-T {}",
            z.id,
            z.assets,
            t.iter().map(ToString::to_string).collect::<Vec<_>>().join(",")
        ),
        (true, None) => format!("{} · {} assets", z.id, z.assets),
    };
    let _ = write!(
        out,
        r##"<text x="{}" y="{}" font-size="10" text-anchor="middle" fill="#555">{}</text></g>"##,
        num(x + BOX_W / 2.0),
        num(ty + 4.0),
        escape(&fit_width(&detail, NAME_WIDTH * 11.0 / 10.0))
    );
}

fn conduit_line(out: &mut String, c: &DiagramConduit, a: (f64, f64), b: (f64, f64)) {
    let failing = c.meets_target == Some(false);
    let (colour, dash, marker) = if failing {
        ("#c92a2a", r#" stroke-dasharray="8 5""#, "arrow-bad")
    } else {
        ("#1c7ed6", "", "arrow-ok")
    };
    // Arrow heads stop at the box edge: shorten the line by the box's half height (rows differ
    // in y) or half width (same row).
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let len = (dx * dx + dy * dy).sqrt().max(1.0);
    let inset = if dy.abs() < 1.0 {
        BOX_W / 2.0
    } else {
        (BOX_H / 2.0) * len / dy.abs()
    };
    let inset = inset.min(len / 2.0 - 1.0).max(0.0);
    let (ux, uy) = (dx / len, dy / len);
    let (start, end) = (
        (a.0 + ux * inset, a.1 + uy * inset),
        (b.0 - ux * inset, b.1 - uy * inset),
    );
    let heads = match c.flow {
        Flow::Both => String::new(),
        Flow::Forward => format!(r#" marker-end="url(#{marker})""#),
        Flow::Reverse => format!(r#" marker-start="url(#{marker})""#),
    };
    let state = match c.meets_target {
        Some(true) => "meets SL-T",
        Some(false) => "below SL-T",
        None => "not assessed",
    };
    // The label beside the line's middle: to the right of a steep line, above a flat one.
    let (mx, my) = ((a.0 + b.0) / 2.0, (a.1 + b.1) / 2.0);
    let (lx, ly, anchor) = if dy.abs() > dx.abs() * 0.5 {
        (mx + 9.0, my + 4.0, "start")
    } else {
        (mx, my - 8.0, "middle")
    };
    let _ = write!(
        out,
        r##"<g class="conduit" data-conduit="{id}" data-state="{state}"><title>{id}: {state}</title><line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{colour}" stroke-width="3"{dash}{heads}/><text x="{}" y="{}" font-size="10" fill="{colour}" text-anchor="{anchor}" stroke="#fff" stroke-width="3" stroke-linejoin="round" paint-order="stroke">{id}</text></g>"##,
        num(start.0),
        num(start.1),
        num(end.0),
        num(end.1),
        num(lx),
        num(ly),
        id = escape(&c.id),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn radar_has_both_polygons_and_is_stable() {
        let a = radar(
            "radar-scada",
            "SCADA",
            [3, 3, 3, 1, 3, 1, 3],
            [2, 3, 2, 1, 3, 1, 3],
        );
        assert!(a.contains(r#"class="sl-t""#) && a.contains(r#"class="sl-a""#));
        assert_eq!(
            a,
            radar(
                "radar-scada",
                "SCADA",
                [3, 3, 3, 1, 3, 1, 3],
                [2, 3, 2, 1, 3, 1, 3]
            )
        );
        // FR 1 at full SL 4 sits straight above the centre.
        let full = radar("r", "t", [4; 7], [0; 7]);
        assert!(full.contains(r#"class="sl-t" points="120.0,36.0 "#), "{full}");
    }

    #[test]
    fn diagram_places_every_zone_and_conduit() {
        let z = |id: &str, l: Option<f32>| DiagramZone {
            id: id.into(),
            name: id.into(),
            purdue_level: l,
            meets_target: id != "b",
            in_scope: id != "d",
            sl_t: Some([2; 7]),
            assets: 1,
        };
        let d = zone_diagram(
            &[
                z("a", Some(4.0)),
                z("b", Some(2.0)),
                z("c", Some(2.0)),
                z("d", None),
            ],
            &[
                DiagramConduit {
                    id: "ab".into(),
                    zones: ["a".into(), "b".into()],
                    meets_target: Some(false),
                    flow: Flow::Forward,
                },
                DiagramConduit {
                    id: "bc".into(),
                    zones: ["b".into(), "c".into()],
                    meets_target: Some(true),
                    flow: Flow::Both,
                },
            ],
        );
        assert_eq!(d.matches(r#"class="zone""#).count(), 4);
        assert_eq!(d.matches(r#"class="conduit""#).count(), 2);
        assert!(
            d.contains(r#"data-zone="b" data-state="below SL-T""#),
            "zone b misses its target"
        );
        assert!(d.contains(r#"data-zone="d" data-state="out of scope""#));
        assert!(d.contains("SL-T 2,2,2,2,2,2,2"), "SL-T labels");
        // The failing conduit is red, dashed and points from a to b; the passing one has no head.
        let ab = &d[d.find(r#"data-conduit="ab""#).expect("ab")..];
        let ab = &ab[..ab.find("</g>").expect("end")];
        assert!(
            ab.contains("#c92a2a") && ab.contains("stroke-dasharray") && ab.contains("marker-end"),
            "{ab}"
        );
        let bc = &d[d.find(r#"data-conduit="bc""#).expect("bc")..];
        let bc = &bc[..bc.find("</g>").expect("end")];
        assert!(!bc.contains("stroke-dasharray") && !bc.contains("marker"), "{bc}");
    }

    #[test]
    fn long_names_wrap_instead_of_being_cut() {
        let lines = name_lines("Chlorine safety instrumented system and dosing interlocks");
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert_eq!(
            lines.join(" "),
            "Chlorine safety instrumented system and dosing interlocks"
        );
        assert!(lines.iter().all(|l| est_width(l) <= NAME_WIDTH));
        // Capitals and wide letters count wider than lower case: this name takes two lines.
        let caps = name_lines("WASTEWATER TREATMENT PLANT NORTH");
        assert_eq!(caps.len(), 2, "{caps:?}");
        // One word too wide for a line is cut, and whatever is left near the edge is squeezed.
        let ms = name_lines(&"M".repeat(33));
        assert_eq!(ms.len(), 1);
        assert!(ms[0].ends_with('…') && est_width(&ms[0]) <= NAME_WIDTH, "{ms:?}");
        let mut box_svg = String::new();
        zone_box(
            &mut box_svg,
            &DiagramZone {
                id: "m".into(),
                name: "M".repeat(33),
                purdue_level: None,
                meets_target: true,
                in_scope: true,
                sl_t: None,
                assets: 0,
            },
            0.0,
            0.0,
        );
        assert!(
            box_svg.contains(r#"lengthAdjust="spacingAndGlyphs""#),
            "{box_svg}"
        );
        let three = name_lines(&"word ".repeat(40));
        assert_eq!(three.len(), 2);
        assert!(three[1].ends_with('…'));
    }
}
