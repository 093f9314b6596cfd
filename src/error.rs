//! The one error type: every problem Baton reports, located as `file:line:column` where the
//! input allows, and collected so that one run shows all of them.

use std::fmt;
use std::path::PathBuf;

use serde::Serialize;

/// How bad a finding is. Errors make `baton check` fail; warnings are reported and, with
/// `--deny-warnings`, fail it too.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Warning,
    Error,
}

/// One finding about the input, as precise as the input allows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Path relative to the project root, with `/` separators.
    pub file: String,
    pub line: Option<u64>,
    pub column: Option<u64>,
    pub message: String,
}

impl Diagnostic {
    pub fn error(file: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: file.into(),
            line: None,
            column: None,
            message: message.into(),
        }
    }

    pub fn warning(file: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(file, message)
        }
    }

    pub fn at(mut self, line: u64, column: Option<u64>) -> Self {
        self.line = Some(line);
        self.column = column;
        self
    }

    /// Where it is, as `file`, `file:line` or `file:line:column`.
    pub fn location(&self) -> String {
        match (self.line, self.column) {
            (Some(l), Some(c)) => format!("{}:{l}:{c}", self.file),
            (Some(l), None) => format!("{}:{l}", self.file),
            _ => self.file.clone(),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        // A finding about no file (a bad --period) is not given an empty location.
        if self.file.is_empty() && self.line.is_none() {
            write!(f, "{level}: {}", self.message)
        } else {
            write!(f, "{}: {level}: {}", self.location(), self.message)
        }
    }
}

/// Everything that can stop a build.
#[derive(Debug)]
pub enum Error {
    /// The input is wrong; every finding of the run is listed.
    Input(Vec<Diagnostic>),
    /// A file could not be read or written.
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// A template failed to parse or render.
    Template { name: String, source: tera::Error },
    /// The command line asks for something impossible (exit code 2).
    Usage(String),
    /// Anything else, with what Baton was doing.
    Other(String),
}

impl Error {
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    /// The process exit code: 1 for bad input or a failed build, 2 for bad usage.
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Usage(_) => 2,
            _ => 1,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Input(diags) => {
                let errors = diags
                    .iter()
                    .filter(|d| d.severity == Severity::Error)
                    .count();
                for d in diags {
                    writeln!(f, "{d}")?;
                }
                write!(f, "{errors} error(s) in the input")
            }
            Error::Io { path, source } => write!(f, "{}: {source}", path.display()),
            Error::Template { name, source } => {
                write!(f, "template {name}: {source}")?;
                // Tera hides the real cause down the chain.
                let mut cause = std::error::Error::source(source);
                while let Some(c) = cause {
                    write!(f, "\n  reason: {c}")?;
                    cause = c.source();
                }
                Ok(())
            }
            Error::Usage(msg) | Error::Other(msg) => f.write_str(msg),
        }
    }
}

impl std::error::Error for Error {}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The most characters of a cell or a name a message quotes: a 15 MB header line is named by
/// its start and its size, not echoed whole to the terminal, the JSON report and the site.
pub const QUOTED_CHARS: usize = 200;

/// The most characters of a list of input names (a header) a message quotes: enough for the
/// header of a wide real export (a 22-column hand-off export is 268), which is what the
/// reader needs to see.
pub const LIST_CHARS: usize = 2_000;

/// Input text (a header, a cell) for a message: whole up to `max` characters, else its first
/// `max` and `… (N bytes)`. Every message quoting input goes through it or [`quoted`].
pub fn excerpt(text: &str, max: usize) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(max) {
        None => text.into(),
        Some((end, _)) => format!("{}… ({} bytes)", &text[..end], text.len()).into(),
    }
}

/// Input text in quotes, as `{:?}` writes it, capped at [`QUOTED_CHARS`] as [`excerpt`] caps it: `"Acme"`, or
/// `"Acme…" (15728640 bytes)`.
pub fn quoted(text: &str) -> String {
    match text.char_indices().nth(QUOTED_CHARS) {
        None => format!("{text:?}"),
        Some((end, _)) => format!("{:?} ({} bytes)", format!("{}…", &text[..end]), text.len()),
    }
}

/// Text as it may reach a terminal: control characters (C0 but line feed and tab, DEL, C1) and
/// the Unicode bidirectional overrides written as `\u{1b}`, so that a header or file name of
/// an export cannot set the terminal's title, move its cursor or reorder what is shown.
/// Every writer to the terminal (errors, the build summary, progress lines) prints through
/// it; the JSON report escapes them itself.
pub fn terminal(text: &str) -> std::borrow::Cow<'_, str> {
    let unsafe_char = |c: char| {
        (c.is_control() && c != '\n' && c != '\t')
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    };
    if !text.contains(unsafe_char) {
        return text.into();
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if unsafe_char(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    out.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_input_is_capped_at_200_characters() {
        assert_eq!(excerpt("a, b", QUOTED_CHARS), "a, b");
        assert_eq!(quoted("Acme \"24\""), "\"Acme \\\"24\\\"\"");
        let long = "é".repeat(1_000);
        let e = excerpt(&long, QUOTED_CHARS);
        assert_eq!(e, format!("{}… (2000 bytes)", "é".repeat(200)));
        assert_eq!(
            quoted(&long),
            format!("\"{}…\" (2000 bytes)", "é".repeat(200))
        );
    }
}
