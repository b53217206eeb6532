//! Entry points shared by the fuzz targets (`fuzz/`) and the corpus regression test, so the code the
//! fuzzer explores is exactly the code CI replays. Each function must return normally for any input.

use std::sync::OnceLock;

use crate::{Catalog, Sources, overlay};

fn bundled() -> Option<&'static Catalog> {
    static CATALOG: OnceLock<Option<Catalog>> = OnceLock::new();
    CATALOG.get_or_init(|| Catalog::bundled().ok()).as_ref()
}

/// The licensed-text overlay parser. The first byte picks the format; the rest is the file.
pub fn overlay(data: &[u8]) {
    let Some((first, rest)) = data.split_first() else {
        return;
    };
    let Some(catalog) = bundled() else { return };
    let text = String::from_utf8_lossy(rest);
    let format = if first % 2 == 0 {
        overlay::Format::Csv
    } else {
        overlay::Format::Json
    };
    if let Ok(o) = overlay::parse(&text, format, catalog) {
        // What parses must store and read back unchanged.
        let stored = o.to_store_json();
        assert_eq!(overlay::Overlay::from_store_json(&stored).ok().as_ref(), Some(&o));
    }
    let _ = overlay::Overlay::from_store_json(&text);
}

/// The catalog loader and validator. The first byte picks which bundled file the rest replaces.
pub fn catalog_files(data: &[u8]) {
    let Some((first, rest)) = data.split_first() else {
        return;
    };
    let mut sources = Sources::bundled();
    let names: Vec<String> = sources.names().map(str::to_owned).collect();
    let name = &names[usize::from(*first) % names.len()];
    sources.insert(name.clone(), String::from_utf8_lossy(rest).into_owned());
    if let Ok(c) = Catalog::load(&sources) {
        // A catalog that validates answers every query without panicking.
        let _ = c.stats();
        for r in c.rows() {
            let _ = c.find(r.id.as_str());
        }
    }
}

/// The text parsers of the core types and of requirement ids.
pub fn core_text(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let _ = text.parse::<levee_core::Fr>();
    let _ = text.parse::<levee_core::SecurityLevel>();
    let _ = text.parse::<levee_core::SlVector>();
    let _ = text.parse::<levee_core::Part>();
    let _ = text.parse::<levee_core::ComponentType>();
    let id = crate::RequirementId::new(&text);
    let _ = (id.prefix(), id.number(), id.enhancement_base(), id.key());
    if let Some(c) = bundled() {
        let _ = c.find(&text);
        let _ = c.suggest(&text, 3);
    }
}
