//! LZO1X decompression (as SquashFS and JFFS2 use it), bounds-checked, output at most `max`.

use crate::error::Error;

const F: &str = "lzo";

struct Lzo<'a> {
    input: &'a [u8],
    ip: usize,
    out: Vec<u8>,
    max: usize,
}

impl Lzo<'_> {
    fn byte(&mut self) -> Result<usize, Error> {
        let b = *self
            .input
            .get(self.ip)
            .ok_or_else(|| Error::truncated(F, "input ends inside a block"))?;
        self.ip += 1;
        Ok(b as usize)
    }

    /// A run length with zero-byte extensions, `base` added.
    fn length(&mut self, base: usize) -> Result<usize, Error> {
        let mut t = 0usize;
        loop {
            let b = self.byte()?;
            if b != 0 {
                return Ok(t + base + b);
            }
            t += 255;
            if t > self.max {
                return Err(Error::corrupt(F, "run length past the block size"));
            }
        }
    }

    fn literals(&mut self, n: usize) -> Result<(), Error> {
        let end = self.ip.checked_add(n).filter(|&e| e <= self.input.len());
        let end = end.ok_or_else(|| Error::truncated(F, "literal run past the input"))?;
        if self.out.len() + n > self.max {
            return Err(Error::corrupt(F, "output past the block size"));
        }
        self.out.extend_from_slice(&self.input[self.ip..end]);
        self.ip = end;
        Ok(())
    }

    fn copy(&mut self, back: usize, n: usize) -> Result<(), Error> {
        if back == 0 || back > self.out.len() {
            return Err(Error::corrupt(F, "match distance before the start of the output"));
        }
        if self.out.len() + n > self.max {
            return Err(Error::corrupt(F, "output past the block size"));
        }
        let start = self.out.len() - back;
        for i in 0..n {
            let b = self.out[start + i];
            self.out.push(b);
        }
        Ok(())
    }

    fn last_state(&self) -> usize {
        self.input
            .get(self.ip.wrapping_sub(2))
            .map_or(0, |b| (*b & 3) as usize)
    }

    fn run(&mut self) -> Result<(), Error> {
        let mut t;
        // `pending`: a match opcode already read (skip the literal stage).
        let mut pending: Option<usize> = None;
        let first = *self
            .input
            .first()
            .ok_or_else(|| Error::truncated(F, "empty block"))?;
        if first > 17 {
            self.ip = 1;
            t = first as usize - 17;
            if t < 4 {
                self.literals(t)?;
                pending = Some(self.byte()?);
            } else {
                self.literals(t)?;
                let n = self.byte()?;
                if n >= 16 {
                    pending = Some(n);
                } else {
                    let d = self.byte()?;
                    self.copy(1 + 0x0800 + (n >> 2) + (d << 2), 3)?;
                    pending = self.after_match()?;
                }
            }
        }
        loop {
            if pending.is_none() {
                t = self.byte()?;
                if t < 16 {
                    if t == 0 {
                        t = self.length(15)?;
                    }
                    self.literals(t + 3)?;
                    let n = self.byte()?;
                    if n < 16 {
                        let d = self.byte()?;
                        self.copy(1 + 0x0800 + (n >> 2) + (d << 2), 3)?;
                        pending = self.after_match()?;
                        continue;
                    }
                    pending = Some(n);
                } else {
                    pending = Some(t);
                }
            }
            // Matches, chained while the state bits ask for more.
            while let Some(op) = pending.take() {
                let mut t = op;
                if t >= 64 {
                    let d = self.byte()?;
                    self.copy(1 + ((t >> 2) & 7) + (d << 3), (t >> 5) + 1)?;
                } else if t >= 32 {
                    t &= 31;
                    if t == 0 {
                        t = self.length(31)?;
                    }
                    let lo = self.byte()?;
                    let hi = self.byte()?;
                    self.copy(1 + (lo >> 2) + (hi << 6), t + 2)?;
                } else if t >= 16 {
                    let mut back = (t & 8) << 11;
                    t &= 7;
                    if t == 0 {
                        t = self.length(7)?;
                    }
                    let lo = self.byte()?;
                    let hi = self.byte()?;
                    back += (lo >> 2) + (hi << 6);
                    if back == 0 {
                        return Ok(());
                    }
                    self.copy(back + 0x4000, t + 2)?;
                } else {
                    let d = self.byte()?;
                    self.copy(1 + (t >> 2) + (d << 2), 2)?;
                }
                pending = self.after_match()?;
            }
        }
    }

    /// After a match: up to three literals, then the next opcode is a match (`Some`), or none.
    fn after_match(&mut self) -> Result<Option<usize>, Error> {
        let t = self.last_state();
        if t == 0 {
            return Ok(None);
        }
        self.literals(t)?;
        Ok(Some(self.byte()?))
    }
}

/// Decompresses one LZO1X block into at most `max` bytes.
pub fn decompress(input: &[u8], max: usize) -> Result<Vec<u8>, Error> {
    let mut l = Lzo {
        input,
        ip: 0,
        out: Vec::with_capacity(max.min(1 << 20)),
        max,
    };
    l.run()?;
    Ok(l.out)
}
