//! The import lock: two imports into one store run one after the other, never interleaved.

use std::fs;
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::Duration;

use levee_vulndb::{ImportOptions, NoProgress, Progress, Unit, import, open};

use crate::support::{osv, tempdir};

/// A progress sink that keeps the notes.
#[derive(Default)]
struct Notes(Mutex<Vec<String>>);

impl Progress for Notes {
    fn begin(&self, _what: &str, _unit: Unit, _total: Option<u64>) {}
    fn advance(&self, _n: u64) {}
    fn end(&self) {}
    fn note(&self, text: &str) {
        self.0.lock().expect("notes").push(text.to_owned());
    }
}

/// A directory with `n` small OSV files whose ids start with `prefix`.
fn inputs(root: &std::path::Path, prefix: &str, n: usize) -> PathBuf {
    let dir = root.join(prefix);
    fs::create_dir_all(&dir).expect("mkdir");
    for i in 0..n {
        let id = format!("{prefix}-{i}");
        fs::write(
            dir.join(format!("{id}.json")),
            osv(&id, &format!("CVE-2024-{:04}", 1000 + i), "2024-01-01T00:00:00Z"),
        )
        .expect("write");
    }
    dir
}

#[test]
fn concurrent_imports_into_one_store_run_one_after_the_other() {
    let tmp = tempdir();
    let db = tmp.path().join("db");
    let a = inputs(tmp.path(), "GO-A", 300);
    let b = inputs(tmp.path(), "GO-B", 200);
    let options = ImportOptions {
        threads: 1,
        ..ImportOptions::default()
    };
    let (ra, rb) = std::thread::scope(|s| {
        let ha = s.spawn(|| import(std::slice::from_ref(&a), &db, &options, &NoProgress));
        let hb = s.spawn(|| import(std::slice::from_ref(&b), &db, &options, &NoProgress));
        (ha.join().expect("thread a"), hb.join().expect("thread b"))
    });
    let (ra, rb) = (ra.expect("import a"), rb.expect("import b"));
    // The store holds exactly what the import that finished last wrote, whole.
    let (snapshot, info) = open(Some(&db)).expect("open");
    assert_eq!(snapshot.id, info.id);
    assert!(
        snapshot.id == ra.id || snapshot.id == rb.id,
        "{} is neither import",
        snapshot.id
    );
    let count = snapshot.advisories.len();
    assert!(
        count == 300 || count == 200,
        "{count} advisories: the imports interleaved"
    );
    let prefix = if count == 300 { "GO-A" } else { "GO-B" };
    assert!(snapshot.advisories.iter().all(|x| x.id.starts_with(prefix)));
}

#[test]
fn an_import_waits_for_the_lock_and_says_so() {
    let tmp = tempdir();
    let db = tmp.path().join("db");
    fs::create_dir_all(&db).expect("mkdir");
    let a = inputs(tmp.path(), "GO-W", 3);
    // Another process's import, as far as this one can tell: the lock file, locked.
    let held = fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(db.join("import.lock"))
        .expect("lock file");
    held.lock().expect("lock");
    let notes = Notes::default();
    std::thread::scope(|s| {
        let h = s.spawn(|| import(std::slice::from_ref(&a), &db, &ImportOptions::default(), &notes));
        std::thread::sleep(Duration::from_millis(400));
        assert!(!h.is_finished(), "the import did not wait for the lock");
        assert!(
            !db.join("snapshot.bin").exists(),
            "the import wrote while another held the lock"
        );
        held.unlock().expect("unlock");
        let report = h.join().expect("thread").expect("import");
        assert_eq!(report.files, 3);
    });
    let notes = notes.0.lock().expect("notes");
    assert!(
        notes
            .iter()
            .any(|n| n.contains("another import into this store is running")),
        "{notes:?}"
    );
    assert_eq!(open(Some(&db)).expect("open").0.advisories.len(), 3);
}
