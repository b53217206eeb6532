//! `report.html`: one self-contained page (inline CSS and SVG, no script, no outside resource).
//!
//! Sections: summary, zone and conduit diagram, SL-T vs SL-A radar per zone, FR × zone gap heat map,
//! the 3-2 workflow and risk, the requirements specification, gaps, conduits, components, the
//! remediation plan, maturity, findings, review and the evidence list with links.

use std::collections::BTreeSet;
use std::fmt::Write;

use super::contents::{inline_code, with_contents};
use super::wire::{GapWire, Report, Row};
use crate::html::escape;
use crate::svg::{DiagramConduit, DiagramZone, Flow, radar, zone_diagram};

const CSS: &str = "
body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;color:#1d2330;margin:0;background:#f6f7f9}
main{max-width:1180px;margin:0 auto;padding:24px}
h1{font-size:24px;margin:0 0 4px}h2{font-size:19px;margin:32px 0 10px;border-bottom:2px solid #dde1e8;padding-bottom:4px}
h3{font-size:16px;margin:18px 0 6px}.meta{color:#5c6370}
.cards{display:flex;gap:12px;flex-wrap:wrap;margin:14px 0}
.card{background:#fff;border:1px solid #dde1e8;border-radius:8px;padding:10px 14px;min-width:140px}
.card b{display:block;font-size:22px}
table{border-collapse:collapse;background:#fff;margin:8px 0 16px;width:100%}
th,td{border:1px solid #dde1e8;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#eef1f5}
.ok{color:#2b8a3e;font-weight:600}.bad{color:#c92a2a;font-weight:600}
.radars{display:flex;flex-wrap:wrap;gap:12px}
.radars figure{background:#fff;border:1px solid #dde1e8;border-radius:8px;margin:0;padding:8px}
figcaption{text-align:center;font-weight:600}
.heat td.g0{background:#d3f9d8}.heat td.g1{background:#fff3bf}.heat td.g2{background:#ffd8a8}.heat td.g3{background:#ffa8a8}
.heat td{text-align:center}.legend span{display:inline-block;padding:2px 8px;margin-right:6px;border-radius:4px}
.diagram{background:#fff;border:1px solid #dde1e8;border-radius:8px;overflow-x:auto;padding:8px}
code{background:#eef1f5;padding:0 3px;border-radius:3px}
details{background:#fff;border:1px solid #dde1e8;border-radius:6px;padding:6px 10px;margin:6px 0}
nav#contents{background:#fff;border:1px solid #dde1e8;border-radius:8px;padding:4px 16px;margin:14px 0}
nav#contents h2{font-size:16px;border:0;margin:8px 0 4px}nav#contents ol{margin:4px 0;padding-left:22px}
nav#contents ol ol{columns:2;font-size:13px}
.legend span{border:1px solid transparent}
@media print{
body{background:#fff;font-size:10.5pt}main{max-width:none;padding:0}
a{color:inherit;text-decoration:none}
nav#contents{break-after:page;border:0}
h2,h3{break-after:avoid}tr,figure,.card{break-inside:avoid}
thead{display:table-header-group}
.diagram{overflow:visible;border:0}.diagram svg{max-width:100%;height:auto}
details{border:0;padding:0}details::details-content{content-visibility:visible;display:block}
.cards{gap:6px}.card{padding:4px 8px}
th{background:#eef1f5 !important;-webkit-print-color-adjust:exact;print-color-adjust:exact}
.heat td{-webkit-print-color-adjust:exact;print-color-adjust:exact}
}
";

fn v(sl: &[u8; 7]) -> String {
    sl.iter().map(ToString::to_string).collect::<Vec<_>>().join(",")
}

fn status(ok: bool) -> &'static str {
    if ok {
        r#"<span class="ok">yes</span>"#
    } else {
        r#"<span class="bad">no</span>"#
    }
}

fn gap_table(out: &mut String, gaps: &[GapWire]) {
    if gaps.is_empty() {
        out.push_str("<p class=\"ok\">No gaps.</p>");
        return;
    }
    out.push_str("<table class=\"gaps\"><tr><th>requirement</th><th>title</th><th>FR</th><th>from SL</th><th>status</th><th>effort</th></tr>");
    for g in gaps {
        let _ = write!(
            out,
            "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&g.requirement),
            escape(&g.title),
            g.fr,
            g.level,
            escape(&g.status),
            g.effort
        );
    }
    out.push_str("</table>");
}

fn evidence_cell(row: &Row, base: &str) -> String {
    let mut parts = Vec::new();
    for e in &row.evidence {
        match e.kind.as_str() {
            "file" => parts.push(format!(
                r#"<a class="evidence" href="{}{}">{}</a>"#,
                escape(base),
                escape(&e.value),
                escape(&e.value)
            )),
            "url" => parts.push(format!(
                r#"<a class="evidence" href="{0}">{0}</a>"#,
                escape(&e.value)
            )),
            _ => parts.push(escape(&e.value)),
        }
    }
    parts.join("<br>")
}

/// Renders the HTML report. `evidence_base` is prepended to evidence file paths so links resolve
/// from the report's directory to the project's (e.g. `../examples/water-treatment/`).
pub fn render(r: &Report, evidence_base: &str) -> String {
    let mut o = String::with_capacity(64 * 1024);
    let title = format!("{}: IEC 62443 assessment", r.project.name);
    let _ = write!(
        o,
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\
         <title>{}</title><style>{CSS}</style></head><body><main>",
        escape(&title)
    );
    let _ = write!(
        o,
        "<h1>{}</h1><p class=\"meta\">{} project · catalog release {} · report date {} · levee {}</p>",
        escape(&title),
        escape(&r.project.kind),
        escape(&r.catalog_release),
        escape(r.date.as_deref().unwrap_or("not given")),
        escape(&r.generator.version)
    );
    if let Some(d) = &r.project.description {
        let _ = write!(o, "<p>{}</p>", escape(d));
    }
    let s = &r.summary;
    super::register::html_document(&mut o, r);
    let _ = write!(o, "<section id=\"summary\"><h2>Summary</h2><div class=\"cards\">");
    let card = |o: &mut String, label: &str, value: String| {
        let _ = write!(
            o,
            "<div class=\"card\"><b>{}</b>{}</div>",
            escape(&value),
            escape(label)
        );
    };
    if s.zones > 0 {
        card(
            &mut o,
            "zones meet SL-T",
            format!("{}/{}", s.zones_meeting_target, s.zones),
        );
        card(
            &mut o,
            "conduits meet SL-T",
            format!("{}/{}", s.conduits_meeting_target, s.conduits),
        );
    }
    if s.components > 0 {
        card(
            &mut o,
            "components meet SL-C target",
            format!("{}/{}", s.components_meeting_target, s.components),
        );
    }
    card(&mut o, "gaps", s.gaps.to_string());
    card(
        &mut o,
        "scenarios above tolerable",
        format!("{}/{}", s.scenarios_above_tolerable, s.scenarios),
    );
    card(&mut o, "active findings", s.active_findings.to_string());
    o.push_str("</div>");
    if !s.lines.is_empty() {
        o.push_str("<table id=\"summary-table\"><tr><th>zone</th><th>name</th><th>SL-T</th><th>SL-A</th><th>gaps</th><th>meets SL-T</th><th>initial risk</th><th>residual risk</th></tr>");
        for l in &s.lines {
            let _ = write!(
                o,
                "<tr data-zone=\"{}\"><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape(&l.id),
                escape(&l.id),
                escape(&l.name),
                v(&l.sl_t),
                v(&l.sl_a),
                l.gaps,
                if l.in_scope {
                    status(l.meets_target)
                } else {
                    "out of scope"
                },
                l.initial_risk,
                l.residual_risk
            );
        }
        o.push_str("</table>");
    }
    o.push_str("</section>");

    if !r.zones.is_empty() {
        let zones: Vec<DiagramZone> = r
            .zones
            .iter()
            .map(|z| DiagramZone {
                id: z.id.clone(),
                name: z.name.clone(),
                purdue_level: z.purdue_level,
                meets_target: z.meets_target,
                in_scope: z.in_scope,
                sl_t: Some(z.sl_t),
                assets: z.assets.len(),
            })
            .collect();
        let conduits: Vec<DiagramConduit> = r
            .conduits
            .iter()
            .map(|c| DiagramConduit {
                id: c.id.clone(),
                zones: c.zones.clone(),
                meets_target: c.in_scope.then_some(c.meets_target),
                flow: Flow::from_direction(&c.direction),
            })
            .collect();
        let _ = write!(
            o,
            "<section id=\"diagram\"><h2>Zones and conduits</h2><p class=\"legend\"><span style=\"border:2px solid #2b8a3e;background:#ebfbee\">zone meets SL-T</span><span style=\"border:2px solid #c92a2a;background:#fff5f5\">zone below SL-T</span><span style=\"border:2px dashed #868e96;background:#f1f3f5\">out of scope</span><span style=\"color:#1c7ed6\">━ conduit meets SL-T</span><span style=\"color:#c92a2a\">╍ conduit below SL-T</span><span>▶ one-way flow</span> Rows are Purdue levels; each box shows the zone's SL-T per FR 1–7.</p><div class=\"diagram\">{}</div></section>",
            zone_diagram(&zones, &conduits)
        );
        o.push_str("<section id=\"radar\"><h2>Target vs achieved security level</h2><p>Dashed red: SL-T. Green: SL-A.</p><div class=\"radars\">");
        for z in &r.zones {
            let _ = write!(
                o,
                "<figure>{}<figcaption>{}</figcaption></figure>",
                radar(&format!("radar-{}", z.id), &z.name, z.sl_t, z.sl_a),
                escape(&z.name)
            );
        }
        o.push_str("</div></section>");
        heat_map(&mut o, r);
        workflow_and_risk(&mut o, r);
        o.push_str("<section id=\"zones\"><h2>Zones</h2>");
        for z in &r.zones {
            let _ = write!(
                o,
                "<h3 id=\"zone-{}\">{} <code>{}</code></h3><p>SL-T {} (derived {}; {}), SL-A {}: {}. {} of {} required rows met.</p>",
                escape(&z.id),
                escape(&z.name),
                escape(&z.id),
                v(&z.sl_t),
                v(&z.sl_t_derived),
                escape(&z.sl_t_basis),
                v(&z.sl_a),
                if z.in_scope {
                    status(z.meets_target)
                } else {
                    "out of scope"
                },
                z.met,
                z.required
            );
            if !z.in_scope {
                o.push_str("<p class=\"meta\"><b>Out of scope</b> (<code>in_scope = false</code>): drawn, not assessed; no rows, no gaps.</p>");
            }
            if let Some(j) = &z.sl_t_override {
                let _ = write!(o, "<p><b>SL-T override:</b> {}</p>", escape(j));
            }
            gap_table(&mut o, &z.gaps);
            rows_details(&mut o, &z.rows, evidence_base);
        }
        o.push_str("</section>");
        if !r.conduits.is_empty() {
            o.push_str("<section id=\"conduits\"><h2>Conduits</h2><table><tr><th>conduit</th><th>zones</th><th>untrusted network</th><th>SL-T/SL-A per FR</th><th>gaps</th><th>meets</th></tr>");
            for c in &r.conduits {
                let _ = write!(
                    o,
                    "<tr><td><code>{}</code> {}</td><td>{} ↔ {}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                    escape(&c.id),
                    escape(&c.name),
                    escape(&c.zones[0]),
                    escape(&c.zones[1]),
                    if c.untrusted { "yes" } else { "no" },
                    escape(&c.levels()),
                    c.gaps.len(),
                    if c.in_scope {
                        status(c.meets_target)
                    } else {
                        "out of scope"
                    }
                );
            }
            o.push_str("</table></section>");
        }
    }
    if !r.components.is_empty() {
        o.push_str("<section id=\"components\"><h2>Components (IEC 62443-4-2)</h2><div class=\"radars\">");
        for c in &r.components {
            let _ = write!(
                o,
                "<figure>{}<figcaption>{}</figcaption></figure>",
                radar(&format!("radar-{}", c.id), &c.name, c.sl_target, c.sl_c),
                escape(&c.name)
            );
        }
        o.push_str("</div>");
        for c in &r.components {
            let _ = write!(
                o,
                "<h3 id=\"component-{}\">{} <code>{}</code></h3><p>{}: SL-C target {}, achieved {}: {}.</p>",
                escape(&c.id),
                escape(&c.name),
                escape(&c.id),
                escape(&c.component_type),
                v(&c.sl_target),
                v(&c.sl_c),
                status(c.meets_target)
            );
            gap_table(&mut o, &c.gaps);
            constraints(&mut o, c);
            rows_details(&mut o, &c.rows, evidence_base);
        }
        o.push_str("</section>");
    }
    plan(&mut o, r);
    maturity(&mut o, r);
    findings_and_review(&mut o, r);
    evidence_list(&mut o, r, evidence_base);
    o.push_str("</main></body></html>\n");
    with_contents(o)
}

fn constraints(o: &mut String, c: &super::wire::Component) {
    if c.constraints.is_empty() {
        return;
    }
    o.push_str("<table class=\"constraints\"><caption>Common component security constraints (hold at every SL)</caption><tr><th>constraint</th><th>title</th><th>status</th><th>basis</th></tr>");
    for k in &c.constraints {
        let holds = k.holds();
        let _ = write!(
            o,
            "<tr><td><code>{}</code></td><td>{}</td><td class=\"{}\">{}</td><td>{}</td></tr>",
            escape(&k.requirement),
            escape(&k.title),
            if holds { "ok" } else { "bad" },
            escape(&k.status),
            escape(k.basis.as_deref().unwrap_or(""))
        );
    }
    o.push_str("</table>");
    if let Some(ml) = c.development_process_maturity {
        let _ = write!(
            o,
            "<p>CCSC 4 rests on this project's 4-1 assessment: overall ML{ml} (<a href=\"#maturity\">maturity</a>).</p>"
        );
    }
}

fn heat_map(o: &mut String, r: &Report) {
    o.push_str("<section id=\"heatmap\"><h2>Gap heat map (SL-T − SL-A per FR)</h2>");
    o.push_str("<p>Each cell is <b>SL-A/SL-T</b> of the FR (achieved, then target); the colour is how many levels SL-A is short. Zones out of scope are not listed.</p>");
    o.push_str("<p class=\"legend\"><span style=\"background:#d3f9d8\">met</span><span style=\"background:#fff3bf\">1 level short</span><span style=\"background:#ffd8a8\">2 short</span><span style=\"background:#ffa8a8\">3+ short</span></p>");
    o.push_str("<table class=\"heat\"><tr><th>zone</th>");
    for fr in 1..=7 {
        let _ = write!(o, "<th>FR {fr}</th>");
    }
    o.push_str("</tr>");
    for z in r.zones.iter().filter(|z| z.in_scope) {
        let _ = write!(o, "<tr><th>{}</th>", escape(&z.id));
        for i in 0..7 {
            let gap = z.sl_t[i].saturating_sub(z.sl_a[i]).min(3);
            let _ = write!(
                o,
                "<td class=\"g{gap}\" title=\"SL-A {} / SL-T {}\">{}/{}</td>",
                z.sl_a[i], z.sl_t[i], z.sl_a[i], z.sl_t[i]
            );
        }
        o.push_str("</tr>");
    }
    o.push_str("</table></section>");
}

fn workflow_and_risk(o: &mut String, r: &Report) {
    o.push_str("<section id=\"workflow\"><h2>IEC 62443-3-2 workflow</h2><table><tr><th>step</th><th>title</th><th>status</th><th>notes</th></tr>");
    for z in &r.zcr {
        let _ = write!(
            o,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&z.id),
            escape(&z.title),
            escape(&z.status),
            z.notes
                .iter()
                .map(|n| inline_code(n))
                .collect::<Vec<_>>()
                .join("<br>")
        );
    }
    o.push_str("</table></section>");
    let _ = write!(
        o,
        "<section id=\"risk\"><h2>Risk</h2><p>Matrix {} × {}; tolerable up to a score of {}.</p>",
        r.risk.likelihood_levels, r.risk.consequence_levels, r.risk.tolerable
    );
    if !r.risk.scenarios.is_empty() {
        o.push_str("<p>The risk register. Consequences are safety/environment/production/financial/reputation (0 = not rated); initial is the worst case before any countermeasure (ZCR 2).</p><table id=\"risk-register\"><tr><th>scenario</th><th>title</th><th>threat source</th><th>vector</th><th>vulnerability</th><th>consequences</th><th>initial</th><th>unmitigated</th><th>residual</th><th>tolerable</th><th>treatment</th><th>owner</th><th>countermeasures</th><th>SL asked</th></tr>");
        for s in &r.risk.scenarios {
            let c = &s.consequences;
            let _ = write!(
                o,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}/{}/{}/{}/{}</td><td>{}</td><td>{} ({})</td><td>{} ({})</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape(&s.id),
                escape(&s.title),
                escape(&s.threat_source),
                escape(&s.vector),
                escape(&s.vulnerability),
                c.safety,
                c.environment,
                c.production,
                c.financial,
                c.reputation,
                s.initial,
                s.unmitigated,
                escape(&s.unmitigated_band),
                s.residual,
                escape(&s.residual_band),
                status(s.tolerable),
                escape(&s.treatment),
                escape(s.risk_owner.as_deref().unwrap_or("—")),
                escape(
                    &[
                        s.implemented.join(", "),
                        s.planned
                            .iter()
                            .map(|p| format!("{p} (planned)"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ]
                    .iter()
                    .filter(|x| !x.is_empty())
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", ")
                ),
                v(&s.sl_vector)
            );
        }
        o.push_str("</table>");
    }
    o.push_str("</section>");
    super::register::html_registers(o, r);
    o.push_str("<section id=\"sl-t\"><h2>Target security levels (ZCR 5.6)</h2><table><tr><th>zone</th><th>SL-T</th><th>derived</th><th>basis</th><th>rows required</th><th>override justification</th></tr>");
    for z in &r.zones {
        let _ = write!(
            o,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&z.id),
            v(&z.sl_t),
            v(&z.sl_t_derived),
            escape(&z.sl_t_basis),
            z.required,
            escape(z.sl_t_override.as_deref().unwrap_or(""))
        );
    }
    o.push_str("</table></section>");
    super::crs::html(o, r);
}

fn rows_details(o: &mut String, rows: &[Row], base: &str) {
    let _ = write!(
        o,
        "<details><summary>All {} evaluated rows</summary><table><tr><th>requirement</th><th>FR</th><th>from SL</th><th>required</th><th>status</th><th>met up to</th><th>evidence / justification</th></tr>",
        rows.len()
    );
    for row in rows {
        let mut ev = evidence_cell(row, base);
        if let Some(j) = &row.justification {
            if !ev.is_empty() {
                ev.push_str("<br>");
            }
            ev.push_str(&escape(j));
        }
        let _ = write!(
            o,
            "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&row.requirement),
            row.fr,
            row.min_level,
            if row.required { "yes" } else { "" },
            escape(&row.status),
            row.met_up_to,
            ev
        );
    }
    o.push_str("</table></details>");
}

fn plan(o: &mut String, r: &Report) {
    o.push_str("<section id=\"plan\"><h2>Remediation plan</h2>");
    if r.plan.is_empty() {
        if r.summary.constraints_unmet > 0 {
            let _ = write!(
                o,
                "<p class=\"bad\">No requirement gap, but {} of the components' common constraints (CCSC) do not hold: see <a href=\"#components\">Components</a>.</p></section>",
                r.summary.constraints_unmet
            );
        } else {
            o.push_str("<p class=\"ok\">Nothing to do: every target is met.</p></section>");
        }
        return;
    }
    o.push_str("<p>Score = 0.5 × risk (residual score / matrix maximum) + 0.3 × FR gap (levels short in the FR / 4) + 0.2 × (1 − effort / 3): the less effort, the higher. Equal scores: the FR with the fewest gaps left on the target first, then the row required from the lowest SL (docs/assessment-rules.md, section 8).</p><table id=\"plan-table\"><tr><th>rank</th><th>target</th><th>requirement</th><th>title</th><th>FR</th><th>status</th><th>score</th><th>risk / FR gap / effort</th></tr>");
    for a in &r.plan {
        let _ = write!(
            o,
            "<tr><td>{}</td><td>{} <code>{}</code></td><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td>{:.3}</td><td>{:.3} / {:.3} / {:.3}</td></tr>",
            a.rank,
            escape(&a.target_kind),
            escape(&a.target),
            escape(&a.requirement),
            escape(&a.title),
            a.fr,
            escape(&a.status),
            a.score,
            a.risk_factor,
            a.fr_gap_factor,
            a.effort_factor
        );
    }
    o.push_str("</table></section>");
}

fn maturity(o: &mut String, r: &Report) {
    if let Some(overall) = r.maturity.overall {
        let _ = write!(
            o,
            "<section id=\"maturity\"><h2>Product security maturity (IEC 62443-4-1)</h2><p>Overall ML{overall} (the lowest practice).</p><table><tr><th>practice</th><th>title</th><th>ML</th><th>recorded</th></tr>"
        );
        for p in &r.maturity.practices {
            let _ = write!(
                o,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}/{}</td></tr>",
                escape(&p.code),
                escape(&p.title),
                p.level,
                p.recorded,
                p.requirements
            );
        }
        o.push_str("</table></section>");
    }
    let t = &r.program.totals;
    if t.requirements > 0 && t.missing < t.requirements {
        let _ = write!(
            o,
            "<section id=\"program\"><h2>Security program (IEC 62443-2-1:2024)</h2><p>Readiness {}.</p><table><tr><th>element</th><th>title</th><th>implemented</th><th>partial</th><th>planned</th><th>missing</th></tr>",
            t.readiness_permille
                .map_or("n/a".to_owned(), |p| format!("{:.1} %", f64::from(p) / 10.0))
        );
        for e in &r.program.elements {
            let _ = write!(
                o,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape(&e.id),
                escape(&e.title),
                e.counts.implemented + e.counts.compensating,
                e.counts.partial,
                e.counts.planned,
                e.counts.missing
            );
        }
        o.push_str("</table></section>");
    }
}

fn findings_and_review(o: &mut String, r: &Report) {
    let f = &r.findings;
    let _ = write!(
        o,
        "<section id=\"findings\"><h2>Findings</h2><p>{} findings; active: critical {}, high {}, medium {}, low {}.</p>",
        f.total, f.active.critical, f.active.high, f.active.medium, f.active.low
    );
    if let Some(d) = &f.data {
        let _ = write!(
            o,
            "<p id=\"advisory-data\">SBOMs scanned against advisory snapshot <code>{}</code> ({} data; {}).</p>",
            escape(&d.snapshot),
            escape(&d.source),
            escape(&d.coverage_text())
        );
        if let Some(n) = &d.notice {
            let _ = write!(
                o,
                "<p class=\"warning\" role=\"alert\"><strong>Warning:</strong> {}.</p>",
                escape(n)
            );
        }
    }
    if !f.items.is_empty() {
        let _ = write!(
            o,
            "<table id=\"findings-table\"><tr><th>severity</th><th>asset</th><th>zone</th><th>finding</th><th>state</th><th>confidence</th><th>evidence</th></tr>"
        );
        for x in &f.items {
            let ev: Vec<String> = x.evidence.iter().map(|e| escape(&e.locator)).collect();
            let _ = write!(
                o,
                "<tr><td>{}</td><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape(&x.severity),
                escape(&x.subject),
                escape(x.zone.as_deref().unwrap_or("")),
                escape(&x.title),
                escape(&x.state),
                escape(&x.confidence),
                ev.join("<br>")
            );
        }
        o.push_str("</table>");
    }
    o.push_str("</section>");
    catalog_assurance(o, &r.catalog);
    let rv = &r.review;
    let _ = write!(
        o,
        "<section id=\"review\"><h2>Review</h2><p>Every {} months. Last review {}; next due {}{}.</p></section>",
        rv.interval_months,
        escape(rv.last_review.as_deref().unwrap_or("not recorded")),
        escape(rv.due.as_deref().unwrap_or("unknown")),
        if rv.overdue == Some(true) {
            " <span class=\"bad\">(overdue)</span>"
        } else {
            ""
        }
    );
}

fn catalog_assurance(o: &mut String, c: &super::wire::CatalogAssuranceWire) {
    let (checked, total) = c.checked();
    let _ = write!(
        o,
        "<section id=\"catalog\"><h2>Catalog assurance</h2><p>Catalog release {}. SL flags of {checked} of {total} rows are confirmed by or consistent with public sources; the others are to be checked against a licensed copy of the standard.</p><table><tr><th>part</th><th>editions</th><th>amendments</th><th>identifiers</th></tr>",
        escape(&c.release)
    );
    for p in &c.parts {
        let _ = write!(
            o,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&p.part),
            escape(&p.editions.join(", ")),
            escape(&p.amendments.join(", ")),
            escape(&p.id_status)
        );
    }
    o.push_str("</table>");
    if c.relied_on.is_empty() {
        o.push_str("<p>No result of this assessment requires a disputed, low-confidence or unverified SL flag.</p></section>");
        return;
    }
    let _ = write!(
        o,
        "<p>{} requirements the results depend on have SL flags that are disputed, low-confidence or unverified:</p><table><tr><th>requirement</th><th>part</th><th>flags</th><th>required by</th></tr>",
        c.relied_on.len()
    );
    for f in &c.relied_on {
        let _ = write!(
            o,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&f.requirement),
            escape(&f.part),
            escape(&f.status),
            escape(&f.targets.join(", "))
        );
    }
    o.push_str("</table></section>");
}

fn evidence_list(o: &mut String, r: &Report, base: &str) {
    let mut files: BTreeSet<(String, Option<String>)> = BTreeSet::new();
    let rows = r
        .zones
        .iter()
        .flat_map(|z| &z.rows)
        .chain(r.conduits.iter().flat_map(|c| &c.rows))
        .chain(r.components.iter().flat_map(|c| &c.rows));
    for row in rows {
        for e in row.evidence.iter().filter(|e| e.kind == "file") {
            files.insert((e.value.clone(), e.sha256.clone()));
        }
    }
    o.push_str("<section id=\"evidence\"><h2>Evidence</h2>");
    if files.is_empty() {
        o.push_str("<p>No evidence files referenced.</p></section>");
        return;
    }
    o.push_str("<table><tr><th>file</th><th>SHA-256 (as recorded)</th></tr>");
    for (path, sha) in files {
        let _ = write!(
            o,
            "<tr><td><a class=\"evidence\" href=\"{}{}\">{}</a></td><td><code>{}</code></td></tr>",
            escape(base),
            escape(&path),
            escape(&path),
            escape(sha.as_deref().unwrap_or("not recorded"))
        );
    }
    o.push_str("</table></section>");
}
