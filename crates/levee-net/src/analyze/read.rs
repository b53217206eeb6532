//! Whole captures in: the reader's loop, with progress, and captures that cannot be read.

use super::{Analyzer, CaptureSummary};

impl Analyzer {
    /// Reads one whole capture from `src` (begin, every packet, end). `progress` is called now
    /// and then with the bytes consumed so far. A damaged record ends the capture with a partial
    /// result (its error is in the capture summary).
    ///
    /// # Errors
    ///
    /// When not even the file header can be read (not a capture, truncated header); nothing is
    /// recorded then.
    pub fn read_capture<R: std::io::Read>(
        &mut self,
        name: &str,
        src: R,
        progress: &mut dyn FnMut(u64),
    ) -> Result<(), crate::CaptureError> {
        let mut r = crate::CaptureReader::new(src)?;
        self.begin_capture(name, Some(r.format()));
        let mut error = None;
        let mut n = 0u64;
        loop {
            match r.next_packet() {
                Ok(Some(p)) => self.packet(&p),
                Ok(None) => break,
                Err(e) => {
                    error = Some(e.to_string());
                    break;
                }
            }
            n += 1;
            if n.is_multiple_of(4096) {
                progress(r.position());
            }
        }
        progress(r.position());
        self.end_capture(&r.linktypes, error);
        Ok(())
    }

    /// Records a capture that could not be read at all (its header), so reports still name it.
    pub fn failed_capture(&mut self, name: &str, error: String) {
        self.flush_flows();
        self.captures.push(CaptureSummary {
            name: name.to_owned(),
            error: Some(error),
            ..CaptureSummary::default()
        });
        self.flush_flows();
    }
}
