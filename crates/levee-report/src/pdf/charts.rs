//! Vector charts drawn with PDF path operators: the SL-T vs SL-A bar chart over the seven FRs
//! (with a legend) and the zone and conduit diagram (zones as boxes in rows by Purdue level,
//! conduits as lines, failing zones in the failing colour, labels wrapped and shrunk to fit).

use super::fonts::{Font, encode};
use super::layout::{BAD, CONTENT_H, GREY, INK, Layout, MARGIN_X, OK, RULE, Rgb, TEXT_W, wrap};
use super::writer::num;

const TARGET: Rgb = (0.55, 0.68, 0.86);
const NEUTRAL: Rgb = (0.97, 0.97, 0.98);

/// The SL-T vs SL-A bar chart of one zone or conduit (or target vs SL-C of a component; `names`
/// are the two series' legend names): two bars per FR, the second in the failing colour where it
/// falls below the first.
pub fn sl_bars(l: &mut Layout, target: &[u8; 7], achieved: &[u8; 7], names: (&str, &str)) {
    const H: f64 = 150.0;
    let top = l.block(H + 12.0);
    let (x0, y0) = (MARGIN_X + 24.0, top - H + 22.0);
    let plot_w = TEXT_W - 150.0;
    let plot_h = H - 40.0;
    let step = plot_h / 4.0;
    for level in 0..=4u8 {
        let y = y0 + f64::from(level) * step;
        l.line((x0, y), (x0 + plot_w, y), 0.4, RULE);
        l.text_at(
            x0 - 12.0,
            y - 3.0,
            Font::Regular,
            8.0,
            GREY,
            level.to_string().as_bytes(),
        );
    }
    l.text_at(MARGIN_X - 4.0, y0 + plot_h + 8.0, Font::Regular, 7.0, GREY, b"SL");
    let group = plot_w / 7.0;
    let bar = group * 0.32;
    for fr in 0..7 {
        let gx = x0 + fr as f64 * group + group * 0.16;
        let t = f64::from(target[fr].min(4));
        let a = f64::from(achieved[fr].min(4));
        if t > 0.0 {
            l.rect(gx, y0, bar, t * step, Some(TARGET), None);
        }
        let colour = if achieved[fr] >= target[fr] { OK } else { BAD };
        if a > 0.0 {
            l.rect(gx + bar + 2.0, y0, bar, a * step, Some(colour), None);
        }
        let label = format!("FR {}", fr + 1);
        l.text_at(gx + 2.0, y0 - 11.0, Font::Regular, 8.0, INK, label.as_bytes());
    }
    l.line((x0, y0), (x0 + plot_w, y0), 0.8, GREY);
    // Legend.
    let lx = x0 + plot_w + 16.0;
    let legend = [
        (TARGET, format!("{} (target)", names.0)),
        (OK, format!("{} meets {}", names.1, names.0)),
        (BAD, format!("{} below {}", names.1, names.0)),
    ];
    for (i, (colour, text)) in legend.into_iter().enumerate() {
        let y = y0 + plot_h - 10.0 - i as f64 * 16.0;
        l.rect(lx, y, 10.0, 10.0, Some(colour), None);
        l.text_at(lx + 14.0, y + 2.0, Font::Regular, 8.0, INK, text.as_bytes());
    }
}

/// A zone box in the diagram.
#[derive(Debug, Clone)]
pub struct Box {
    /// Zone id.
    pub id: String,
    /// Zone name.
    pub name: String,
    /// Purdue level (rows, highest on top; none at the bottom).
    pub level: Option<f32>,
    /// Whether SL-A meets SL-T.
    pub ok: bool,
    /// Whether the zone is assessed (out of scope: drawn in grey).
    pub in_scope: bool,
    /// Effective SL-T per FR, printed under the id.
    pub sl_t: [u8; 7],
}

/// A conduit line in the diagram.
#[derive(Debug, Clone)]
pub struct Wire {
    /// Conduit id.
    pub id: String,
    /// The two zones.
    pub zones: [String; 2],
    /// Whether SL-A meets SL-T in the FRs the conduit answers: a failing one is red and dashed.
    pub ok: bool,
    /// Which way traffic may flow (an arrow head at the receiving zone).
    pub flow: crate::svg::Flow,
}

/// The colour of a conduit that meets its target.
const WIRE: Rgb = (0.11, 0.49, 0.84);

/// A filled arrow head on the line `from` → `to`, its tip where the line enters the box around
/// `to` (half width and half height `half`).
fn arrow(l: &mut Layout, from: (f64, f64), to: (f64, f64), half: (f64, f64), colour: Rgb) {
    let (dx, dy) = (to.0 - from.0, to.1 - from.1);
    let len = (dx * dx + dy * dy).sqrt();
    if len < 1.0 {
        return;
    }
    let (ux, uy) = (dx / len, dy / len);
    // Back off from the centre to the box edge, whichever side the line crosses first.
    let through_top = if uy.abs() > 1e-6 {
        half.1 / uy.abs()
    } else {
        f64::INFINITY
    };
    let through_side = if ux.abs() > 1e-6 {
        half.0 / ux.abs()
    } else {
        f64::INFINITY
    };
    let back = through_top.min(through_side).min(len / 2.0);
    let tip = (to.0 - ux * back, to.1 - uy * back);
    let (bx, by) = (tip.0 - ux * 7.0, tip.1 - uy * 7.0);
    let (px, py) = (-uy * 3.5, ux * 3.5);
    l.raw(&format!(
        "q {} {} {} rg {} {} m {} {} l {} {} l h f Q",
        num(colour.0),
        num(colour.1),
        num(colour.2),
        num(tip.0),
        num(tip.1),
        num(bx + px),
        num(by + py),
        num(bx - px),
        num(by - py)
    ));
}

/// The label of a box: the largest size from 9 down to 5 points at which the name fits in three
/// lines, else the name wrapped at 5 points in as many lines as it needs (never cut).
fn fit(text: &str, width: f64) -> (f64, Vec<Vec<u8>>) {
    let mut size = 9.0;
    loop {
        let lines = wrap(Font::Bold, size, text, width);
        if lines.len() <= 3 || size <= 5.0 {
            return (size, lines);
        }
        size -= 1.0;
    }
}

const ID_SIZE: f64 = 6.5;
/// Boxes per row of the diagram.
const PER_ROW: usize = 4;

/// A box's label: the name (bold, fitted) over the id.
struct Label {
    size: f64,
    name: Vec<Vec<u8>>,
    id: Vec<Vec<u8>>,
}

impl Label {
    fn height(&self) -> f64 {
        self.name.len() as f64 * self.size * 1.2 + self.id.len() as f64 * ID_SIZE * 1.2 + 14.0
    }
}

/// The zone and conduit diagram.
pub fn zone_diagram(l: &mut Layout, zones: &[Box], conduits: &[Wire]) {
    let mut levels: Vec<Option<i32>> = zones.iter().map(|z| z.level.map(|v| (v * 10.0) as i32)).collect();
    levels.sort_by(|a, b| b.cmp(a));
    levels.dedup();
    if let Some(pos) = levels.iter().position(Option::is_none) {
        let none = levels.remove(pos);
        levels.push(none);
    }
    // One row per Purdue level, wrapped after four boxes so labels keep a readable width.
    let rows: Vec<(Option<i32>, bool, Vec<&Box>)> = levels
        .iter()
        .flat_map(|lv| {
            let at: Vec<&Box> = zones
                .iter()
                .filter(|z| z.level.map(|v| (v * 10.0) as i32) == *lv)
                .collect();
            at.chunks(PER_ROW)
                .enumerate()
                .map(|(i, c)| (*lv, i == 0, c.to_vec()))
                .collect::<Vec<_>>()
        })
        .collect();
    let widest = rows.iter().map(|r| r.2.len()).max().unwrap_or(1).max(1) as f64;
    let gap = 18.0;
    let area = TEXT_W - 30.0;
    let box_w = ((area - (widest - 1.0) * gap) / widest).min(150.0);
    // Each row is as tall as its tallest label.
    let labels: Vec<Vec<Label>> = rows
        .iter()
        .map(|r| {
            r.2.iter()
                .map(|z| {
                    let (size, name) = fit(&z.name, box_w - 8.0);
                    let sl_t = z
                        .sl_t
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join(",");
                    let detail = if z.in_scope {
                        format!("{} - SL-T {sl_t}", z.id)
                    } else {
                        format!("{} - out of scope", z.id)
                    };
                    Label {
                        size,
                        name,
                        id: wrap(Font::Regular, ID_SIZE, &detail, box_w - 8.0),
                    }
                })
                .collect()
        })
        .collect();
    let row_h: Vec<f64> = labels
        .iter()
        .map(|r| r.iter().map(Label::height).fold(34.0, f64::max))
        .collect();
    let row_gap = 34.0;
    let total: f64 = row_h.iter().sum::<f64>() + row_gap * rows.len().saturating_sub(1) as f64 + 20.0;
    // A diagram taller than a page is drawn scaled down to fit one.
    let scale = (CONTENT_H / total).min(1.0);
    let top = l.block(total * scale);
    if scale < 1.0 {
        let (tx, ty) = (MARGIN_X * (1.0 - scale), top * (1.0 - scale));
        l.raw(&format!(
            "q {} 0 0 {} {} {} cm",
            num(scale),
            num(scale),
            num(tx),
            num(ty)
        ));
    }
    let mut centres: Vec<(&str, f64, f64, f64)> = Vec::new();
    let mut placed = Vec::new();
    let mut y = top;
    for (r, (level, first, row)) in rows.iter().enumerate() {
        let h = row_h[r];
        let row_w = row.len() as f64 * box_w + row.len().saturating_sub(1) as f64 * gap;
        let x0 = MARGIN_X + 30.0 + (area - row_w) / 2.0;
        if let Some(level) = level.filter(|_| *first) {
            let label = format!("L{}", f64::from(level) / 10.0);
            l.text_at(
                MARGIN_X,
                y - h / 2.0 - 3.0,
                Font::Regular,
                8.0,
                GREY,
                label.as_bytes(),
            );
        }
        for (i, z) in row.iter().enumerate() {
            let x = x0 + i as f64 * (box_w + gap);
            centres.push((z.id.as_str(), x + box_w / 2.0, y - h / 2.0, h / 2.0));
            placed.push((x, y - h, h, *z, &labels[r][i]));
        }
        y -= h + row_gap;
    }
    let find = |id: &str| centres.iter().find(|c| c.0 == id).map(|c| (c.1, c.2, c.3));
    let mut tags = Vec::new();
    for w in conduits {
        let id = &w.id;
        let (Some(a), Some(b)) = (find(&w.zones[0]), find(&w.zones[1])) else {
            continue;
        };
        let colour = if w.ok { WIRE } else { BAD };
        if w.ok {
            l.line((a.0, a.1), (b.0, b.1), 1.6, colour);
        } else {
            l.raw("q [4 3] 0 d");
            l.line((a.0, a.1), (b.0, b.1), 1.6, colour);
            l.raw("Q");
        }
        // One-way: an arrow head where the line meets the receiving box.
        let head = match w.flow {
            crate::svg::Flow::Both => None,
            crate::svg::Flow::Forward => Some((a, b)),
            crate::svg::Flow::Reverse => Some((b, a)),
        };
        if let Some((from, to)) = head {
            arrow(l, (from.0, from.1), (to.0, to.1), (box_w / 2.0, to.2), colour);
        }
        // Between two boxes of one row the label goes under the row, clear of both boxes.
        let y = if (a.1 - b.1).abs() < 0.5 {
            a.1 - a.2.max(b.2) - 10.0
        } else {
            (a.1 + b.1) / 2.0
        };
        tags.push((id, w.ok, ((a.0 + b.0) / 2.0, y)));
    }
    for (x, y, h, z, label) in placed {
        let (fill, stroke) = match (z.in_scope, z.ok) {
            (false, _) => ((0.95, 0.95, 0.96), GREY),
            (true, true) => ((0.92, 0.98, 0.93), OK),
            (true, false) => ((1.0, 0.96, 0.96), BAD),
        };
        l.rect(x, y, box_w, h, Some(fill), Some(stroke));
        // The label is centred vertically in the box.
        let mut ty = y + (h + label.height() - 14.0) / 2.0 + 7.0 - label.size;
        for (font, size, colour, line) in label
            .name
            .iter()
            .map(|n| (Font::Bold, label.size, INK, n))
            .chain(label.id.iter().map(|i| (Font::Regular, ID_SIZE, GREY, i)))
        {
            let w = font.width(line, size);
            l.text_at(x + (box_w - w) / 2.0, ty, font, size, colour, line);
            ty -= size * 1.2;
        }
    }
    for (id, ok, (cx, cy)) in tags {
        let text = encode(id);
        let w = Font::Regular.width(&text, 7.0);
        l.rect(cx - w / 2.0 - 2.0, cy - 3.0, w + 4.0, 10.0, Some(NEUTRAL), None);
        l.text_at(
            cx - w / 2.0,
            cy,
            Font::Regular,
            7.0,
            if ok { WIRE } else { BAD },
            &text,
        );
    }
    if scale < 1.0 {
        l.raw("Q");
    }
}
