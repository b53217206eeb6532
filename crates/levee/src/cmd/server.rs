//! `levee serve`, `levee push`, `levee pull`, `levee admin …`, `levee audit verify`: the server and
//! its clients. The work is `levee-server`'s and `levee-store`'s; this module parses flags, opens
//! the store and prints.

use std::io::BufRead;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Subcommand, ValueEnum};
use levee_catalog::Catalog;
use levee_engine::{AdvisoryData, DataRequest, ProjectBundle};
use levee_report::server::{AuditVerifyReport, PullReport, PushReport, ServedProject, UserReport};
use levee_server::client::{ClientError, Remote};
use levee_store::{Role, Store};

use super::print;
use crate::fail::Failure;

/// Output of the client commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum Format {
    /// A line for people
    #[default]
    Table,
    /// JSON (schemas: `levee schema push|pull|admin-user|admin-token|admin-tokens|admin-revoke-token|audit-verify`)
    Json,
}

/// `levee serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The database: sqlite:PATH or postgres://USER:PASSWORD@HOST/DB
    /// [default: sqlite:DATA_DIR/server.db]
    #[arg(long, value_name = "URL")]
    pub db: Option<String>,
    /// Where to listen; keep loopback, or serve TLS (--tls-cert/--tls-key) or put a TLS reverse
    /// proxy in front for the network
    #[arg(long, default_value = "127.0.0.1:8080", value_name = "ADDR")]
    pub listen: SocketAddr,
    /// Serve HTTPS with this PEM certificate chain (leaf first); needs --tls-key. Session
    /// cookies are then always Secure
    #[arg(long, value_name = "FILE", requires = "tls_key")]
    pub tls_cert: Option<PathBuf>,
    /// The PEM private key (PKCS#8, PKCS#1 or SEC1) of --tls-cert
    #[arg(long, value_name = "FILE", requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,
    /// The advisory store to scan with [default: the data directory's, else the bundled subset]
    #[arg(long = "advisory-db", value_name = "DIR")]
    pub advisory_db: Option<PathBuf>,
    /// Mark the session cookie Secure (set this behind a TLS proxy)
    #[arg(long)]
    pub secure_cookies: bool,
    /// The report date of assessments (YYYY-MM-DD) [default: SOURCE_DATE_EPOCH, else today]
    #[arg(long, value_name = "DATE")]
    pub date: Option<String>,
    /// Import this project directory at start (id: its name), as `levee push` would; on a store
    /// without users, also create the user `admin` and print a token for it once
    #[arg(long, value_name = "DIR")]
    pub push: Vec<PathBuf>,
}

/// `levee push`.
#[derive(Debug, Args)]
pub struct PushArgs {
    /// The project directory
    pub dir: PathBuf,
    /// The server's URL
    #[arg(long, value_name = "URL")]
    pub server: String,
    /// An API token (`levee admin create-token`)
    #[arg(long, value_name = "TOKEN")]
    pub token: String,
    /// The project id on the server [default: the directory's name]
    #[arg(long, value_name = "ID")]
    pub id: Option<String>,
    /// Only if the server's revision still has this ETag (from `levee pull` or the API)
    #[arg(long, value_name = "ETAG")]
    pub if_match: Option<String>,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// `levee pull`.
#[derive(Debug, Args)]
pub struct PullArgs {
    /// The project id on the server
    pub id: String,
    /// The server's URL
    #[arg(long, value_name = "URL")]
    pub server: String,
    /// An API token
    #[arg(long, value_name = "TOKEN")]
    pub token: String,
    /// The directory to write (new or empty)
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// Users and tokens, on the database directly.
#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Create a user; the password is read from standard input (one line, at least 12 characters)
    #[command(after_help = "\
Examples:
  printf '%s\\n' \"$PASSWORD\" | levee admin create-user ana --role assessor
  levee admin create-user root --role admin --db postgres://levee@127.0.0.1/levee < pw.txt")]
    CreateUser(CreateUserArgs),
    /// Make an API token and print it once (only its hash is stored)
    #[command(after_help = "\
Examples:
  levee admin create-token --user ana                          every project ana may reach
  levee admin create-token --user ci --project water-treatment --expires 30")]
    CreateToken(CreateTokenArgs),
    /// List API tokens (never their secrets): id, user, scope, created, expiry, revocation
    #[command(after_help = "\
Examples:
  levee admin list-tokens                                      every user's tokens
  levee admin list-tokens --user ci --format json")]
    ListTokens(ListTokensArgs),
    /// Revoke an API token by its id (from `list-tokens`); recorded in the audit log
    #[command(after_help = "\
Examples:
  levee admin revoke-token 3f9a0c12d4e5      a leaked token stops working at once")]
    RevokeToken(RevokeTokenArgs),
}

/// `levee admin create-user`.
#[derive(Debug, Args)]
pub struct CreateUserArgs {
    /// The user name (letters, digits, `.`, `_`, `-`)
    pub name: String,
    /// The global role
    #[arg(long, value_parser = ["admin", "assessor", "viewer"])]
    pub role: String,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// The database [default: sqlite:DATA_DIR/server.db]
    #[arg(long, value_name = "URL")]
    pub db: Option<String>,
}

/// `levee admin create-token`.
#[derive(Debug, Args)]
pub struct CreateTokenArgs {
    /// Whose token
    #[arg(long, value_name = "NAME")]
    pub user: String,
    /// Scope it to one project
    #[arg(long, value_name = "ID")]
    pub project: Option<String>,
    /// Expire it after this many days
    #[arg(long, value_name = "DAYS")]
    pub expires: Option<u32>,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// The database [default: sqlite:DATA_DIR/server.db]
    #[arg(long, value_name = "URL")]
    pub db: Option<String>,
}

/// `levee admin list-tokens`.
#[derive(Debug, Args)]
pub struct ListTokensArgs {
    /// Only this user's tokens
    #[arg(long, value_name = "NAME")]
    pub user: Option<String>,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// The database [default: sqlite:DATA_DIR/server.db]
    #[arg(long, value_name = "URL")]
    pub db: Option<String>,
}

/// `levee admin revoke-token`.
#[derive(Debug, Args)]
pub struct RevokeTokenArgs {
    /// The token's id (not the secret)
    pub id: String,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// The database [default: sqlite:DATA_DIR/server.db]
    #[arg(long, value_name = "URL")]
    pub db: Option<String>,
}

/// The audit log.
#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Check the audit hash chain; exit 1 and name the first broken entry when it is broken
    #[command(after_help = "\
Examples:
  levee audit verify
  levee audit verify --db postgres://levee@127.0.0.1/levee")]
    Verify(VerifyArgs),
}

/// `levee audit verify`.
#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// The database [default: sqlite:DATA_DIR/server.db]
    #[arg(long, value_name = "URL")]
    pub db: Option<String>,
}

fn runtime() -> Result<tokio::runtime::Runtime, Failure> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::new(format!("cannot start the runtime: {e}")))
}

fn db_url(flag: Option<&str>, data_dir: Option<&Path>) -> Result<String, Failure> {
    match flag {
        Some(u) => Ok(u.to_owned()),
        None => Ok(levee_store::default_url(&levee_engine::files::data_dir(
            data_dir,
        )?)),
    }
}

async fn open(url: &str) -> Result<Store, Failure> {
    Store::open(url).await.map_err(|e| {
        Failure::new(format!("{}: {e}", redact(url)))
            .hint("pass --db sqlite:PATH or --db postgres://USER:PASSWORD@HOST/DB")
    })
}

/// A database URL without its password, for messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let cred = &url[s + 3..at];
            let user = cred.split(':').next().unwrap_or("");
            format!("{}{user}:***{}", &url[..s + 3], &url[at..])
        }
        _ => url.to_owned(),
    }
}

pub fn serve(a: &ServeArgs, catalog: &Catalog, data_dir: Option<&Path>) -> Result<ExitCode, Failure> {
    let level = match std::env::var("LEVEE_LOG").as_deref() {
        Ok("error") => tracing::Level::ERROR,
        Ok("warn") => tracing::Level::WARN,
        Ok("debug") => tracing::Level::DEBUG,
        _ => tracing::Level::INFO,
    };
    let _ = tracing_subscriber::fmt()
        .with_max_level(level)
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .try_init();
    let url = db_url(a.db.as_deref(), data_dir)?;
    let data = AdvisoryData::open(&DataRequest {
        db: a.advisory_db.clone(),
        data_dir: levee_engine::files::data_dir(data_dir).ok(),
        vendor_aliases: None,
    })?;
    if let Some(n) = &data.provenance.notice {
        eprintln!("warning: {n}");
    }
    let tls = match (&a.tls_cert, &a.tls_key) {
        (Some(cert), Some(key)) => Some(tls_config(cert, key)?),
        _ => None,
    };
    let scheme = if tls.is_some() { "https" } else { "http" };
    let config = levee_server::Config {
        listen: a.listen,
        secure_cookies: a.secure_cookies,
        tls,
        date: levee_engine::clock::report_date(a.date.as_deref())?,
        ..levee_server::Config::default()
    };
    let rt = runtime()?;
    rt.block_on(async {
        let store = open(&url).await?;
        let state = levee_server::AppState::new(store.clone(), catalog.clone(), data, config);
        if !a.push.is_empty() {
            import_at_start(&state, &a.push).await?;
        }
        let shown = redact(&url);
        levee_server::serve(state, levee_server::shutdown_signal(), |addr| {
            eprintln!("levee server listening on {scheme}://{addr} (database {shown}); API at /api/v1, OpenAPI at /api/openapi.json");
        })
        .await
        .map_err(|e| Failure::new(e).hint("is another server on that address? pick one with --listen"))?;
        store.close().await;
        Ok::<_, Failure>(())
    })?;
    Ok(ExitCode::SUCCESS)
}

/// The TLS configuration of `--tls-cert` and `--tls-key`, read through the bounded reader (regular
/// files of at most 1 MiB).
fn tls_config(cert: &Path, key: &Path) -> Result<std::sync::Arc<levee_server::tls::ServerConfig>, Failure> {
    const MAX_PEM: u64 = 1 << 20;
    let cert_pem = levee_engine::input::read_bounded(cert, MAX_PEM, "TLS certificate")?;
    let key_pem = levee_engine::input::read_bounded(key, MAX_PEM, "TLS key")?;
    levee_server::tls::server_config(&cert_pem, &key_pem).map_err(|e| {
        Failure::new(format!("{} and {}: {e}", cert.display(), key.display()))
            .hint("give a PEM certificate chain (leaf first) and its PEM private key")
    })
}

/// `levee serve --push DIR`: the directories imported, and a first admin when there is none.
async fn import_at_start(state: &levee_server::AppState, dirs: &[PathBuf]) -> Result<(), Failure> {
    let problem = |p: levee_server::problem::Problem| Failure::new(p.detail);
    let store = state.store();
    let users = store.users().await.map_err(Failure::new)?;
    if users.is_empty() {
        let password = levee_server::auth::random_secret("").map_err(problem)?;
        levee_server::admin::create_user(store, "cli", "admin", Role::Admin, &password)
            .await
            .map_err(problem)?;
        let made = levee_server::admin::create_token(store, "cli", "admin", None, Some(30))
            .await
            .map_err(problem)?;
        eprintln!("created the user `admin`; its API token (valid 30 days, shown this once):");
        print(&format!("{}\n", made.token));
    }
    for dir in dirs {
        let id = project_id(dir, None)?;
        let bundle = ProjectBundle::read_dir(dir)?;
        let done = levee_server::projects::import(state, "cli", &id, &bundle)
            .await
            .map_err(|p| Failure::new(format!("{}: {}", dir.display(), p.detail)))?;
        eprintln!(
            "imported {} as project {} revision {}",
            dir.display(),
            done.project.id,
            done.project.revision
        );
    }
    Ok(())
}

fn project_id(dir: &Path, flag: Option<&str>) -> Result<String, Failure> {
    match flag {
        Some(id) => Ok(id.to_owned()),
        None => dir
            .canonicalize()
            .ok()
            .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .ok_or_else(|| {
                Failure::new(format!("{}: cannot name the project", dir.display())).hint("pass --id ID")
            }),
    }
}

fn client_failure(e: ClientError) -> Failure {
    let mut f = Failure::new(&e.message);
    if let Some(diags) = e
        .extra
        .as_ref()
        .and_then(|x| x.get("diagnostics"))
        .and_then(|d| d.as_array())
    {
        for d in diags {
            eprintln!(
                "{}:{}:{}: {}[{}]: {}",
                d["file"].as_str().unwrap_or("?"),
                d["line"],
                d["column"],
                d["severity"].as_str().unwrap_or("error"),
                d["code"].as_str().unwrap_or("-"),
                d["message"].as_str().unwrap_or("")
            );
        }
    }
    f = match (e.status, e.code.as_deref()) {
        (Some(401), _) => {
            f.hint("the token is unknown, expired or revoked: make one with `levee admin create-token`")
        }
        (Some(403), _) => {
            f.hint("the token's user lacks the role, or the token is scoped to another project")
        }
        (Some(412), _) => f.hint("someone pushed meanwhile: pull, merge and push again"),
        (None, _) => f.hint("is the server running? start it with `levee serve`"),
        _ => f,
    };
    f
}

pub fn push(a: &PushArgs) -> Result<ExitCode, Failure> {
    let id = match &a.id {
        Some(id) => id.clone(),
        None => a
            .dir
            .canonicalize()
            .ok()
            .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .ok_or_else(|| {
                Failure::new(format!("{}: cannot name the project", a.dir.display())).hint("pass --id ID")
            })?,
    };
    let bundle = ProjectBundle::read_dir(&a.dir)?;
    let remote = Remote::new(&a.server, &a.token).map_err(client_failure)?;
    let pushed = remote
        .push(&id, &bundle, a.if_match.as_deref())
        .map_err(client_failure)?;
    let project: ServedProject = serde_json::from_value(pushed.result["project"].clone())
        .map_err(|e| Failure::new(format!("the server's answer is not a project: {e}")))?;
    let report = PushReport {
        project,
        assessment: pushed.result["assessment"].as_i64().unwrap_or(0),
        warnings: pushed.result["warnings"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|w| w.as_str().map(str::to_owned))
            .collect(),
        files: bundle.len(),
        uploaded: pushed.uploaded,
        already_there: pushed.skipped,
    };
    if a.format == Format::Json {
        print(&levee_report::to_json(&report));
        return Ok(ExitCode::SUCCESS);
    }
    for w in &report.warnings {
        eprintln!("warning: {w}");
    }
    print(&format!(
        "pushed {} ({} files, {} uploaded, {} already there) as {} revision {} (ETag {}), assessment {}\n",
        a.dir.display(),
        report.files,
        report.uploaded,
        report.already_there,
        report.project.id,
        report.project.revision,
        report.project.etag,
        report.assessment
    ));
    Ok(ExitCode::SUCCESS)
}

pub fn pull(a: &PullArgs) -> Result<ExitCode, Failure> {
    let occupied = std::fs::read_dir(&a.out).is_ok_and(|mut d| d.next().is_some());
    if occupied {
        return Err(Failure::new(format!("{} is not empty", a.out.display()))
            .hint("pull into a new or empty directory; nothing was written"));
    }
    let remote = Remote::new(&a.server, &a.token).map_err(client_failure)?;
    let bundle = remote.pull(&a.id).map_err(client_failure)?;
    bundle.write_dir(&a.out)?;
    if a.format == Format::Json {
        print(&levee_report::to_json(&PullReport {
            project: a.id.clone(),
            dir: a.out.display().to_string(),
            files: bundle.len(),
            bytes: bundle.total_bytes(),
        }));
        return Ok(ExitCode::SUCCESS);
    }
    print(&format!(
        "pulled {} ({} files, {} bytes) into {}\n",
        a.id,
        bundle.len(),
        bundle.total_bytes(),
        a.out.display()
    ));
    Ok(ExitCode::SUCCESS)
}

pub fn admin(c: &AdminCommand, data_dir: Option<&Path>) -> Result<ExitCode, Failure> {
    let rt = runtime()?;
    let problem = |p: levee_server::problem::Problem| Failure::new(p.detail);
    match c {
        AdminCommand::CreateUser(a) => {
            let role: Role = a.role.parse().map_err(Failure::new)?;
            let mut line = String::new();
            std::io::stdin()
                .lock()
                .read_line(&mut line)
                .map_err(|e| Failure::new(format!("reading the password from standard input: {e}")))?;
            let password = line.trim_end_matches(['\n', '\r']);
            let url = db_url(a.db.as_deref(), data_dir)?;
            rt.block_on(async {
                let store = open(&url).await?;
                levee_server::admin::create_user(&store, "cli", &a.name, role, password)
                    .await
                    .map_err(problem)?;
                store.close().await;
                Ok::<_, Failure>(())
            })?;
            if a.format == Format::Json {
                print(&levee_report::to_json(&UserReport {
                    name: a.name.clone(),
                    role: role.as_str().to_owned(),
                }));
            } else {
                print(&format!("created user {} ({role})\n", a.name));
            }
        }
        AdminCommand::CreateToken(a) => {
            let url = db_url(a.db.as_deref(), data_dir)?;
            let made = rt.block_on(async {
                let store = open(&url).await?;
                let made = levee_server::admin::create_token(
                    &store,
                    "cli",
                    &a.user,
                    a.project.as_deref(),
                    a.expires,
                )
                .await
                .map_err(problem)?;
                store.close().await;
                Ok::<_, Failure>(made)
            })?;
            if a.format == Format::Json {
                print(&levee_report::to_json(&made));
                return Ok(ExitCode::SUCCESS);
            }
            eprintln!(
                "token {} for {}{}{}; it is shown this once:",
                made.id,
                made.user,
                made.project
                    .as_deref()
                    .map(|p| format!(" on project {p}"))
                    .unwrap_or_default(),
                made.expires_at
                    .as_deref()
                    .map(|e| format!(", expires {e}"))
                    .unwrap_or_default()
            );
            print(&format!("{}\n", made.token));
        }
        AdminCommand::ListTokens(a) => {
            let url = db_url(a.db.as_deref(), data_dir)?;
            let list = rt.block_on(async {
                let store = open(&url).await?;
                let list = levee_server::admin::list_tokens(&store, a.user.as_deref())
                    .await
                    .map_err(problem)?;
                store.close().await;
                Ok::<_, Failure>(list)
            })?;
            if a.format == Format::Json {
                print(&levee_report::to_json(&list));
                return Ok(ExitCode::SUCCESS);
            }
            let mut t =
                levee_report::table::Table::new(["ID", "USER", "SCOPE", "CREATED", "EXPIRES", "STATE"]);
            for tok in &list {
                t.row([
                    tok.id.clone(),
                    tok.user.clone(),
                    tok.project.clone().unwrap_or_else(|| "(every project)".into()),
                    tok.created_at.clone(),
                    tok.expires_at.clone().unwrap_or_else(|| "-".into()),
                    tok.revoked_at
                        .clone()
                        .map_or_else(|| "active".into(), |r| format!("revoked {r}")),
                ]);
            }
            print(&t.render());
            print(&format!(
                "{}\n",
                levee_report::table::count(list.len() as u64, "token", "tokens")
            ));
        }
        AdminCommand::RevokeToken(a) => {
            let url = db_url(a.db.as_deref(), data_dir)?;
            let user = rt.block_on(async {
                let store = open(&url).await?;
                let user = levee_server::admin::revoke(&store, "cli", &a.id, |_| Ok(()))
                    .await
                    .map_err(problem)?;
                store.close().await;
                Ok::<_, Failure>(user)
            })?;
            if a.format == Format::Json {
                print(&levee_report::to_json(&levee_report::server::TokenRevoked {
                    id: a.id.clone(),
                    user,
                }));
            } else {
                print(&format!("revoked token {} of {user}\n", a.id));
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn audit(c: &AuditCommand, data_dir: Option<&Path>) -> Result<ExitCode, Failure> {
    let AuditCommand::Verify(a) = c;
    let url = db_url(a.db.as_deref(), data_dir)?;
    let (broken, n) = runtime()?.block_on(async {
        let store = open(&url).await?;
        let r = store
            .verify_audit_counted()
            .await
            .map_err(|e| Failure::new(format!("{}: {e}", redact(&url))))?;
        store.close().await;
        Ok::<_, Failure>(r)
    })?;
    if a.format == Format::Json {
        print(&levee_report::to_json(&AuditVerifyReport {
            ok: broken.is_none(),
            entries: n,
            broken_seq: broken.as_ref().map(|b| b.seq),
            reason: broken.as_ref().map(|b| b.reason.clone()),
        }));
        return Ok(if broken.is_none() {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(1)
        });
    }
    match broken {
        None => {
            print(&format!("audit chain intact: {n} entries\n"));
            Ok(ExitCode::SUCCESS)
        }
        Some(b) => {
            print(&format!("audit chain broken at entry {}: {}\n", b.seq, b.reason));
            Ok(ExitCode::from(1))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn passwords_never_show() {
        assert_eq!(
            redact("postgres://levee:secret@127.0.0.1/levee"),
            "postgres://levee:***@127.0.0.1/levee"
        );
        assert_eq!(redact("sqlite:/tmp/x.db"), "sqlite:/tmp/x.db");
    }
}
