//! The engine's innermost byte and slice loops, with plain slices in and out (the crate knows
//! nothing of kqlab's types).
//!
//! The web build optimises the engine for size (`opt-level = "z"`), where LLVM's loop
//! vectoriser never runs: a byte loop that moves 16 or 32 bytes per step natively moves one in
//! the browser. Building this crate at opt-level 3 does not change that: Cargo compiles every
//! crate of an LTO build for the linker (`-C linker-plugin-lto`), where LLVM leaves
//! vectorisation to the final link, and that runs at the engine's "z" (measured, BENCHMARKS.md
//! "Where the wasm time goes", point 8). So the loops that matter there have WebAssembly SIMD
//! code of their own (`core::arch::wasm32`, 128-bit vectors), which no opt-level undoes;
//! natively they stay plain loops, which LLVM vectorises at the release profile's level.

/// `src` with ASCII letters lowered (every other byte as it is), written into `out`.
pub fn lower_ascii(src: &[u8], out: &mut Vec<u8>) {
    lower_ascii_checked(src, out);
}

/// Whether any byte of `src` is not ASCII.
pub fn any_non_ascii(src: &[u8]) -> bool {
    src.iter().fold(0u8, |a, &b| a | b) >= 0x80
}

/// [`lower_ascii`] and [`any_non_ascii`] in one pass: lowers `src` into `out` and tells
/// whether any of its bytes is not ASCII. Sixteen bytes per step in WebAssembly SIMD in the web
/// build (see the crate's documentation); natively a byte loop, which LLVM vectorises.
pub fn lower_ascii_checked(src: &[u8], out: &mut Vec<u8>) -> bool {
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    {
        simd128::lower_ascii_checked(src, out)
    }
    #[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
    {
        out.clear();
        out.extend(src.iter().map(|&b| b | (u8::from(b.wrapping_sub(b'A') < 26) << 5)));
        any_non_ascii(src)
    }
}

/// The byte loops above sixteen bytes at a time in WebAssembly SIMD (simd128).
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod simd128 {
    use core::arch::wasm32::*;

    pub fn lower_ascii_checked(src: &[u8], out: &mut Vec<u8>) -> bool {
        out.clear();
        out.reserve(src.len());
        let body = src.len() / 16 * 16;
        let (a, letters, bit) = (u8x16_splat(b'A'), u8x16_splat(26), u8x16_splat(0x20));
        let mut high = u8x16_splat(0);
        let dst = out.as_mut_ptr();
        let mut i = 0;
        while i < body {
            // SAFETY: `i + 16 <= body <= src.len()`, and `out` has room for `src.len()` bytes
            // (reserved above); wasm's vector loads and stores need no alignment.
            unsafe {
                let v = v128_load(src.as_ptr().add(i).cast::<v128>());
                // Upper-case ASCII letters: `v - 'A'` below 26 (unsigned). Their 0x20 bit set.
                let upper = u8x16_lt(u8x16_sub(v, a), letters);
                v128_store(dst.add(i).cast::<v128>(), v128_or(v, v128_and(upper, bit)));
                high = v128_or(high, v);
            }
            i += 16;
        }
        // SAFETY: the first `body` bytes were written above.
        unsafe { out.set_len(body) };
        let mut tail = 0u8;
        for &b in &src[body..] {
            out.push(b | (u8::from(b.wrapping_sub(b'A') < 26) << 5));
            tail |= b;
        }
        u8x16_bitmask(high) != 0 || tail >= 0x80
    }
}

/// Bytes of a dictionary lowered and searched at a time: small enough to stay in the cache
/// between the lowering and the searches.
const SCAN_CHUNK: usize = 1 << 16;

/// The entries of a string dictionary (entry `k` is `bytes[offsets[k]..offsets[k + 1]]`) that
/// contain one of `needles` with ASCII letters compared case-insensitively, and every entry
/// with a non-ASCII byte (where Unicode case rules could matter). Each needle must be
/// non-empty lower-case ASCII; `offsets` starts at 0, never decreases and ends at
/// `bytes.len()`.
///
/// The search runs over the bytes end to end, a chunk at a time: the chunk is lowered, each
/// needle is found with `memchr::memmem` (SIMD), and a hit is mapped to its entry through the
/// offsets. A hit that runs across two entries is skipped and the search goes on one byte
/// later; after a hit inside an entry it resumes at that entry's end.
pub fn dict_candidates(bytes: &[u8], offsets: &[u32], needles: &[&[u8]]) -> Vec<bool> {
    let n = offsets.len().saturating_sub(1);
    let mut hit = vec![false; n];
    if n == 0 {
        return hit;
    }
    let total = bytes.len();
    let finders: Vec<memchr::memmem::Finder<'_>> = needles.iter().map(memchr::memmem::Finder::new).collect();
    let longest = needles.iter().map(|nd| nd.len()).max().unwrap_or(1).max(1);
    let mut buf: Vec<u8> = Vec::with_capacity(SCAN_CHUNK + longest);
    let mut chunk_start = 0;
    // The entry holding byte `chunk_start`: offsets only grow, so a cursor finds entries.
    let mut first_entry = 0usize;
    while chunk_start < total {
        let chunk_end = (chunk_start + SCAN_CHUNK).min(total);
        // Matches starting in the chunk may end up to `longest - 1` bytes past it.
        let view_end = (chunk_end + longest - 1).min(total);
        let src = &bytes[chunk_start..view_end];
        // The flag may count bytes past the chunk (in the overlap with the next one): it only
        // starts the exact scan below, which looks at the chunk's own bytes.
        let non_ascii = lower_ascii_checked(src, &mut buf);
        let own = chunk_end - chunk_start;
        while first_entry + 1 < n && (offsets[first_entry + 1] as usize) <= chunk_start {
            first_entry += 1;
        }
        if non_ascii {
            let mut k = first_entry;
            let mut i = 0;
            while i < own {
                if src[i] >= 0x80 {
                    let pos = chunk_start + i;
                    while (offsets[k + 1] as usize) <= pos {
                        k += 1;
                    }
                    hit[k] = true;
                }
                i += 1;
            }
        }
        for (f, nd) in finders.iter().zip(needles) {
            let mut at = 0usize;
            let mut k = first_entry;
            while at < own {
                let Some(p) = f.find(&buf[at..]) else { break };
                let pos = chunk_start + at + p;
                if pos >= chunk_end {
                    break;
                }
                while (offsets[k + 1] as usize) <= pos {
                    k += 1;
                }
                // Empty entries end where they start: the cursor skips them to the one holding
                // `pos`.
                let (start, end) = (offsets[k] as usize, offsets[k + 1] as usize);
                if start <= pos && pos + nd.len() <= end {
                    hit[k] = true;
                    at = end.max(pos + 1) - chunk_start;
                } else {
                    at = pos + 1 - chunk_start;
                }
            }
        }
        chunk_start = chunk_end;
    }
    hit
}

/// The first position at or after `from` where `needle` occurs in `hay` with ASCII letters
/// compared case-insensitively. `needle` must be non-empty lower-case ASCII. Candidate
/// positions come from a SIMD search for the needle's first byte in either case.
pub fn find_ascii_ci(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    let len = needle.len();
    if len == 0 || hay.len() < len || from > hay.len() - len {
        return None;
    }
    let first = needle[0];
    let last_start = hay.len() - len;
    let mut i = from;
    loop {
        // Only positions where the whole needle fits.
        let window = &hay[i..=last_start];
        let step = if first.is_ascii_lowercase() { memchr::memchr2(first, first - 32, window) } else { memchr::memchr(first, window) };
        let p = i + step?;
        if hay[p + 1..p + len].eq_ignore_ascii_case(&needle[1..]) {
            return Some(p);
        }
        if p == last_start {
            return None;
        }
        i = p + 1;
    }
}

/// Each row's entry of `lut`, looked up by the row's one-byte dictionary code.
pub fn lut_by_code_u8(lut: &[bool], codes: &[u8]) -> Vec<bool> {
    let mut out = vec![false; codes.len()];
    for (o, &c) in out.iter_mut().zip(codes) {
        *o = lut[c as usize];
    }
    out
}

/// [`lut_by_code_u8`] for two-byte codes.
pub fn lut_by_code_u16(lut: &[bool], codes: &[u16]) -> Vec<bool> {
    let mut out = vec![false; codes.len()];
    for (o, &c) in out.iter_mut().zip(codes) {
        *o = lut[c as usize];
    }
    out
}

/// [`lut_by_code_u8`] for four-byte codes.
pub fn lut_by_code_u32(lut: &[bool], codes: &[u32]) -> Vec<bool> {
    let mut out = vec![false; codes.len()];
    for (o, &c) in out.iter_mut().zip(codes) {
        *o = lut[c as usize];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lower_rule(src: &[u8]) -> Vec<u8> {
        src.iter().map(|&c| if c.is_ascii_uppercase() { c + 32 } else { c }).collect()
    }

    #[test]
    fn lowering_and_the_ascii_check_follow_the_byte_rules() {
        // Every byte value at every position, and lengths around the vector widths.
        for len in [0usize, 1, 7, 8, 9, 15, 16, 17, 31, 32, 33, 40, 70] {
            for pos in 0..len.max(1) {
                for b in 0..=255u8 {
                    let mut src = vec![b'q'; len];
                    if len > 0 {
                        src[pos] = b;
                    }
                    let mut out = vec![b'#'; 3];
                    lower_ascii(&src, &mut out);
                    assert_eq!(out, lower_rule(&src), "byte {b:#x} at {pos} of {len}");
                    assert_eq!(any_non_ascii(&src), !src.is_ascii(), "byte {b:#x} at {pos} of {len}");
                    let mut checked = Vec::new();
                    assert_eq!(lower_ascii_checked(&src, &mut checked), !src.is_ascii(), "byte {b:#x} at {pos} of {len}");
                    assert_eq!(checked, out, "byte {b:#x} at {pos} of {len}");
                }
            }
        }
    }

    /// The plain definition: every start position, compared after lowering.
    fn find_slow(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
        (from..=hay.len().checked_sub(needle.len())?).find(|&i| lower_rule(&hay[i..i + needle.len()]) == needle)
    }

    #[test]
    fn find_ascii_ci_agrees_with_the_definition() {
        let hays: [&[u8]; 9] = [
            b"https://CONTOSO-LOGIN.com/a",
            b"x\ra-A-a",
            b"`x@X",
            b"ab",
            b"aB",
            b"",
            "caf\u{e9}-Login \u{c9}COLE login".as_bytes(),
            b"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab",
            b"LOGINlogin",
        ];
        let needles: [&[u8]; 7] = [b"contoso-login", b"-a", b"@x", b"ab", b"login", b"a", b"b"];
        for hay in hays {
            for needle in needles {
                for from in 0..=hay.len() + 1 {
                    assert_eq!(
                        find_ascii_ci(hay, needle, from),
                        find_slow(hay, needle, from),
                        "{:?} in {:?} from {from}",
                        String::from_utf8_lossy(needle),
                        String::from_utf8_lossy(hay)
                    );
                }
            }
        }
    }

    /// The dictionary search against the per-entry definition, with entries that are empty,
    /// non-ASCII, and that a needle spans across, and chunk edges inside entries.
    #[test]
    fn dict_candidates_agrees_with_a_search_per_entry() {
        let mut entries: Vec<String> =
            vec!["".into(), "LOGIN".into(), "log".into(), "in".into(), "xloginx".into(), "\u{e9}t\u{e9}".into(), "".into(), "SignIn".into()];
        // Enough bytes for several chunks, with hits across each chunk edge.
        for i in 0..9000 {
            entries.push(format!("https://example{i}.com/{}", if i % 97 == 0 { "Login" } else { "page" }));
        }
        let mut bytes = Vec::new();
        let mut offsets = vec![0u32];
        for e in &entries {
            bytes.extend_from_slice(e.as_bytes());
            offsets.push(bytes.len() as u32);
        }
        let needles: [&[u8]; 2] = [b"login", b"signin"];
        let got = dict_candidates(&bytes, &offsets, &needles);
        for (k, e) in entries.iter().enumerate() {
            let lower = lower_rule(e.as_bytes());
            let want = !e.is_ascii() || needles.iter().any(|n| lower.windows(n.len()).any(|w| w == *n));
            assert_eq!(got[k], want, "entry {k} {e:?}");
        }
        assert!(dict_candidates(b"", &[0], &needles).is_empty());
    }

    #[test]
    fn lookups_by_code() {
        let lut = [true, false, true];
        assert_eq!(lut_by_code_u8(&lut, &[0, 1, 2, 2]), [true, false, true, true]);
        assert_eq!(lut_by_code_u16(&lut, &[1, 0]), [false, true]);
        assert_eq!(lut_by_code_u32(&lut, &[]), [] as [bool; 0]);
    }
}
