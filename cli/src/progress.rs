//! What a long command is doing, on stderr: a bar over the proving phases on a terminal, one
//! line per phase otherwise (the prover reports each phase's end to the `zkvm::progress`
//! tracing target). `RUST_LOG` (for example `RUST_LOG=zkvm=info`, or `zkvm=debug` for the
//! commitment, sumcheck and GKR spans) also prints the prover's spans with their times, to
//! profile a run by phase.

use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use tracing::field::{Field, Visit};
use tracing::{Event, Subscriber};
use tracing_subscriber::filter::{EnvFilter, Targets};
use tracing_subscriber::fmt::format::FmtSpan;
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};
use tracing_subscriber::util::SubscriberInitExt;
use zkvm_prover::pipeline::PHASES;

/// Install the subscriber: phase progress for `command` when `show_progress`, and the `RUST_LOG`
/// spans when that variable is set.
pub fn init(command: &'static str, show_progress: bool) {
    let progress = show_progress.then(|| {
        Progress::new(command)
            .with_filter(Targets::new().with_target("zkvm::progress", tracing::Level::INFO))
    });
    let log = std::env::var_os("RUST_LOG").is_some().then(|| {
        tracing_subscriber::fmt::layer()
            .with_writer(std::io::stderr)
            .with_ansi(std::io::stderr().is_terminal())
            .with_span_events(FmtSpan::CLOSE)
            .with_filter(EnvFilter::from_default_env())
    });
    let _ = tracing_subscriber::registry()
        .with(progress)
        .with(log)
        .try_init();
}

/// The progress display: a bar, or plain lines when stderr is not a terminal.
struct Progress {
    command: &'static str,
    bar: Option<ProgressBar>,
}

impl Progress {
    fn new(command: &'static str) -> Progress {
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = ProgressBar::new(PHASES.len() as u64);
            bar.set_style(
                ProgressStyle::with_template("{prefix} [{pos}/{len}] {msg} ({elapsed})")
                    .expect("a valid template"),
            );
            bar.set_prefix(format!("zkvm {command}:"));
            bar.set_message(PHASES[0]);
            bar.enable_steady_tick(Duration::from_millis(200));
            bar
        });
        Progress { command, bar }
    }
}

/// The `phase` and `seconds` fields of a progress event.
#[derive(Default)]
struct PhaseDone {
    phase: String,
    seconds: f64,
}

impl Visit for PhaseDone {
    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "phase" {
            self.phase = value.to_string();
        }
    }

    fn record_f64(&mut self, field: &Field, value: f64) {
        if field.name() == "seconds" {
            self.seconds = value;
        }
    }

    fn record_debug(&mut self, _: &Field, _: &dyn std::fmt::Debug) {}
}

impl<S: Subscriber> Layer<S> for Progress {
    fn on_event(&self, event: &Event<'_>, _: Context<'_, S>) {
        let mut done = PhaseDone::default();
        event.record(&mut done);
        match &self.bar {
            Some(bar) => {
                bar.inc(1);
                let next = PHASES
                    .iter()
                    .position(|p| *p == done.phase)
                    .and_then(|i| PHASES.get(i + 1));
                match next {
                    Some(next) => bar.set_message(*next),
                    None => bar.finish_and_clear(),
                }
            }
            None => eprintln!(
                "zkvm {}: {} done in {:.2} s",
                self.command, done.phase, done.seconds
            ),
        }
    }
}
