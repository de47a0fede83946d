//! A progress bar for long imports: on a terminal only, and only once a run
//! has gone on for a moment, so short imports and pipes never see it.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How long a run goes before the bar appears.
const GRACE: Duration = Duration::from_millis(700);

pub struct Progress {
    bar: ProgressBar,
    started: Instant,
    /// The bar may be drawn (stderr is a terminal and --quiet is off).
    allowed: bool,
    shown: bool,
}

impl Progress {
    /// A bar over `total` bytes of input.
    pub fn new(total: u64, quiet: bool) -> Progress {
        let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::hidden());
        if let Ok(style) =
            ProgressStyle::with_template("{msg} [{bar:30}] {bytes}/{total_bytes} ({eta} left)")
        {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.set_message("importing");
        Progress {
            bar,
            started: Instant::now(),
            allowed: !quiet && std::io::stderr().is_terminal(),
            shown: false,
        }
    }

    /// Records that `done` bytes of the input have been read.
    pub fn update(&mut self, done: u64) {
        if self.allowed && !self.shown && self.started.elapsed() >= GRACE {
            self.bar.set_draw_target(ProgressDrawTarget::stderr());
            self.shown = true;
        }
        self.bar.set_position(done);
    }

    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
