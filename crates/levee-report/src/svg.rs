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
    /// Number of assets.
    pub assets: usize,
}

/// A conduit in the diagram.
#[derive(Debug, Clone)]
pub struct DiagramConduit {
    /// Conduit id.
    pub id: String,
    /// The two zone ids.
    pub zones: [String; 2],
}

/// The zone and conduit diagram: zones as boxes in rows by Purdue level, conduits as lines.
pub fn zone_diagram(zones: &[DiagramZone], conduits: &[DiagramConduit]) -> String {
    const BOX_W: f64 = 200.0;
    const BOX_H: f64 = 54.0;
    const GAP_X: f64 = 70.0;
    const ROW_H: f64 = 110.0;
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
            let (fill, stroke) = if z.meets_target {
                ("#ebfbee", "#2b8a3e")
            } else {
                ("#fff5f5", "#c92a2a")
            };
            let _ = write!(
                boxes,
                r##"<g class="zone" data-zone="{id}"><rect x="{x}" y="{y}" width="{BOX_W}" height="{BOX_H}" rx="6" fill="{fill}" stroke="{stroke}" stroke-width="2"/><text x="{tx}" y="{ty1}" font-size="12" font-weight="600" text-anchor="middle" fill="#222">{name}</text><text x="{tx}" y="{ty2}" font-size="10" text-anchor="middle" fill="#555">{id} · {assets} assets</text></g>"##,
                id = escape(&z.id),
                x = num(x),
                y = num(y),
                tx = num(x + BOX_W / 2.0),
                ty1 = num(y + 22.0),
                ty2 = num(y + 40.0),
                name = escape(&truncate(&z.name, 30)),
                assets = z.assets,
            );
        }
    }
    let mut lines = String::new();
    let find = |id: &str| centre.iter().find(|c| c.0 == id).map(|c| (c.1, c.2));
    for c in conduits {
        let (Some(a), Some(b)) = (find(&c.zones[0]), find(&c.zones[1])) else {
            continue;
        };
        let _ = write!(
            lines,
            r##"<g class="conduit" data-conduit="{id}"><line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#1c7ed6" stroke-width="3"/><text x="{}" y="{}" font-size="10" fill="#1c7ed6" text-anchor="middle">{id}</text></g>"##,
            num(a.0),
            num(a.1),
            num(b.0),
            num(b.1),
            num((a.0 + b.0) / 2.0 + 6.0),
            num((a.1 + b.1) / 2.0 - 4.0),
            id = escape(&c.id),
        );
    }
    format!(
        r#"<svg id="zone-diagram" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" aria-label="Zones and conduits"><title>Zones and conduits</title>{lines}{boxes}</svg>"#,
        w = num(width),
        h = num(height),
    )
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_owned()
    } else {
        let mut t: String = s.chars().take(n - 1).collect();
        t.push('…');
        t
    }
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
            assets: 1,
        };
        let d = zone_diagram(
            &[
                z("a", Some(4.0)),
                z("b", Some(2.0)),
                z("c", Some(2.0)),
                z("d", None),
            ],
            &[DiagramConduit {
                id: "ab".into(),
                zones: ["a".into(), "b".into()],
            }],
        );
        assert_eq!(d.matches(r#"class="zone""#).count(), 4);
        assert_eq!(d.matches(r#"class="conduit""#).count(), 1);
        assert!(d.contains(r##"stroke="#c92a2a""##), "zone b misses its target");
    }
}
