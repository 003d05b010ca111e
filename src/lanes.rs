//! Looking at text sixteen bytes at a time: the byte tests of the archive reader (where does
//! a string or a run of spaces end) and of handle extraction (where can a rule start).
//!
//! Most of a tweet or bio is plain words, and most extraction rules start at a rare byte
//! (`@`, `/`, a bracket, the word `at`). [`each_where`] asks a vector filter which of sixteen
//! bytes may be such a start and checks only those with the rule's own byte test, so the
//! scalar code runs on a handful of bytes instead of all of them. The vectors come from the
//! `wide` crate (safe code; SSE2 on x86-64, NEON on ARM, plain arrays elsewhere).

use wide::u8x16;

/// Bytes per vector.
pub const WIDTH: usize = 16;

/// The sixteen bytes of `bytes` from `at` (the caller checked that they are there).
#[inline(always)]
pub fn load(bytes: &[u8], at: usize) -> u8x16 {
    let mut lanes = [0u8; WIDTH];
    lanes.copy_from_slice(&bytes[at..at + WIDTH]);
    u8x16::new(lanes)
}

/// The lanes of `v` equal to `byte` (all ones), the others zero.
#[inline(always)]
pub fn eq(v: u8x16, byte: u8) -> u8x16 {
    v.simd_eq(u8x16::splat(byte))
}

/// The lanes of `v` at most `byte` (unsigned).
#[inline(always)]
pub fn at_most(v: u8x16, byte: u8) -> u8x16 {
    v.min(u8x16::splat(byte)).simd_eq(v)
}

/// The lanes of `v` that are `letter` in either case (`letter` lower-case ASCII).
#[inline(always)]
pub fn eq_nocase(v: u8x16, letter: u8) -> u8x16 {
    (v | u8x16::splat(0x20)).simd_eq(u8x16::splat(letter))
}

/// One bit per lane set in `mask` (bit 0 for the first byte).
#[inline(always)]
pub fn bits(mask: u8x16) -> u32 {
    mask.to_bitmask()
}

/// The bytes of `members` as a table, to test a byte with one lookup.
pub const fn byte_set(members: &[u8]) -> [bool; 256] {
    let mut table = [false; 256];
    let mut i = 0;
    while i < members.len() {
        table[members[i] as usize] = true;
        i += 1;
    }
    table
}

/// Calls `each`, in order, with every index `i` of `bytes` for which `exact(i)` holds.
///
/// `filter(bytes, at)` returns a bit mask over `at..at + WIDTH` (bits past them are
/// ignored) that must include every
/// index there for which `exact` holds; it may read `before` bytes before `at` and `after`
/// bytes after `at + WIDTH`. Where it cannot (the edges), `exact` alone decides.
#[inline(always)]
pub fn each_where(
    bytes: &[u8],
    (before, after): (usize, usize),
    filter: impl Fn(&[u8], usize) -> u32,
    exact: impl Fn(usize) -> bool,
    mut each: impl FnMut(usize),
) {
    let mut i = 0;
    let head = before.min(bytes.len());
    while i < head {
        if exact(i) {
            each(i);
        }
        i += 1;
    }
    while i + WIDTH + after <= bytes.len() {
        let mut mask = filter(bytes, i) & 0xFFFF;
        while mask != 0 {
            let at = i + mask.trailing_zeros() as usize;
            if exact(at) {
                each(at);
            }
            mask &= mask - 1;
        }
        i += WIDTH;
    }
    while i < bytes.len() {
        if exact(i) {
            each(i);
        }
        i += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A filter that lets every byte through finds what a byte-by-byte loop finds, at every
    /// length and edge; a filter that misses some loses exactly those.
    #[test]
    fn visits_what_the_exact_test_accepts_in_order() {
        for len in 0..70 {
            let bytes: Vec<u8> = (0..len).map(|i| b"a@b/ c"[i % 6]).collect();
            let exact = |i: usize| bytes[i] == b'@' || bytes[i] == b'/';
            let want: Vec<usize> = (0..len).filter(|&i| exact(i)).collect();
            for margins in [(0, 0), (1, 2), (3, 5)] {
                let mut got = Vec::new();
                let all = |_: &[u8], _: usize| u32::MAX;
                each_where(&bytes, margins, all, exact, |i| got.push(i));
                assert_eq!(got, want, "len {len} margins {margins:?}");
                let mut got = Vec::new();
                let at = |b: &[u8], at: usize| bits(eq(load(b, at), b'@') | eq(load(b, at), b'/'));
                each_where(&bytes, margins, at, exact, |i| got.push(i));
                assert_eq!(got, want, "len {len} margins {margins:?}");
            }
        }
    }

    #[test]
    fn byte_sets_hold_their_members_only() {
        let set = byte_set(b"@/\xFF");
        let members: Vec<usize> = (0..256).filter(|&b| set[b]).collect();
        assert_eq!(members, [usize::from(b'/'), usize::from(b'@'), 0xFF]);
    }

    #[test]
    fn at_most_compares_without_sign() {
        let v = load(b"\x00\x1F\x20\x7F\x80\xFF\x1E \x01!\"#\x1F\x10\x0A\x0D", 0);
        assert_eq!(bits(at_most(v, 0x1F)), 0b1111_0001_0100_0011);
    }

    #[test]
    fn letters_match_in_either_case_only() {
        let v = load(b"hHxX@`(h\x08i\xC8\xE8hhhh", 0);
        assert_eq!(bits(eq_nocase(v, b'h')), 0b1111_0000_1000_0011);
    }
}
