//! Progress on standard error: bars when it is a terminal, notes only otherwise. The libraries
//! report progress through `levee_vulndb::Progress`; this is the one place it is drawn.

use std::io::IsTerminal;
use std::sync::Mutex;
use std::time::Duration;

use levee_vulndb::{Progress, Unit};

/// Progress bars on standard error, drawn only when it is a terminal.
pub struct Bars {
    bar: Mutex<Option<indicatif::ProgressBar>>,
}

impl Bars {
    fn new() -> Self {
        Self {
            bar: Mutex::new(None),
        }
    }
}

impl Progress for Bars {
    fn begin(&self, what: &str, unit: Unit, total: Option<u64>) {
        let template = match (unit, total) {
            (Unit::Bytes, Some(_)) => "{msg:30} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} {eta}",
            (Unit::Bytes, None) => "{spinner} {msg:30} {bytes} {bytes_per_sec}",
            (_, Some(_)) => "{msg:30} [{bar:30}] {pos}/{len} {eta}",
            (_, None) => "{spinner} {msg}",
        };
        let bar = match total {
            Some(n) => indicatif::ProgressBar::new(n),
            None => indicatif::ProgressBar::new_spinner(),
        };
        let style = indicatif::ProgressStyle::with_template(template)
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
            .progress_chars("=> ");
        bar.set_style(style);
        bar.set_message(what.to_owned());
        bar.enable_steady_tick(Duration::from_millis(120));
        if let Ok(mut slot) = self.bar.lock()
            && let Some(old) = slot.replace(bar)
        {
            old.finish_and_clear();
        }
    }

    fn advance(&self, n: u64) {
        if let Ok(slot) = self.bar.lock()
            && let Some(b) = slot.as_ref()
        {
            b.inc(n);
        }
    }

    fn end(&self) {
        if let Ok(mut slot) = self.bar.lock()
            && let Some(b) = slot.take()
        {
            b.finish_and_clear();
        }
    }

    fn note(&self, text: &str) {
        match self.bar.lock().ok().and_then(|s| s.clone()) {
            Some(b) => b.println(format!("note: {text}")),
            None => eprintln!("note: {text}"),
        }
    }
}

/// Notes only, for a standard error that is not a terminal.
pub struct Quiet;

impl Progress for Quiet {
    fn begin(&self, _what: &str, _unit: Unit, _total: Option<u64>) {}
    fn advance(&self, _n: u64) {}
    fn end(&self) {}
    fn note(&self, text: &str) {
        eprintln!("note: {text}");
    }
}

pub fn with_progress<T>(f: impl FnOnce(&dyn Progress) -> T) -> T {
    with_progress_unless(false, f)
}

/// [`with_progress`], with notes only when `quiet` (the command's output streams to the terminal
/// the bars would be drawn on).
pub fn with_progress_unless<T>(quiet: bool, f: impl FnOnce(&dyn Progress) -> T) -> T {
    if !quiet && std::io::stderr().is_terminal() {
        f(&Bars::new())
    } else {
        f(&Quiet)
    }
}
