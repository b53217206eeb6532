//! Helpers for running the built `levee` binary.

use std::path::Path;
use std::process::{Command, Output};

/// The result of one `levee` run.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Parses standard output as JSON, failing the test with both streams on error.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not JSON ({e}):\n{}\nstderr:\n{}",
                self.stdout, self.stderr
            )
        })
    }
}

/// Runs `levee` with `args`, with a private data directory, and no inherited LEVEE_* settings.
pub fn levee_in(data_dir: &Path, args: &[&str]) -> Run {
    let out: Output = Command::new(env!("CARGO_BIN_EXE_levee"))
        .args(args)
        .env_remove("LEVEE_DATA_DIR")
        .env("XDG_DATA_HOME", data_dir.join("xdg"))
        .env("HOME", data_dir.join("home"))
        .output()
        .expect("levee runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Runs `levee` with `args` in a fresh temporary data directory.
macro_rules! levee {
    ($($arg:expr),* $(,)?) => {{
        let dir = tempfile::tempdir().expect("tempdir");
        $crate::macros::levee_in(dir.path(), &[$($arg),*])
    }};
}

/// Asserts the exit code, printing both streams when it differs.
macro_rules! assert_code {
    ($run:expr, $code:expr) => {{
        let r = &$run;
        assert_eq!(
            r.code, $code,
            "exit code\nstdout:\n{}\nstderr:\n{}",
            r.stdout, r.stderr
        );
    }};
}
