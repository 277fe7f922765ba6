//! Errors as plain data with spans; the ariadne report is built only in [`Diagnostics::render`].

use std::io::IsTerminal;

use ariadne::{Config, IndexType, Label, Report, ReportKind};

use crate::ast::Span;

/// One assembly error.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    /// Where.
    pub span: Span,
    /// What went wrong (the headline).
    pub message: String,
    /// What was expected, shown under the span.
    pub label: String,
    /// Other places worth pointing at (e.g. the first definition of a duplicate label).
    pub secondary: Vec<(Span, String)>,
    /// A closing note.
    pub note: Option<String>,
}

impl Error {
    /// An error with a headline and a label.
    pub fn new(span: Span, message: impl Into<String>, label: impl Into<String>) -> Error {
        Error {
            span,
            message: message.into(),
            label: label.into(),
            secondary: Vec::new(),
            note: None,
        }
    }

    /// Adds a secondary span.
    pub fn with_secondary(mut self, span: Span, label: impl Into<String>) -> Error {
        self.secondary.push((span, label.into()));
        self
    }

    /// Adds a note.
    pub fn with_note(mut self, note: impl Into<String>) -> Error {
        self.note = Some(note.into());
        self
    }
}

/// All errors of one assembly, with the sources they point into.
#[derive(Clone, Debug)]
pub struct Diagnostics {
    /// The errors, in the order found.
    pub errors: Vec<Error>,
    /// `(file name, text)` of every file read; `Span::file` indexes this.
    pub sources: Vec<(String, String)>,
}

/// 1-based line and column (in characters) of byte offset `pos` in `text`.
pub fn line_col(text: &str, pos: usize) -> (u32, u32) {
    let pos = pos.min(text.len());
    let before = text.get(..pos).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before[line_start..].chars().count() + 1;
    (line as u32, col as u32)
}

impl Diagnostics {
    /// `file:line:col` of each error.
    pub fn locations(&self) -> Vec<String> {
        self.errors.iter().map(|e| self.location(e.span)).collect()
    }

    /// `file:line:col` of a span's start.
    pub fn location(&self, span: Span) -> String {
        match self.sources.get(span.file) {
            Some((name, text)) => {
                let (l, c) = line_col(text, span.start);
                format!("{name}:{l}:{c}")
            }
            None => "<unknown>".into(),
        }
    }

    /// One line per error: `file:line:col: message`.
    pub fn summary(&self) -> String {
        self.errors
            .iter()
            .map(|e| format!("{}: {}\n", self.location(e.span), e.message))
            .collect()
    }

    /// The ariadne report of every error; coloured only when stderr is a terminal.
    pub fn render(&self) -> String {
        self.render_with(std::io::stderr().is_terminal())
    }

    /// The ariadne report of every error, without colours.
    pub fn render_plain(&self) -> String {
        self.render_with(false)
    }

    fn render_with(&self, color: bool) -> String {
        let config = Config::default()
            .with_color(color)
            .with_index_type(IndexType::Byte);
        let name = |s: &Span| {
            self.sources
                .get(s.file)
                .map_or_else(|| "<unknown>".to_string(), |(n, _)| n.clone())
        };
        let mut out = Vec::new();
        for e in &self.errors {
            let id = name(&e.span);
            let mut report =
                Report::build(ReportKind::Error, (id.clone(), e.span.start..e.span.end))
                    .with_config(config)
                    .with_message(format!("{} ({})", e.message, self.location(e.span)))
                    .with_label(
                        Label::new((id, e.span.start..e.span.end))
                            .with_message(&e.label)
                            .with_order(0),
                    );
            for (i, (s, l)) in e.secondary.iter().enumerate() {
                report = report.with_label(
                    Label::new((name(s), s.start..s.end))
                        .with_message(l)
                        .with_order(i as i32 + 1),
                );
            }
            if let Some(n) = &e.note {
                report = report.with_note(n);
            }
            let cache = ariadne::sources(self.sources.iter().map(|(n, t)| (n.clone(), t.clone())));
            if report.finish().write(cache, &mut out).is_err() {
                out.extend_from_slice(
                    format!("{}: {}\n", self.location(e.span), e.message).as_bytes(),
                );
            }
        }
        String::from_utf8_lossy(&out).into_owned()
    }
}

impl std::fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.render_plain())
    }
}

impl std::error::Error for Diagnostics {}
