//! Unit tests of the store file: header, preamble and chunk checks.

use super::*;

fn header() -> Header {
    Header {
        id: "sha256:x".into(),
        roots: vec!["/r".into()],
        started: (0, 0),
        files: Vec::new(),
        skipped: Vec::new(),
        blocks: Vec::new(),
        chunks: Vec::new(),
    }
}

#[test]
fn round_trip_and_every_damage_is_caught() -> Result<(), StoreError> {
    let dir = tempfile::tempdir().map_err(|e| StoreError::io(Path::new("tmp"), "tempdir", &e))?;
    let mut h = header();
    let recs: Vec<Records> = (0..20)
        .map(|i| Records::Epss {
            date: Some(format!("d{i}")),
            rows: Vec::new(),
        })
        .collect();
    let data: Vec<BlockBytes<'_>> = recs
        .iter()
        .map(|r| encode(r).map(Cow::Owned))
        .collect::<Result<_, _>>()?;
    for i in 0..20 {
        h.blocks.push(BlockEntry {
            sha256: format!("{i:02}"),
            name: format!("f{i}"),
            format: "epss".into(),
            records: 0,
            meta: None,
            offset: 0,
            len: 0,
            lookup: LookupRec::default(),
        });
    }
    write(dir.path(), h, &data)?;
    let store = StoreFile::read(dir.path())?.ok_or_else(|| StoreError::new(ErrorKind::Io, "missing"))?;
    assert_eq!(store.decode()?, recs);
    let (_, loaded) = load(dir.path(), 2)?.ok_or_else(|| StoreError::new(ErrorKind::Io, "missing"))?;
    assert_eq!(loaded, recs);
    assert!(store.header.chunks.len() > 1);

    let bytes =
        fs::read(dir.path().join(SNAPSHOT_BIN)).map_err(|e| StoreError::io(dir.path(), "read", &e))?;
    // Flip each byte in turn (and cut the file at each length): never a panic, never success
    // with different content.
    for i in 0..bytes.len() {
        let mut b = bytes.clone();
        b[i] ^= 0x5a;
        let r = StoreFile::from_bytes(PathBuf::from("s"), b).and_then(|s| s.decode());
        match r {
            Err(e) => assert!(matches!(e.kind, ErrorKind::Corrupt | ErrorKind::Version), "{e}"),
            Ok(d) => panic!("byte {i} flipped and still decoded: {d:?}"),
        }
        let cut = StoreFile::from_bytes(PathBuf::from("s"), bytes[..i].to_vec()).and_then(|s| s.decode());
        assert!(cut.is_err(), "cut at {i} still decoded");
    }
    Ok(())
}

#[test]
fn hostile_blocks_with_valid_digests_fail_cleanly() -> Result<(), StoreError> {
    // Someone who edits a store can recompute its checksums, so the decoder must take any
    // bytes: mutate a real block (two CISA advisories) thousands of times and
    // decode each; errors are fine, panics and runaway allocations are not.
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for (name, bytes) in crate::bundled::FILES.iter().skip(1).take(2) {
        let crate::records::Outcome::Parsed(p) = crate::records::parse(Path::new(name), name, bytes)? else {
            continue;
        };
        let good = encode(&p.records)?;
        let back = postcard::from_bytes::<RecordsRec>(&good)
            .ok()
            .map(RecordsRec::into_records);
        assert_eq!(back, Some(p.records));
        for _ in 0..2000 {
            let mut b = good.clone();
            for _ in 0..=(next() % 4) {
                let at = (next() % b.len() as u64) as usize;
                b[at] = next() as u8;
            }
            if next() % 8 == 0 {
                b.truncate((next() % b.len() as u64) as usize);
            }
            let _ = postcard::from_bytes::<RecordsRec>(&b);
        }
    }
    assert!(postcard::from_bytes::<RecordsRec>(&[0, 0xff, 0xff, 0xff, 0xff, 0x0f]).is_err());
    Ok(())
}
