//! ELF metadata a detector uses: the SONAME, `.comment` and `.note.package` (the systemd
//! package-metadata note, JSON). 32/64-bit, either byte order; every offset bounds-checked.

/// What an ELF file says about itself.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ElfInfo {
    /// `DT_SONAME`.
    pub soname: Option<String>,
    /// The `.comment` strings (compilers and linkers).
    pub comment: Vec<String>,
    /// The `.note.package` JSON and its file offset.
    pub package_note: Option<(u64, String)>,
    /// The machine (`e_machine`).
    pub machine: u16,
}

struct Reader<'a> {
    d: &'a [u8],
    le: bool,
    wide: bool,
}

impl Reader<'_> {
    fn u16(&self, at: usize) -> Option<u16> {
        let b: [u8; 2] = self.d.get(at..at + 2)?.try_into().ok()?;
        Some(if self.le {
            u16::from_le_bytes(b)
        } else {
            u16::from_be_bytes(b)
        })
    }
    fn u32(&self, at: usize) -> Option<u32> {
        let b: [u8; 4] = self.d.get(at..at + 4)?.try_into().ok()?;
        Some(if self.le {
            u32::from_le_bytes(b)
        } else {
            u32::from_be_bytes(b)
        })
    }
    fn u64(&self, at: usize) -> Option<u64> {
        let b: [u8; 8] = self.d.get(at..at + 8)?.try_into().ok()?;
        Some(if self.le {
            u64::from_le_bytes(b)
        } else {
            u64::from_be_bytes(b)
        })
    }
    fn word(&self, at: usize) -> Option<u64> {
        if self.wide {
            self.u64(at)
        } else {
            self.u32(at).map(u64::from)
        }
    }
}

struct Section {
    name: u32,
    kind: u32,
    offset: usize,
    size: usize,
    link: u32,
}

fn cstr_at(d: &[u8], at: usize) -> Option<String> {
    let rest = d.get(at..)?;
    let n = rest.iter().take(4096).position(|&b| b == 0)?;
    Some(String::from_utf8_lossy(&rest[..n]).into_owned())
}

/// Reads the metadata of the ELF file `d`; `None` when it is not ELF or its tables are broken.
pub fn read(d: &[u8]) -> Option<ElfInfo> {
    if !d.starts_with(b"\x7fELF") {
        return None;
    }
    let wide = *d.get(4)? == 2;
    let le = *d.get(5)? == 1;
    let r = Reader { d, le, wide };
    let machine = r.u16(18)?;
    let (shoff, shentsize, shnum, shstrndx) = if wide {
        (
            r.u64(0x28)? as usize,
            r.u16(0x3a)? as usize,
            r.u16(0x3c)? as usize,
            r.u16(0x3e)? as usize,
        )
    } else {
        (
            r.u32(0x20)? as usize,
            r.u16(0x2e)? as usize,
            r.u16(0x30)? as usize,
            r.u16(0x32)? as usize,
        )
    };
    let mut info = ElfInfo {
        machine,
        ..ElfInfo::default()
    };
    if shoff == 0 || shnum == 0 || shentsize < if wide { 64 } else { 40 } || shnum > 4096 {
        return Some(info);
    }
    let mut sections = Vec::with_capacity(shnum);
    for i in 0..shnum {
        let s = shoff.checked_add(i.checked_mul(shentsize)?)?;
        let sec = if wide {
            Section {
                name: r.u32(s)?,
                kind: r.u32(s + 4)?,
                offset: r.u64(s + 0x18)? as usize,
                size: r.u64(s + 0x20)? as usize,
                link: r.u32(s + 0x28)?,
            }
        } else {
            Section {
                name: r.u32(s)?,
                kind: r.u32(s + 4)?,
                offset: r.u32(s + 0x10)? as usize,
                size: r.u32(s + 0x14)? as usize,
                link: r.u32(s + 0x18)?,
            }
        };
        sections.push(sec);
    }
    let body = |s: &Section| d.get(s.offset..s.offset.checked_add(s.size)?);
    let names = sections.get(shstrndx).and_then(body).unwrap_or_default();
    for s in &sections {
        let name = cstr_at(names, s.name as usize).unwrap_or_default();
        match (s.kind, name.as_str()) {
            (6, _) => {
                // SHT_DYNAMIC: DT_SONAME (14) indexes the linked string table.
                let Some(dynamic) = body(s) else { continue };
                let Some(strtab) = sections.get(s.link as usize).and_then(body) else {
                    continue;
                };
                let step = if wide { 16 } else { 8 };
                for e in (0..dynamic.len() / step).map(|i| i * step) {
                    let (Some(tag), Some(val)) = (r.word(s.offset + e), r.word(s.offset + e + step / 2))
                    else {
                        break;
                    };
                    if tag == 0 {
                        break;
                    }
                    if tag == 14 {
                        info.soname = cstr_at(strtab, val as usize);
                    }
                }
            }
            (_, ".comment") => {
                if let Some(b) = body(s) {
                    for part in b.split(|&c| c == 0).filter(|p| !p.is_empty()).take(16) {
                        let t = String::from_utf8_lossy(part).into_owned();
                        if !info.comment.contains(&t) {
                            info.comment.push(t);
                        }
                    }
                }
            }
            (_, ".note.package") => {
                let Some(b) = body(s) else { continue };
                let (Some(namesz), Some(descsz)) = (r.u32(s.offset), r.u32(s.offset + 4)) else {
                    continue;
                };
                let desc_at = 12 + (namesz as usize).div_ceil(4) * 4;
                if let Some(desc) = b.get(desc_at..desc_at + descsz as usize) {
                    let text = String::from_utf8_lossy(crate::formats::cstr(desc)).into_owned();
                    info.package_note = Some(((s.offset + desc_at) as u64, text));
                }
            }
            _ => {}
        }
    }
    Some(info)
}
