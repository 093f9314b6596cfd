//! A streaming CSV writer for the generator: rows are formatted into one reused buffer and
//! written out in large blocks, so millions of rows cost no allocation per row.
//!
//! Fields are quoted as RFC 4180 asks, only when they hold a comma, a quote or a line break.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::Error;

/// Buffered bytes before a write to the file.
const BLOCK: usize = 1 << 20;

pub struct CsvOut {
    path: PathBuf,
    file: File,
    buf: Vec<u8>,
    /// Whether the current row already has a field (a comma is due before the next).
    in_row: bool,
    rows: u64,
    bytes: u64,
}

impl CsvOut {
    /// Creates `path` and writes the header row.
    pub fn create(path: &Path, header: &[&str]) -> Result<CsvOut, Error> {
        let file = File::create(path).map_err(|e| Error::io(path, e))?;
        let mut out = CsvOut {
            path: path.to_path_buf(),
            file,
            buf: Vec::with_capacity(BLOCK + 4096),
            in_row: false,
            rows: 0,
            bytes: 0,
        };
        for h in header {
            out.text(h);
        }
        out.in_row = false;
        out.buf.push(b'\n');
        Ok(out)
    }

    fn sep(&mut self) {
        if self.in_row {
            self.buf.push(b',');
        }
        self.in_row = true;
    }

    /// A field that never needs quoting (ids, fixed words, numbers); the caller guarantees it.
    pub fn raw(&mut self, s: &[u8]) {
        self.sep();
        self.buf.extend_from_slice(s);
    }

    /// A free-text field, quoted when needed.
    pub fn text(&mut self, s: &str) {
        self.sep();
        if s.contains([',', '"', '\n', '\r']) {
            self.buf.push(b'"');
            for b in s.bytes() {
                if b == b'"' {
                    self.buf.push(b'"');
                }
                self.buf.push(b);
            }
            self.buf.push(b'"');
        } else {
            self.buf.extend_from_slice(s.as_bytes());
        }
    }

    /// An empty field.
    pub fn empty(&mut self) {
        self.sep();
    }

    /// A field formatted in place by `f` (timestamps, dates, numbers): never quoted.
    pub fn with(&mut self, f: impl FnOnce(&mut Vec<u8>)) {
        self.sep();
        f(&mut self.buf);
    }

    /// An unsigned number.
    pub fn num(&mut self, v: u64) {
        self.sep();
        push_u64(&mut self.buf, v);
    }

    /// An amount in cents as a plain decimal with two places, e.g. `24500.00`.
    pub fn cents(&mut self, v: u64) {
        self.sep();
        push_cents(&mut self.buf, v);
    }

    /// Ends the row; writes the buffer out when it is full.
    pub fn end_row(&mut self) -> Result<(), Error> {
        self.buf.push(b'\n');
        self.in_row = false;
        self.rows += 1;
        if self.buf.len() >= BLOCK {
            self.flush_buf()?;
        }
        Ok(())
    }

    fn flush_buf(&mut self) -> Result<(), Error> {
        self.file
            .write_all(&self.buf)
            .map_err(|e| Error::io(&self.path, e))?;
        self.bytes += self.buf.len() as u64;
        self.buf.clear();
        Ok(())
    }

    /// Writes what is left and returns (data rows, bytes).
    pub fn finish(mut self) -> Result<(u64, u64), Error> {
        self.flush_buf()?;
        self.file.flush().map_err(|e| Error::io(&self.path, e))?;
        Ok((self.rows, self.bytes))
    }
}

/// Appends the decimal digits of `v`.
pub fn push_u64(buf: &mut Vec<u8>, mut v: u64) {
    let mut tmp = [0u8; 20];
    let mut i = tmp.len();
    loop {
        i -= 1;
        tmp[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    buf.extend_from_slice(&tmp[i..]);
}

/// Appends cents as `units.cc`.
pub fn push_cents(buf: &mut Vec<u8>, v: u64) {
    push_u64(buf, v / 100);
    buf.push(b'.');
    buf.push(b'0' + (v % 100 / 10) as u8);
    buf.push(b'0' + (v % 10) as u8);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_only_when_needed_and_reads_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.csv");
        let mut out = CsvOut::create(&path, &["a", "b", "c", "d"]).unwrap();
        out.text("Smith, Jones & Partners");
        out.text("Kate's \"Good Eats\" Catering");
        out.cents(2_450_005);
        out.empty();
        out.end_row().unwrap();
        let (rows, bytes) = out.finish().unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(
            text,
            "a,b,c,d\n\"Smith, Jones & Partners\",\"Kate's \"\"Good Eats\"\" Catering\",24500.05,\n"
        );
        assert_eq!((rows, bytes), (1, text.len() as u64));
        let mut r = csv::Reader::from_path(&path).unwrap();
        let rec = r.records().next().unwrap().unwrap();
        assert_eq!(&rec[0], "Smith, Jones & Partners");
        assert_eq!(&rec[1], "Kate's \"Good Eats\" Catering");
        assert_eq!(&rec[2], "24500.05");
        assert_eq!(&rec[3], "");
    }
}
