//! The command line: every subcommand, flag and example `--help` shows.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use levee_catalog::Catalog;
use levee_core::{ComponentType, Fr, Part};

/// The text `levee --version` prints: the tool version and the catalog editions it carries.
pub fn version_text(catalog: &Catalog) -> String {
    let parts: Vec<String> = catalog
        .parts()
        .iter()
        .map(|p| {
            let amend = if p.amendments.is_empty() {
                String::new()
            } else {
                format!("+{}", p.amendments.join("+"))
            };
            format!("62443-{}:{}{amend}", p.part, p.editions.join("/"))
        })
        .collect();
    format!(
        "{}\ncatalog {} ({})",
        env!("CARGO_PKG_VERSION"),
        catalog.release(),
        parts.join(", ")
    )
}

const ABOUT: &str = "IEC 62443 compliance as code for industrial control systems";

const LONG_ABOUT: &str = "\
IEC 62443 compliance as code for industrial control systems.

A project is a directory of TOML files: zones, conduits and assets, the 62443-3-2 risk register,
responses to 3-3/4-2 requirements with evidence, 4-1 maturity. `levee assess` derives SL-T from
risk, computes SL-A per zone and FR, ranks the gaps, scans the SBOMs assets reference, and writes
report.json, report.md, report.html, report.pdf, report.xlsx and report.oscal.json. `levee scan sbom` matches an SBOM against ICS advisories
(CSAF), OSV, NVD, KEV and EPSS, identity first.

Levee carries the IEC 62443 catalog (parts 2-1, 3-2, 3-3, 4-1, 4-2) as verified data: identifiers,
short titles, SL flags and the evidence behind each flag. It ships no normative text; load your
own licensed copy with `levee catalog import-text`. It uses the network only for `levee db update`.

Exit codes: 0 ok, 1 findings or a failed policy, 2 a usage or input error, 3 a partial result
(`firmware scan`: a layer could not be unpacked).";

const AFTER_HELP: &str = "\
Examples:
  levee init plant --template asset-owner              start a project
  levee validate plant                                 every problem with file:line:col
  levee assess plant --out plant/report                risk, SL-T, SL-A, gaps, plan, reports
  levee scan sbom plc.cdx.json --format json           vulnerabilities of one SBOM
  levee observe plant.pcapng --project plant           assets, risky operations, zone violations
  levee firmware scan fw.bin --scan                    an image's components (SBOM) and their vulnerabilities
  levee db import ../shared/data/cisa-csaf ../shared/data/kev   build the advisory store
  levee catalog list --part 3-3 --sl 2                 the 61 rows a zone at SL 2 must meet
  levee catalog show \"sr 1.1 re 2\"                     one requirement, its base, FR and SL flags";

/// IEC 62443 compliance as code for industrial control systems.
#[derive(Debug, Parser)]
#[command(name = "levee", about = ABOUT, long_about = LONG_ABOUT, after_help = AFTER_HELP)]
#[command(propagate_version = true, disable_help_subcommand = true)]
pub struct Cli {
    /// Where your own data is kept: the advisory store (`db`) and the licensed-text overlay
    /// [default: $LEVEE_DATA_DIR, else $XDG_DATA_HOME/levee, else ~/.local/share/levee]
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Query the IEC 62443 requirement catalog
    #[command(subcommand)]
    Catalog(CatalogCommand),
    /// Create a new project directory from a template
    #[command(after_help = "\
Examples:
  levee init plant --template asset-owner     zones, conduits, assets, risk register, responses
  levee init lc-200 --template product        components, 4-2 responses, 4-1 maturity

Existing files are never overwritten: init stops and writes nothing if any would be.")]
    Init(InitArgs),
    /// Check a project directory and report every problem with file, line and column
    #[command(after_help = "\
Examples:
  levee validate examples/water-treatment
  levee validate plant --format json           machine-readable diagnostics

Exit code 0 when valid (warnings allowed), 2 when any error is found.")]
    Validate(ValidateArgs),
    /// Run the 62443-3-2 risk assessment and the 3-3/4-2 gap assessment; write the reports
    #[command(after_help = "\
Examples:
  levee assess examples/water-treatment --out out/water-treatment
  levee assess plant --out report --date 2026-11-28     date the report (reproducible output)
  levee assess plant --format json --fail-on gaps        CI gate: exit 1 when a target is missed

OUT receives report.json (the levee-report/1 wire format), report.md, report.html (one page, inline
SVG), report.pdf (the auditor's document, with charts), report.xlsx (requirements x targets, gaps,
plan, risk register, zones) and report.oscal.json (OSCAL 1.1.2 assessment results).

The report is dated --date, else SOURCE_DATE_EPOCH, else today (the clock); with either of
the first two, outputs are byte-identical for the same input. The files in OUT are written whole
or not at all, as one set.")]
    Assess(AssessArgs),
    /// Print the JSON Schemas of the project files and of every JSON output
    #[command(after_help = "\
Examples:
  levee schema project --out docs/schema/project   one schema per project file
  levee schema scan                                the JSON of `levee scan sbom --format json`
  levee schema report > report.schema.json         report.json of `levee assess --out`

Every JSON output has a schema: report, report-oscal, assess-summary, scan, sbom-validate,
db-import, db-update, db-info, diagnostics, catalog, catalog-show, catalog-diff, catalog-stats,
catalog-import-text, init, observe, firmware, push, pull, admin-user, admin-token, admin-tokens,
admin-revoke-token, audit-verify.")]
    Schema(SchemaArgs),
    /// Manage the local advisory database (import files, update from feeds, show the snapshot)
    #[command(
        subcommand,
        after_help = "\
Examples:
  levee db update                                  fetch CISA CSAF, KEV, EPSS and OSV, then import
  levee db import csaf_files/OT/white kev.json     build the snapshot from local files
  levee db import csaf/ --csaf-key cisa.asc        also verify every .asc against the provider's key
  levee db info                                    the snapshot in use (bundled data until then)

Digests (.sha512) and OpenPGP signatures (.asc) beside CSAF documents are always checked; without
--csaf-key a signature is only quick-checked (catches accidental damage, not who signed it); with it,
every CSAF document must be signed by one of the keys."
    )]
    Db(crate::cmd::db::DbCommand),
    /// Scan an SBOM for known vulnerabilities (ICS advisories, OSV, NVD, KEV, EPSS) and apply VEX
    #[command(
        subcommand,
        after_help = "\
Examples:
  levee scan sbom plc.cdx.json                               findings, highest priority first
  levee scan sbom plc.cdx.json --format json --out scan.json
  levee scan sbom plc.cdx.json --vex triage.openvex.json --fail-on kev
  levee scan sbom plc.cdx.json --format csaf-vex --out plc.csaf.json"
    )]
    Scan(crate::cmd::scan::ScanCommand),
    /// Check SBOM files: the schema-exact verdict a linter gives
    #[command(
        subcommand,
        after_help = "\
Examples:
  levee sbom validate plc.cdx.json                  valid, or every violation with its location
  levee sbom validate plc.cdx.json --format json"
    )]
    Sbom(crate::cmd::sbom::SbomCommand),
    /// Read packet captures: inventory the assets, decode industrial operations, check zones and conduits
    #[command(after_help = "\
Examples:
  levee observe plant.pcapng                                 assets, risky operations, protocols
  levee observe span1.pcap span2.pcap --project plant        zone and conduit violations
  levee observe plant.pcap --format json --out observe.json  levee-observe/1 (levee schema observe)
  levee observe plant.pcap --emit-model draft.toml           the observed inventory as a draft model
  levee observe plant.pcap --project plant --fail-on violations   CI gate

Protocols are identified from content; a port-only guess says `evidence: port`. Captures are
streamed: memory grows with flows and hosts, not packets. A damaged capture gives a partial result
with counts. Exit codes: 0 ok, 1 when --fail-on triggers, 2 when no capture could be read.")]
    Observe(crate::cmd::observe::ObserveArgs),
    /// Unpack firmware images safely and list their components (SBOM), optionally scanned
    #[command(
        subcommand,
        after_help = "\
Examples:
  levee firmware scan rootfs.squashfs                        unpacking tree and components
  levee firmware scan fw.bin --format cyclonedx --out fw.cdx.json
  levee firmware scan fw.bin --extract fw-tree/ --scan"
    )]
    Firmware(crate::cmd::firmware::FirmwareCommand),
    /// Run the Levee server: REST API, users, roles, audit log, on SQLite or PostgreSQL
    #[command(after_help = "\
Examples:
  levee serve                          SQLite in the data directory, on 127.0.0.1:8080
  levee serve --db postgres://levee:PASSWORD@127.0.0.1/levee --listen 127.0.0.1:9000
  levee serve --db sqlite:/srv/levee/server.db
  levee serve --push examples/water-treatment  import the example; prints a first admin token

Migrations are applied at start. TLS belongs to a reverse proxy in front (then --secure-cookies).
Stops on Ctrl-C or SIGTERM after finishing the requests under way. Logs go to standard error
(LEVEE_LOG=debug|info|warn|error).")]
    Serve(crate::cmd::server::ServeArgs),
    /// Upload a project directory to a server as a new revision (assessed there)
    #[command(after_help = "\
Examples:
  levee push examples/water-treatment --server http://127.0.0.1:8080 --token $TOKEN
  levee push plant --server http://127.0.0.1:8080 --token $TOKEN --id plant-2026

Only files the server lacks are uploaded (by SHA-256). The revision commits whole or not at all;
an invalid project is refused with every diagnostic.")]
    Push(crate::cmd::server::PushArgs),
    /// Download a project from a server into a new directory
    #[command(after_help = "\
Examples:
  levee pull water-treatment --server http://127.0.0.1:8080 --token $TOKEN --out wt
  levee assess wt --out wt/report                          assesses exactly like the pushed one")]
    Pull(crate::cmd::server::PullArgs),
    /// Manage the server's users and tokens on its database
    #[command(subcommand)]
    Admin(crate::cmd::server::AdminCommand),
    /// Check the server's audit log
    #[command(subcommand)]
    Audit(crate::cmd::server::AuditCommand),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Template {
    /// Asset owner or integrator: zones, conduits, assets, risk, 3-3 responses
    AssetOwner,
    /// Product supplier: components, 4-2 responses, 4-1 maturity
    Product,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The directory to create (may exist, but must not hold the files init writes)
    pub dir: PathBuf,
    /// Which kind of project
    #[arg(long, value_enum, default_value_t = Template::AssetOwner)]
    pub template: Template,
    /// Output format of the summary
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// The project directory
    pub dir: PathBuf,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    /// Exit 1 when any zone, conduit or component misses its target
    Gaps,
    /// Exit 1 when any threat scenario's residual risk is above the tolerable risk
    Risk,
    /// Exit 1 when the review is overdue (on --date, else SOURCE_DATE_EPOCH, else today)
    Review,
}

#[derive(Debug, Args)]
pub struct AssessArgs {
    /// The project directory
    pub dir: PathBuf,
    /// Write report.json, .md, .html, .pdf, .xlsx and .oscal.json into this directory
    #[arg(long, value_name = "OUT")]
    pub out: Option<PathBuf>,
    /// The report date, YYYY-MM-DD [default: from SOURCE_DATE_EPOCH, else today]
    #[arg(long, value_name = "DATE")]
    pub date: Option<String>,
    /// Output format of the summary on standard output
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Exit with code 1 when this condition holds (repeatable)
    #[arg(long, value_enum)]
    pub fail_on: Vec<FailOn>,
    /// Advisory store for scanning the SBOMs that assets reference [default: the store in the data
    /// directory, else the bundled snapshot]
    #[arg(long, value_name = "DIR")]
    pub db: Option<PathBuf>,
    /// A VEX document applied to every SBOM after its own statements (CycloneDX, OpenVEX or CSAF;
    /// repeatable, later ones win)
    #[arg(long, value_name = "FILE")]
    pub vex: Vec<PathBuf>,
    /// More vendor aliases (TOML, the shape of the bundled table)
    #[arg(long, value_name = "FILE")]
    pub vendor_aliases: Option<PathBuf>,
    /// Also match by vendor and a similar product name (low confidence)
    #[arg(long)]
    pub fuzzy: bool,
}

#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// Which schema: `project` (the project files, one schema per file) or a JSON output:
    /// report, report-oscal, assess-summary, scan, db-import, db-update, db-info, diagnostics, catalog, init
    #[arg(value_parser = schema_names(), value_name = "NAME")]
    pub kind: String,
    /// Write the schema files into this directory instead of printing them
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

/// How a listing is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum Format {
    /// Aligned columns
    #[default]
    Table,
    /// Stable JSON (see docs/formats/catalog-json.md)
    Json,
    /// CSV with a header row
    Csv,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// NIST OSCAL 1.1 catalog (JSON)
    Oscal,
    /// Every row in the stable JSON wire format
    Json,
    /// Every row as CSV
    Csv,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OverlayFormat {
    /// `id,text` with a header row
    Csv,
    /// `{"SR 1.1": "…"}` or `[{"id": "SR 1.1", "text": "…"}]`
    Json,
}

#[derive(Debug, Args)]
pub struct FormatArg {
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Debug, Subcommand)]
pub enum CatalogCommand {
    /// List requirements, filtered by part, FR, SL and component type
    #[command(after_help = "\
Examples:
  levee catalog list --part 3-3 --sl 1 --format json    the 36 rows required at SL 1
  levee catalog list --part 4-2 --component-type embedded-device --sl 2
  levee catalog list --part 4-1                         the 47 SDL requirements
  levee catalog list --part 3-2                         the 7 ZCRs and 32 sub-requirements
  levee catalog list --fr 5 --format csv                FR 5 rows of 3-3 and 4-2

--sl N selects the rows required at SL N in their FR: base requirements and enhancements together.")]
    List(ListArgs),
    /// Show one requirement: title, FR, SL flags, base, enhancements, verification, your licensed text
    #[command(after_help = "\
Examples:
  levee catalog show \"SR 1.1 RE 2\"
  levee catalog show \"sr 1.1 re 2\"      ids match case- and space-insensitively
  levee catalog show edr3.10 --format json")]
    Show(ShowArgs),
    /// What a step from one SL to another adds (or removes), per FR
    #[command(after_help = "\
Examples:
  levee catalog diff --part 3-3 --from-sl 1 --to-sl 2
  levee catalog diff --part 4-2 --component-type network-device --from-sl 2 --to-sl 3 --format json")]
    Diff(DiffArgs),
    /// Totals per part, per FR and per SL, and how well the SL flags are verified
    Stats(FormatArg),
    /// Export the catalog, e.g. as a NIST OSCAL 1.1 catalog
    #[command(after_help = "\
Examples:
  levee catalog export --format oscal > iec62443.oscal.json
  levee catalog export --format oscal --part 3-3 --out sr.oscal.json")]
    Export(ExportArgs),
    /// Import your own licensed requirement text (CSV or JSON, id → text) into your data directory
    #[command(after_help = "\
Levee never ships normative text. If you own the standards, import your wording and `catalog show`
prints it beside our short title. The file is checked whole before anything is stored: an unknown id,
an empty text or a duplicate stops the import with the line and column.

Examples:
  levee catalog import-text my-62443-3-3.csv      # header: id,text
  levee catalog import-text my-62443.json         # {\"SR 1.1\": \"…\", \"SR 1.1 RE 1\": \"…\"}")]
    ImportText(ImportTextArgs),
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only this part: 2-1, 3-2, 3-3, 4-1 or 4-2
    #[arg(long, value_parser = parse_part)]
    pub part: Option<Part>,
    /// Only this foundational requirement: 1-7 or IAC, UC, SI, DC, RDF, TRE, RA (3-3 and 4-2)
    #[arg(long, value_parser = parse_fr)]
    pub fr: Option<Fr>,
    /// Only rows required at this security level, 1-4 (3-3 and 4-2)
    #[arg(long, value_parser = clap::value_parser!(u8).range(1..=4))]
    pub sl: Option<u8>,
    /// Only 4-2 rows for this component type (the common CRs plus the type's own)
    #[arg(long, value_parser = parse_component_type, value_name = "TYPE")]
    pub component_type: Option<ComponentType>,
    /// Only rows of this edition, e.g. 2010 for 2-1 Ed.1
    #[arg(long)]
    pub edition: Option<String>,
    #[command(flatten)]
    pub format: FormatArg,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The requirement id, e.g. "SR 1.1 RE 2", "CR 3.1", "SM-1", "ZCR 3.2"
    pub id: String,
    #[command(flatten)]
    pub format: FormatArg,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The part: 3-3 or 4-2
    #[arg(long, value_parser = parse_part)]
    pub part: Part,
    /// The level stepped from, 0-4 (0: no requirement)
    #[arg(long, value_parser = clap::value_parser!(u8).range(0..=4))]
    pub from_sl: u8,
    /// The level stepped to, 1-4
    #[arg(long, value_parser = clap::value_parser!(u8).range(1..=4))]
    pub to_sl: u8,
    /// For 4-2: the component type
    #[arg(long, value_parser = parse_component_type, value_name = "TYPE")]
    pub component_type: Option<ComponentType>,
    #[command(flatten)]
    pub format: FormatArg,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Export format
    #[arg(long, value_enum)]
    pub format: ExportFormat,
    /// Only these parts (repeatable)
    #[arg(long, value_parser = parse_part)]
    pub part: Vec<Part>,
    /// Write to this file instead of standard output (written whole or not at all)
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ImportTextArgs {
    /// The file with your licensed text
    pub file: PathBuf,
    /// The file's format [default: from the extension, else from the content]
    #[arg(long = "input-format", value_enum)]
    pub input_format: Option<OverlayFormat>,
    /// Output format of the summary
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

fn parse_part(s: &str) -> Result<Part, String> {
    s.parse().map_err(|e: levee_core::ParseError| e.hint.to_owned())
}

fn parse_fr(s: &str) -> Result<Fr, String> {
    s.parse().map_err(|e: levee_core::ParseError| e.hint.to_owned())
}

fn parse_component_type(s: &str) -> Result<ComponentType, String> {
    s.parse().map_err(|e: levee_core::ParseError| e.hint.to_owned())
}

/// The names `levee schema` takes.
fn schema_names() -> clap::builder::PossibleValuesParser {
    let mut names = vec!["project"];
    names.extend(levee_report::schema::OUTPUTS.iter().map(|(n, _)| *n));
    clap::builder::PossibleValuesParser::new(names)
}
