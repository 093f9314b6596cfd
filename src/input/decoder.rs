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

/// Decodes an export to UTF-8 while it is read (UTF-8 passes through, any other encoding goes
/// through encoding_rs), refuses a record longer than [`MAX_RECORD_BYTES`] and remembers where
/// records start. Lines and offsets are those of the decoded text, so a UTF-16 export's lines
/// are the ones an editor shows.
pub struct Decoder {
    inner: std::io::BufReader<std::fs::File>,
    encoding: Encoding,
    /// The decoder of a file that is not UTF-8.
    decoding: Option<encoding_rs::Decoder>,
    /// Decoded text not yet handed to the reader, from `taken` on.
    pending: Vec<u8>,
    taken: usize,
    /// The end of the file was decoded.
    finished: bool,
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
    /// A decoder whose first byte is the start of line `line` of the file, in `encoding` (a
    /// byte-order mark at the reader's position is not looked for: see [`open_reader_with`]).
    pub(crate) fn starting_at(
        inner: std::io::BufReader<std::fs::File>,
        encoding: Encoding,
        delimiter: u8,
        line: u64,
    ) -> Self {
        Decoder {
            inner,
            encoding,
            decoding: (encoding != Encoding::UTF_8)
                .then(|| encoding.0.new_decoder_without_bom_handling()),
            pending: Vec::new(),
            taken: 0,
            finished: false,
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
        if self.decoding.is_none() {
            let n = self.inner.read(buf)?;
            self.measure(&buf[..n])?;
            return Ok(n);
        }
        if self.taken == self.pending.len() {
            self.decode_more()?;
        }
        let n = buf.len().min(self.pending.len() - self.taken);
        buf[..n].copy_from_slice(&self.pending[self.taken..self.taken + n]);
        self.taken += n;
        self.measure(&buf[..n])?;
        Ok(n)
    }
}

impl Decoder {
    /// Decodes the next bytes of the file into `pending` (left empty at the end of the file).
    /// A malformed sequence becomes the byte 0xFF, which is never UTF-8: the reader then
    /// rejects the row at that field, on its line, as it rejects invalid UTF-8.
    fn decode_more(&mut self) -> std::io::Result<()> {
        use encoding_rs::DecoderResult;
        use std::io::Read;
        self.pending.clear();
        self.taken = 0;
        let Some(decoder) = self.decoding.as_mut() else {
            return Ok(());
        };
        let mut raw = [0u8; 8192];
        // Until some text comes out or the file ends: a read may end inside a character.
        while self.pending.is_empty() && !self.finished {
            let n = self.inner.read(&mut raw)?;
            let last = n == 0;
            let mut src = &raw[..n];
            loop {
                let room = decoder
                    .max_utf8_buffer_length_without_replacement(src.len())
                    .unwrap_or(4 * src.len())
                    .max(16);
                let start = self.pending.len();
                self.pending.resize(start + room, 0);
                let (result, read, written) = decoder.decode_to_utf8_without_replacement(
                    src,
                    &mut self.pending[start..],
                    last,
                );
                self.pending.truncate(start + written);
                src = &src[read..];
                match result {
                    DecoderResult::InputEmpty => break,
                    DecoderResult::OutputFull => {}
                    DecoderResult::Malformed(..) => self.pending.push(0xFF),
                }
            }
            self.finished = last;
        }
        Ok(())
    }

    /// The encoding the file is read in: the mapping's, or the one its byte-order mark names.
    pub fn encoding(&self) -> Encoding {
        self.encoding
    }
}

/// A text encoding of the WHATWG Encoding Standard, decoded by encoding_rs: any label the
/// standard knows (`utf-8`, `utf-16le`, `windows-1250` to `windows-1258`, `iso-8859-2`,
/// `shift_jis`, `gbk`...). UTF-8 is read as it is, without decoding.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Encoding(&'static encoding_rs::Encoding);

impl Encoding {
    pub const UTF_8: Encoding = Encoding(encoding_rs::UTF_8);

    /// The encoding of `label` (WHATWG labels, ignoring case and surrounding space), or
    /// `None` for a label the standard does not know or maps to its "replacement" encoding
    /// (which decodes nothing).
    pub fn for_label(label: &str) -> Option<Encoding> {
        let e = encoding_rs::Encoding::for_label(label.trim().as_bytes())?;
        (e != encoding_rs::REPLACEMENT).then_some(Encoding(e))
    }

    /// The encoding's canonical name, as the standard spells it (`UTF-16LE`, `windows-1252`).
    pub fn name(self) -> &'static str {
        self.0.name()
    }

    /// The encoding a file starting with `head` is read in: its byte-order mark's (UTF-8,
    /// UTF-16LE or UTF-16BE) over `self`, as the Encoding Standard decodes, with the length of
    /// the mark to skip (0 for UTF-8, whose mark the header reader removes).
    fn with_bom(self, head: &[u8]) -> (Encoding, usize) {
        match encoding_rs::Encoding::for_bom(head) {
            Some((e, _)) if e == encoding_rs::UTF_8 => (Encoding::UTF_8, 0),
            Some((e, len)) => (Encoding(e), len),
            None => (self, 0),
        }
    }
}

impl Default for Encoding {
    fn default() -> Self {
        Encoding::UTF_8
    }
}

impl std::fmt::Debug for Encoding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl<'de> Deserialize<'de> for Encoding {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let label = String::deserialize(d)?;
        // `windows1252` was accepted before labels were the standard's.
        let known = if label.trim().eq_ignore_ascii_case("windows1252") {
            Some(Encoding(encoding_rs::WINDOWS_1252))
        } else {
            Encoding::for_label(&label)
        };
        known.ok_or_else(|| {
            serde::de::Error::custom(format!(
                "unknown encoding `{label}`: use a label of the WHATWG Encoding Standard, such as utf-8, utf-16le, windows-1252, iso-8859-2, shift_jis or gbk"
            ))
        })
    }
}

/// Opens an export for reading: refuses links out of its folder, decodes `encoding` (or the
/// encoding a byte-order mark names), and uses `delimiter` or the one detected from the
/// header line.
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
    use std::io::BufRead;
    super::check_inside(path, display)?;
    let file = std::fs::File::open(path)
        .map_err(|e| Diagnostic::error(display, format!("cannot read: {e}")))?;
    let mut buf = std::io::BufReader::with_capacity(1 << 16, file);
    let cannot = |e: std::io::Error| Diagnostic::error(display, format!("cannot read: {e}"));
    let (encoding, bom) = encoding.with_bom(buf.fill_buf().map_err(cannot)?);
    buf.consume(bom);
    let head = buf.fill_buf().map_err(cannot)?;
    let sniffed = if encoding == Encoding::UTF_8 {
        sniff_delimiter(head)
    } else {
        // A byte of a multi-byte character may be a delimiter's (`|` in Shift_JIS).
        let (text, _) = encoding.0.decode_without_bom_handling(head);
        sniff_delimiter(text.as_bytes())
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
        let mut d = Decoder::starting_at(std::io::BufReader::new(file), Encoding::UTF_8, b',', 1);
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

    /// Every record of `bytes` read as a file through [`open_reader`] in `encoding`, as
    /// (line, cells), or the reason a record could not be read as text.
    fn decoded(bytes: &[u8], encoding: &str) -> Vec<(u64, Result<Vec<String>, String>)> {
        let dir = tempfile::tempdir().expect("tmp");
        let path = dir.path().join("export.csv");
        std::fs::write(&path, bytes).expect("write");
        let encoding = Encoding::for_label(encoding).expect("label");
        let mut rdr = open_reader(&path, "export.csv", None, encoding).expect("open");
        let mut out = Vec::new();
        let header = rdr
            .headers()
            .expect("header")
            .iter()
            .map(str::to_string)
            .collect();
        out.push((1, Ok(header)));
        let mut rec = csv::StringRecord::new();
        loop {
            match rdr.read_record(&mut rec) {
                Ok(false) => return out,
                Ok(true) => {
                    let line = located(&mut rdr, rec.position()).expect("pos").line();
                    out.push((line, Ok(rec.iter().map(str::to_string).collect())));
                }
                Err(e) => {
                    let line = located(&mut rdr, e.position()).expect("pos").line();
                    out.push((line, Err(e.to_string())));
                }
            }
        }
    }

    fn utf16(text: &str, le: bool) -> Vec<u8> {
        let mut out = if le {
            vec![0xFF, 0xFE]
        } else {
            vec![0xFE, 0xFF]
        };
        for u in text.encode_utf16() {
            out.extend_from_slice(&if le { u.to_le_bytes() } else { u.to_be_bytes() });
        }
        out
    }

    /// Issue 21: Excel's "Unicode Text" is UTF-16LE with a BOM, tab-separated, CRLF. It is
    /// read whatever the mapping says (the BOM names it), its tab detected, and its lines are
    /// the editor's, a quoted line break and a blank line included. UTF-16BE likewise.
    #[test]
    fn utf16_with_a_bom_is_read_on_its_lines() {
        let text = "Lead ID\tOwner\r\n00Q5\tRenée\r\n\r\n00Q7\t\"two\r\nlines\"\r\n00Q9\t李\r\n";
        for le in [true, false] {
            let got = decoded(&utf16(text, le), "utf-8");
            let cells = |v: &[&str]| Ok(v.iter().map(|c| c.to_string()).collect::<Vec<_>>());
            assert_eq!(
                got,
                vec![
                    (1, cells(&["Lead ID", "Owner"])),
                    (2, cells(&["00Q5", "Renée"])),
                    (4, cells(&["00Q7", "two\r\nlines"])),
                    (6, cells(&["00Q9", "李"])),
                ],
                "little-endian: {le}"
            );
        }
    }

    /// Any WHATWG label decodes: Windows-1250 (Central European) and Shift_JIS, whose second
    /// byte of ポ is 0x7C, `|`: the delimiter is detected on the decoded text, so it stays `,`.
    #[test]
    fn a_named_encoding_decodes_with_encoding_rs() {
        // 0x8A is Š in Windows-1250; 0xB9 is ą.
        let got = decoded(b"id,name\n1,\x8Aimon\n2,Wr\xB9bel\n", "windows-1250");
        assert_eq!(got[1].1, Ok(vec!["1".to_string(), "Šimon".to_string()]));
        assert_eq!(got[2].1, Ok(vec!["2".to_string(), "Wrąbel".to_string()]));
        // ポ is 0x83 0x7C in Shift_JIS; a header of two such names and one comma.
        let got = decoded(b"\x83\x7C\x83\x7C,id|x\n\x83\x7C,1\n", "shift_jis");
        assert_eq!(got[0].1, Ok(vec!["ポポ".to_string(), "id|x".to_string()]));
        assert_eq!(got[1], (2, Ok(vec!["ポ".to_string(), "1".to_string()])));
    }

    /// A byte that is not text in the named encoding fails its record only, on its line, as
    /// invalid UTF-8 does; the next record reads.
    #[test]
    fn a_malformed_sequence_fails_its_record_on_its_line() {
        // 0x81 0x20 is not Shift_JIS (0x20 cannot be a trail byte).
        let got = decoded(b"id,name\r\n1,ok\r\n2,\x81 bad\r\n3,fine\r\n", "shift_jis");
        assert_eq!(got[2].0, 3);
        assert!(got[2].1.is_err(), "{got:?}");
        assert_eq!(got[3], (4, Ok(vec!["3".to_string(), "fine".to_string()])));
    }

    /// Labels are the standard's (ignoring case and space); an unknown one and the
    /// "replacement" encoding's labels are refused.
    #[test]
    fn labels_are_the_whatwg_ones() {
        assert_eq!(
            Encoding::for_label(" Latin1 ").map(Encoding::name),
            Some("windows-1252")
        );
        assert_eq!(
            Encoding::for_label("cp1250").map(Encoding::name),
            Some("windows-1250")
        );
        assert_eq!(
            Encoding::for_label("sjis").map(Encoding::name),
            Some("Shift_JIS")
        );
        assert_eq!(
            Encoding::for_label("utf-16").map(Encoding::name),
            Some("UTF-16LE")
        );
        assert_eq!(Encoding::for_label("iso-2022-kr"), None);
        assert_eq!(Encoding::for_label("ebcdic"), None);
    }
}
