//! What every CSV reader of Baton reads through: the export decoded to UTF-8, each record's
//! length bounded, and where each record really starts.
//!
//! The decoder follows the CSV grammar as the csv crate reads it (quote `"`, doubled inside a
//! quoted cell, `\r` and `\n` ending records, empty lines skipped): a quote opens a quoted cell
//! only where a cell starts, and inside an unquoted cell (`Acme 24" Displays`) it is a
//! literal character. It must agree with the parser byte for byte, or a stray quote would be
//! read as opening a cell that never closes and, 16 MiB later in a large export, stop reading
//! with the wrong line (issue 17).

use std::collections::VecDeque;
use std::path::Path;

use serde::Deserialize;

use crate::error::Diagnostic;

/// The longest record Baton reads (a hostile 100 MB cell ends in an error, not in memory).
pub const MAX_RECORD_BYTES: u64 = 16 * 1024 * 1024;

/// How many record starts the decoder keeps for [`located`]. The csv reader reads ahead by its
/// buffer (8 KiB) and a record is at least two bytes, so at most 4,096 starts are ahead of it;
/// older ones were asked for already, or never will be (a reader that does not ask).
const KEPT_STARTS: usize = 1 << 14;

/// Where the decoder is in the grammar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    /// Between records: line ends are skipped, any other byte starts a record.
    Between,
    /// In a record, outside quotes: a quote opens a cell only right after a delimiter.
    Unquoted,
    /// In a quoted cell.
    Quoted,
    /// Right after a quote in a quoted cell: another quote is a literal one, anything else
    /// closes the cell (what follows, up to the delimiter, is unquoted text).
    AfterQuote,
}

/// The error that stops reading a record longer than [`MAX_RECORD_BYTES`], with the line to
/// blame: where the quote that is still open opened, or where the record started.
#[derive(Debug)]
pub struct TooLong {
    pub line: u64,
    message: String,
}

impl std::fmt::Display for TooLong {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for TooLong {}

/// Decodes an export to UTF-8 while it is read (UTF-8 passes through, Windows-1252 is mapped),
/// refuses a record longer than [`MAX_RECORD_BYTES`] and remembers where records start.
pub struct Decoder {
    inner: std::io::BufReader<std::fs::File>,
    encoding: Encoding,
    pending: Vec<u8>,
    delimiter: u8,
    place: Place,
    /// The last byte measured, to tell whether a quote follows a delimiter across reads.
    prev: u8,
    /// Offset in the decoded text of the next byte to measure, from the decoder's start.
    offset: u64,
    line: u64,
    /// The current record's start: (offset, line).
    record: (u64, u64),
    /// The line of the quote that opened the current quoted cell.
    quote_line: u64,
    /// Record starts (offset, line) the reader may still ask for, oldest first.
    starts: VecDeque<(u64, u64)>,
    limit: u64,
}

impl Decoder {
    /// A decoder whose first byte is the start of line `line` of the file.
    pub(crate) fn starting_at(
        inner: std::io::BufReader<std::fs::File>,
        encoding: Encoding,
        delimiter: u8,
        line: u64,
    ) -> Self {
        Decoder {
            inner,
            encoding,
            pending: Vec::new(),
            delimiter,
            place: Place::Between,
            prev: b'\n',
            offset: 0,
            line,
            record: (0, line),
            quote_line: line,
            starts: VecDeque::new(),
            limit: MAX_RECORD_BYTES,
        }
    }

    /// Follows `bytes` through the grammar: lines, record starts and the current record's
    /// length, an error once it is too long. It jumps from one quote or line end to the next
    /// (memchr): a plain cell costs nothing, a quoted note of 300 bytes two steps.
    fn measure(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        let mut i = 0;
        while i < bytes.len() {
            match self.place {
                Place::Between => {
                    let b = bytes[i];
                    if b == b'\n' || b == b'\r' {
                        self.line += u64::from(b == b'\n');
                        i += 1;
                        continue;
                    }
                    self.record = (self.offset + i as u64, self.line);
                    if self.starts.len() == KEPT_STARTS {
                        self.starts.pop_front();
                    }
                    self.starts.push_back(self.record);
                    self.place = Place::Unquoted;
                    if b == b'"' {
                        self.place = Place::Quoted;
                        self.quote_line = self.line;
                        i += 1;
                    }
                }
                Place::Unquoted => match memchr::memchr3(b'"', b'\n', b'\r', &bytes[i..]) {
                    None => i = bytes.len(),
                    Some(k) => {
                        let at = i + k;
                        match bytes[at] {
                            b'"' => {
                                let before = if at == 0 { self.prev } else { bytes[at - 1] };
                                if before == self.delimiter {
                                    self.place = Place::Quoted;
                                    self.quote_line = self.line;
                                }
                            }
                            end => {
                                self.line += u64::from(end == b'\n');
                                self.place = Place::Between;
                            }
                        }
                        i = at + 1;
                    }
                },
                Place::Quoted => match memchr::memchr2(b'"', b'\n', &bytes[i..]) {
                    None => i = bytes.len(),
                    Some(k) => {
                        let at = i + k;
                        if bytes[at] == b'\n' {
                            self.line += 1;
                        } else {
                            self.place = Place::AfterQuote;
                        }
                        i = at + 1;
                    }
                },
                Place::AfterQuote => {
                    if bytes[i] == b'"' {
                        self.place = Place::Quoted;
                        i += 1;
                    } else {
                        // Read again as unquoted text: a delimiter, a line end or more text.
                        self.place = Place::Unquoted;
                    }
                }
            }
            self.check_length(self.offset + i as u64)?;
        }
        if let Some(&last) = bytes.last() {
            self.prev = last;
        }
        self.offset += bytes.len() as u64;
        Ok(())
    }

    /// An error when the record has grown past the limit by offset `at`.
    fn check_length(&self, at: u64) -> std::io::Result<()> {
        if self.place == Place::Between || at - self.record.0 <= self.limit {
            return Ok(());
        }
        let mib = self.limit / (1024 * 1024);
        let too_long = match self.place {
            Place::Quoted | Place::AfterQuote => TooLong {
                line: self.quote_line,
                message: format!(
                    "a quoted cell opened on line {} is still open {mib} MiB later, on line {}: is a quote left open?",
                    self.quote_line, self.line
                ),
            },
            _ => TooLong {
                line: self.record.1,
                message: format!(
                    "the record starting on line {} is longer than {mib} MiB",
                    self.record.1
                ),
            },
        };
        Err(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            too_long,
        ))
    }

    /// Where the record whose csv position is `byte` really starts, as (offset, line): the
    /// first record start at or after it. The csv reader's position is where the previous
    /// record ended, before the empty lines and the `\n` of a `\r\n` between them, so its
    /// line is one short after every `\r\n`.
    fn start_from(&mut self, byte: u64) -> Option<(u64, u64)> {
        while self.starts.front().is_some_and(|s| s.0 < byte) {
            self.starts.pop_front();
        }
        self.starts.front().copied()
    }
}

/// The true position of a record (or error) that `rdr` gave position `pos`: where its first
/// byte is, on the physical line an editor shows. Use it for every record read through a
/// [`Decoder`], so that a line is the same whatever reads it (see [`Decoder::start_from`]).
pub fn located(
    rdr: &mut csv::Reader<Decoder>,
    pos: Option<&csv::Position>,
) -> Option<csv::Position> {
    let mut pos = pos?.clone();
    if let Some((byte, line)) = rdr.get_mut().start_from(pos.byte()) {
        pos.set_byte(byte).set_line(line);
    }
    Some(pos)
}

impl std::io::Read for Decoder {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.encoding == Encoding::Utf8 {
            let n = self.inner.read(buf)?;
            self.measure(&buf[..n])?;
            return Ok(n);
        }
        if self.pending.is_empty() {
            let mut raw = [0u8; 8192];
            let n = self.inner.read(&mut raw)?;
            if n == 0 {
                return Ok(0);
            }
            for &b in &raw[..n] {
                let ch = windows_1252(b);
                let mut tmp = [0u8; 4];
                self.pending
                    .extend_from_slice(ch.encode_utf8(&mut tmp).as_bytes());
            }
        }
        let n = buf.len().min(self.pending.len());
        buf[..n].copy_from_slice(&self.pending[..n]);
        self.pending.drain(..n);
        self.measure(&buf[..n])?;
        Ok(n)
    }
}

/// One Windows-1252 byte as a char (the five undefined bytes map to their C1 controls).
pub fn windows_1252(b: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž',
        '\u{8f}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}',
        'ž', 'Ÿ',
    ];
    match b {
        0x80..=0x9f => HIGH[(b - 0x80) as usize],
        _ => b as char,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Encoding {
    #[default]
    #[serde(rename = "utf-8", alias = "utf8")]
    Utf8,
    #[serde(rename = "windows-1252", alias = "cp1252", alias = "windows1252")]
    Windows1252,
}

/// Opens an export for reading: refuses links out of its folder, decodes `encoding`, and
/// uses `delimiter` or the one detected from the header line.
pub(crate) fn open_reader(
    path: &Path,
    display: &str,
    delimiter: Option<u8>,
    encoding: Encoding,
) -> Result<csv::Reader<Decoder>, Diagnostic> {
    open_reader_with(path, display, delimiter, encoding).map(|(r, _)| r)
}

/// [`open_reader`], also telling the delimiter it uses.
pub(crate) fn open_reader_with(
    path: &Path,
    display: &str,
    delimiter: Option<u8>,
    encoding: Encoding,
) -> Result<(csv::Reader<Decoder>, u8), Diagnostic> {
    super::check_inside(path, display)?;
    let file = std::fs::File::open(path)
        .map_err(|e| Diagnostic::error(display, format!("cannot read: {e}")))?;
    let mut buf = std::io::BufReader::with_capacity(1 << 16, file);
    let sniffed = {
        use std::io::BufRead;
        let head = buf
            .fill_buf()
            .map_err(|e| Diagnostic::error(display, format!("cannot read: {e}")))?;
        sniff_delimiter(head)
    };
    let delimiter = delimiter.unwrap_or(sniffed);
    let reader = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(true)
        .delimiter(delimiter)
        .from_reader(Decoder::starting_at(buf, encoding, delimiter, 1));
    Ok((reader, delimiter))
}

/// The most frequent of `,` `;` tab `|` on the first line (`,` when none).
pub(crate) fn sniff_delimiter(head: &[u8]) -> u8 {
    let line = head.split(|b| *b == b'\n').next().unwrap_or(head);
    let mut best = (0, b',');
    for d in [b',', b';', b'\t', b'|'] {
        let n = line.iter().filter(|b| **b == d).count();
        if n > best.0 {
            best = (n, d);
        }
    }
    best.1
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A csv reader of `bytes` through a decoder refusing records over `limit` bytes.
    fn reader(dir: &std::path::Path, bytes: &[u8], limit: u64) -> csv::Reader<Decoder> {
        let path = dir.join("export.csv");
        std::fs::write(&path, bytes).expect("write");
        let file = std::fs::File::open(&path).expect("open");
        let mut d = Decoder::starting_at(std::io::BufReader::new(file), Encoding::Utf8, b',', 1);
        d.limit = limit;
        csv::ReaderBuilder::new()
            .flexible(true)
            .has_headers(false)
            .from_reader(d)
    }

    /// Every record's (byte, line) as [`located`] gives it, or the error that stopped reading.
    fn positions(rdr: &mut csv::Reader<Decoder>) -> Result<Vec<(u64, u64)>, TooLong> {
        let mut rec = csv::ByteRecord::new();
        let mut out = Vec::new();
        loop {
            match rdr.read_byte_record(&mut rec) {
                Ok(false) => return Ok(out),
                Ok(true) => {
                    let p = located(rdr, rec.position()).expect("position");
                    out.push((p.byte(), p.line()));
                }
                Err(e) => match e.into_kind() {
                    csv::ErrorKind::Io(io) => {
                        let inner = io.into_inner().expect("inner");
                        return Err(*inner.downcast::<TooLong>().expect("too long"));
                    }
                    other => panic!("{other:?}"),
                },
            }
        }
    }

    /// Where csv's records really start, from the bytes: the first byte that is not a line
    /// end at or after csv's own position, on the line of that byte.
    fn true_starts(bytes: &[u8]) -> Vec<(u64, u64)> {
        let mut rdr = csv::ReaderBuilder::new()
            .flexible(true)
            .has_headers(false)
            .from_reader(bytes);
        let mut rec = csv::ByteRecord::new();
        let mut out = Vec::new();
        while rdr.read_byte_record(&mut rec).expect("read") {
            let mut at = rec.position().expect("position").byte() as usize;
            while matches!(bytes.get(at), Some(b'\r' | b'\n')) {
                at += 1;
            }
            let line = 1 + bytes[..at].iter().filter(|b| **b == b'\n').count() as u64;
            out.push((at as u64, line));
        }
        out
    }

    /// The decoder's grammar is csv's: on random text of quotes, delimiters and line ends,
    /// every record starts where csv starts it, on its physical line.
    #[test]
    fn record_starts_agree_with_the_csv_parser() {
        let dir = tempfile::tempdir().expect("tmp");
        let mut rng = crate::generate::rng::Rng::new(0x5851_f42d_4c95_7f2d_u64, 0);
        let alphabet = b"a,\"\n\r \"a";
        for _ in 0..1_000 {
            let len = rng.below(40) as usize;
            let bytes: Vec<u8> = (0..len)
                .map(|_| alphabet[rng.below(alphabet.len() as u64) as usize])
                .collect();
            let mut rdr = reader(dir.path(), &bytes, MAX_RECORD_BYTES);
            let got = positions(&mut rdr).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(
                got,
                true_starts(&bytes),
                "{:?}",
                String::from_utf8_lossy(&bytes)
            );
        }
    }

    /// Issue 17: `Acme 24" Displays` is a cell with a quote in it, in a file of any size; it
    /// used to open a quote that never closed, and a large export stopped at the limit.
    #[test]
    fn a_quote_inside_an_unquoted_cell_is_a_character() {
        let dir = tempfile::tempdir().expect("tmp");
        let mut bytes = b"id,name,note\r\n1,Acme 24\" Displays,x\r\n".to_vec();
        for i in 0..2_000 {
            bytes.extend_from_slice(format!("{i},\"Quoted, \"\"fine\"\"\",y\"z\r\n").as_bytes());
        }
        let mut rdr = reader(dir.path(), &bytes, 1_000);
        let got = positions(&mut rdr).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(got.len(), 2_002);
        assert_eq!(got, true_starts(&bytes));
        assert_eq!(got[2_001].1, 2_002);
    }

    /// A quoted cell that never closes is blamed on the line where its quote opened, and a
    /// long record without quotes on the line where it starts.
    #[test]
    fn a_record_too_long_names_the_line_of_its_open_quote() {
        let dir = tempfile::tempdir().expect("tmp");
        let mut bytes = b"id,note\n1,plain\n\n2,\"open\n".to_vec();
        for _ in 0..100 {
            bytes.extend_from_slice(b"3,more text that is quoted\n");
        }
        let mut rdr = reader(dir.path(), &bytes, 1_000);
        let e = positions(&mut rdr).expect_err("too long");
        assert_eq!(e.line, 4, "{e}");
        assert!(
            e.message
                .starts_with("a quoted cell opened on line 4 is still open"),
            "{e}"
        );

        let mut long = b"id,note\n1,plain\n2,".to_vec();
        long.extend(std::iter::repeat_n(b'x', 2_000));
        let mut rdr = reader(dir.path(), &long, 1_000);
        let e = positions(&mut rdr).expect_err("too long");
        assert_eq!(e.line, 3, "{e}");
    }
}
