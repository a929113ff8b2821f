//! What the binary says on stderr: progress, failures, the summary line.

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

use galley::render::Stats;
use indicatif::{ProgressBar, ProgressStyle};

/// Progress and counts of a run.
pub struct Report {
    bar: Option<ProgressBar>,
    start: Instant,
    pub stats: Stats,
    pub files: usize,
    pub failed: usize,
    pub pending: usize,
    /// Inputs `--skip-existing` left alone (not counted in `files`).
    pub skipped: Option<usize>,
    /// What an input is called in the summary: `file(s)`, or `record(s)` under `--input jsonl`.
    pub unit: &'static str,
}

impl Report {
    /// A report for `total` files; a bar only when stderr is a terminal and not quiet.
    pub fn new(total: usize, quiet: bool) -> Report {
        let bar = (!quiet && std::io::stderr().is_terminal() && total > 1).then(|| {
            let b = ProgressBar::new(total as u64);
            b.set_style(
                ProgressStyle::with_template("{bar:30} {pos}/{len} files  {msg}  eta {eta}")
                    .expect("valid template"),
            );
            b.enable_steady_tick(Duration::from_millis(200));
            b
        });
        Report {
            bar,
            start: Instant::now(),
            stats: Stats::default(),
            files: 0,
            failed: 0,
            pending: 0,
            skipped: None,
            unit: "file(s)",
        }
    }

    /// A file finished.
    pub fn done(&mut self, stats: &Stats) {
        self.files += 1;
        self.merge(stats);
        if let Some(b) = &self.bar {
            b.inc(1);
            b.set_message(format!("{:.0} pages/s", self.pages_per_sec()));
        }
    }

    fn merge(&mut self, s: &Stats) {
        self.stats.pages += s.pages;
        self.stats.articles += s.articles;
        for (k, v) in &s.by_code {
            *self.stats.by_code.entry(k.clone()).or_default() += v;
        }
        for (k, v) in &s.by_safety {
            *self.stats.by_safety.entry(k.clone()).or_default() += v;
        }
    }

    /// A file failed before it was cleaned: say so on stderr, above the bar.
    pub fn failed(&mut self, message: &str) {
        self.files += 1;
        if let Some(b) = &self.bar {
            b.inc(1);
        }
        self.output_failed(message);
    }

    /// A file already counted as done failed after all (its output could not be written): it
    /// counts once as a file and once as a failure.
    pub fn output_failed(&mut self, message: &str) {
        self.failed += 1;
        let line = format!("galley: {message}");
        match &self.bar {
            Some(b) => b.println(line),
            None => {
                let _ = writeln!(std::io::stderr(), "{line}");
            }
        }
    }

    fn pages_per_sec(&self) -> f64 {
        self.stats.pages as f64 / self.start.elapsed().as_secs_f64().max(1e-9)
    }

    /// The one summary line.
    pub fn summary(&self) -> String {
        let fam: Vec<String> = self
            .stats
            .by_family()
            .iter()
            .map(|(f, n)| format!("{f} {n}"))
            .collect();
        let skipped = match self.skipped {
            Some(n) => format!("; {n} skipped (output exists)"),
            None => String::new(),
        };
        format!(
            "galley: {} {}, {} page(s), {} article(s), {} fix(es){}; {} failed{skipped}; {:.2} s, {:.0} pages/s",
            self.files,
            self.unit,
            self.stats.pages,
            self.stats.articles,
            self.stats.fixes(),
            if fam.is_empty() { String::new() } else { format!(" ({})", fam.join(", ")) },
            self.failed,
            self.start.elapsed().as_secs_f64(),
            self.pages_per_sec()
        )
    }

    /// Remove the bar.
    pub fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}
