//! Opening the advisory data a scan matches against: the store (at `--db`, or the user's data
//! directory) or, when there is none, the subset bundled with this build, which every output then
//! calls partial.

use std::path::{Path, PathBuf};

use levee_advisory::alias::AliasGraph;
use levee_sbom::Sbom;
use levee_vuln::prefilter::Wanted;
use levee_vuln::vendor::VendorAliases;
use levee_vuln::{Index, Snapshot};
use levee_vulndb::{DataSource, StoreInfo};

use crate::error::{EngineError, ErrorKind};
use crate::input::{MAX_ALIAS_BYTES, read_text};

/// The command a user runs to replace the bundled subset with the full public data.
pub const FULL_DATA_COMMAND: &str = "levee db update";

/// Where to find the advisory data.
#[derive(Debug, Clone, Default)]
pub struct DataRequest {
    /// An explicit store directory (`--db`): it must hold a store.
    pub db: Option<PathBuf>,
    /// The user's data directory, whose `db` is used when it holds a store (else the bundled data).
    pub data_dir: Option<PathBuf>,
    /// More vendor aliases (TOML, the shape of the bundled table).
    pub vendor_aliases: Option<PathBuf>,
}

/// What advisory data a result rests on, named in every output (the wire type of the reports).
pub use levee_report::wire::AdvisoryData as DataProvenance;

/// The provenance of a snapshot, from what the store reports about itself.
pub fn provenance(info: &StoreInfo) -> DataProvenance {
    let partial = info.source != DataSource::Store;
    let mut data = DataProvenance {
        snapshot: info.id.clone(),
        source: if partial { "bundled" } else { "store" }.to_owned(),
        partial,
        kev_version: info.kev_version.clone(),
        epss_date: info.epss_date.clone(),
        coverage: info
            .formats
            .iter()
            .map(|(format, c)| levee_report::wire::Coverage {
                format: format.clone(),
                files: c.files,
                records: c.records,
            })
            .collect(),
        notice: None,
    };
    if partial {
        data.notice = Some(format!(
            "the advisory data is partial: only the subset bundled with this build ({}{}), so findings \
             may be missing; run `{FULL_DATA_COMMAND}` (or `levee db import DIR...` with the CISA CSAF, KEV \
             and EPSS files) to scan against the full data",
            data.coverage_text(),
            data.kev_version
                .as_deref()
                .map(|v| format!(", KEV {v}"))
                .unwrap_or_default()
        ));
    }
    data
}

/// The advisory snapshot with the vendor alias table, ready to build a match [`Index`].
#[derive(Debug)]
pub struct AdvisoryData {
    /// The snapshot.
    pub snapshot: Snapshot,
    /// The alias graph of the whole data when `snapshot` holds only the advisories one SBOM can
    /// match ([`AdvisoryData::open_for_sbom`]); `None` when it holds every advisory.
    pub graph: Option<AliasGraph>,
    /// The vendor alias table: the bundled one plus the user's.
    pub aliases: VendorAliases,
    /// What it is.
    pub provenance: DataProvenance,
    /// The store directory, for store data.
    pub store: Option<PathBuf>,
}

impl AdvisoryData {
    /// Opens the data [`DataRequest`] names. An explicit `db` without a store is an error (never
    /// a silent fall-back to the bundled subset); without one, the data directory's store is used
    /// when it exists, else the bundled snapshot.
    pub fn open(request: &DataRequest) -> Result<AdvisoryData, EngineError> {
        let aliases = vendor_aliases(request.vendor_aliases.as_deref())?;
        let dir = resolve_dir(request)?;
        let (snapshot, info) =
            levee_vulndb::open(dir.as_deref()).map_err(|e| store_error(&e, dir.as_deref()))?;
        let store = (info.source == DataSource::Store)
            .then(|| info.db_dir.clone())
            .flatten();
        Ok(AdvisoryData {
            snapshot,
            graph: None,
            aliases,
            provenance: provenance(&info),
            store,
        })
    }

    /// [`AdvisoryData::open`] for scanning one SBOM: only the advisories its components can match
    /// are decoded (`levee_vulndb::open_for`), with the alias graph of the whole data, so the
    /// findings are those [`AdvisoryData::open`] gives, at a fraction of the cost. The data is
    /// for this SBOM only: scan another with data opened for it.
    pub fn open_for_sbom(request: &DataRequest, sbom: &Sbom) -> Result<AdvisoryData, EngineError> {
        let (aliases, dir, begun) = Self::begin_for_sbom(request)?;
        Self::finish_for_sbom(aliases, dir, begun, sbom)
    }

    /// Reads an SBOM with `load` (on a thread of its own) while the advisory data's header is
    /// read, then [`AdvisoryData::open_for_sbom`] for it: the same result, with the two reads
    /// overlapped. An error of `load` comes first, as if the SBOM had been read before; the SBOM
    /// comes back with the open's result, so a caller can report its reader warnings before an
    /// error of the advisory data.
    pub fn load_and_open_for_sbom(
        request: &DataRequest,
        load: impl FnOnce() -> Result<crate::SbomScan, EngineError> + Send,
    ) -> Result<(crate::SbomScan, Result<AdvisoryData, EngineError>), EngineError> {
        let (scan, begun) = std::thread::scope(|scope| {
            let scan = scope.spawn(load);
            let begun = Self::begin_for_sbom(request);
            (
                scan.join().unwrap_or_else(|e| std::panic::resume_unwind(e)),
                begun,
            )
        });
        let scan = scan?;
        let data =
            begun.and_then(|(aliases, dir, begun)| Self::finish_for_sbom(aliases, dir, begun, &scan.sbom));
        Ok((scan, data))
    }

    /// The half of [`AdvisoryData::open_for_sbom`] that needs no SBOM: the vendor aliases, the
    /// store directory and its header.
    fn begin_for_sbom(
        request: &DataRequest,
    ) -> Result<(VendorAliases, Option<PathBuf>, levee_vulndb::ScanOpen), EngineError> {
        let aliases = vendor_aliases(request.vendor_aliases.as_deref())?;
        let dir = resolve_dir(request)?;
        let begun =
            levee_vulndb::ScanOpen::begin(dir.as_deref()).map_err(|e| store_error(&e, dir.as_deref()))?;
        Ok((aliases, dir, begun))
    }

    fn finish_for_sbom(
        aliases: VendorAliases,
        dir: Option<PathBuf>,
        begun: levee_vulndb::ScanOpen,
        sbom: &Sbom,
    ) -> Result<AdvisoryData, EngineError> {
        let mut wanted = Wanted::of(sbom, &aliases);
        let data = begun
            .finish(&mut |keys| wanted.wants(keys))
            .map_err(|e| store_error(&e, dir.as_deref()))?;
        let store = (data.info.source == DataSource::Store)
            .then(|| data.info.db_dir.clone())
            .flatten();
        Ok(AdvisoryData {
            snapshot: data.snapshot,
            graph: data.graph,
            aliases,
            provenance: provenance(&data.info),
            store,
        })
    }

    /// The store's data again when `levee db import` or `db update` changed the store since it was
    /// opened (its snapshot id differs), keeping the vendor aliases; `None` when unchanged or not
    /// store data. A long-running server calls it to notice an update made beside it.
    pub fn reopen_if_changed(&self) -> Result<Option<AdvisoryData>, EngineError> {
        let Some(dir) = &self.store else {
            return Ok(None);
        };
        let info = levee_vulndb::info(Some(dir)).map_err(|e| store_error(&e, Some(dir)))?;
        if info.id == self.provenance.snapshot {
            return Ok(None);
        }
        let (snapshot, info) = levee_vulndb::open(Some(dir)).map_err(|e| store_error(&e, Some(dir)))?;
        Ok(Some(AdvisoryData {
            snapshot,
            graph: None,
            aliases: self.aliases.clone(),
            provenance: provenance(&info),
            store: self.store.clone(),
        }))
    }

    /// The match index over the snapshot.
    pub fn index(&self) -> Index<'_> {
        match &self.graph {
            Some(graph) => Index::build_with_graph(&self.snapshot, &self.aliases, graph),
            None => Index::build(&self.snapshot, &self.aliases),
        }
    }
}

/// The bundled vendor alias table, extended by the user's file.
pub fn vendor_aliases(extra: Option<&Path>) -> Result<VendorAliases, EngineError> {
    let mut aliases = VendorAliases::bundled()
        .map_err(|e| EngineError::new(ErrorKind::Invalid, format!("the bundled vendor alias table: {e}")))?;
    if let Some(path) = extra {
        let text = read_text(path, MAX_ALIAS_BYTES, "vendor alias table")?;
        aliases
            .extend_from_toml(&text, &path.display().to_string())
            .map_err(|e| {
                EngineError::new(ErrorKind::Invalid, e)
                    .hint("the file has the shape of the bundled table (docs/vulnerabilities.md)")
            })?;
    }
    Ok(aliases)
}

/// The store directory a request names: an explicit `db` must hold a store; else the data
/// directory's `db` (which may hold none: then the bundled data is used).
fn resolve_dir(request: &DataRequest) -> Result<Option<PathBuf>, EngineError> {
    Ok(match &request.db {
        Some(db) => {
            require_store(db)?;
            Some(db.clone())
        }
        None => request.data_dir.as_ref().map(|d| d.join("db")),
    })
}

/// An explicit store directory must exist and hold a store.
fn require_store(db: &Path) -> Result<(), EngineError> {
    // The file's preamble alone: the open that follows checks the header and every chunk it reads.
    if levee_vulndb::has_store(db).map_err(|e| store_error(&e, Some(db)))? {
        return Ok(());
    }
    Err(EngineError::new(ErrorKind::Store, "no advisory store here")
        .at(db)
        .hint(format!(
            "create it with `levee db import PATH... --db {0}` or `levee db update --db {0}`, or leave out \
             --db to use the default store (or the bundled subset)",
            db.display()
        )))
}

/// A store error for the user, with what to do about it.
pub fn store_error(e: &levee_vulndb::StoreError, dir: Option<&Path>) -> EngineError {
    use levee_vulndb::ErrorKind as K;
    let err = EngineError::new(ErrorKind::Store, format!("{e} [{}]", e.code()));
    let err = match e.kind {
        K::Syntax | K::Schema | K::Encoding | K::UnknownFormat => err.hint(
            "fix or remove the file, or pass --skip-invalid to import the rest; the store is unchanged",
        ),
        K::Integrity => err.hint(
            "the file does not match its published digest or OpenPGP signature, or the signature is \
             not by a --csaf-key key; the store is unchanged",
        ),
        K::Corrupt | K::Version => {
            err.hint("rebuild the store with `levee db import PATH...` or `levee db update`")
        }
        K::Http | K::Feed => {
            err.hint("check the URL and the network and run the update again; the store is unchanged")
        }
        K::Limit => err.hint("docs/advisory-store.md lists the limits; the store is unchanged"),
        _ => err,
    };
    match (e.path.as_ref(), dir) {
        (None, Some(d)) => EngineError {
            path: Some(d.to_path_buf()),
            ..err
        },
        _ => err,
    }
}
