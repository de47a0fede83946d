//! The pairs of distinct headlines that are near one another, found
//! without comparing every pair (a prefix filter on three-letter pieces).

use rustc_hash::FxHashMap;

use crate::suggest::Headline;

/// Calls `found(a, b)` for the pairs of `heads` (distinct headlines) that
/// are `Headline::near`, each comparison taken from `budget`; false when the
/// budget ran out first.
///
/// Not every pair is compared. Near headlines are a few edits apart, at
/// most `most_edits` of either; an edit changes at most three of a text's
/// three-letter pieces, so of the pieces one holds, all but `3 × most_edits`
/// are in the other. Order every piece by how few headlines hold it: the
/// rarest piece two near headlines share is then among the first
/// `3 × most_edits + 1` of each (a prefix filter), and a headline is compared
/// only with the earlier ones whose first pieces share one of its own.
/// Headlines with fewer pieces than that (very short or repetitive ones)
/// may share none, and are compared with every such other.
pub(super) fn near_pairs(
    heads: &[&Headline],
    budget: &mut usize,
    mut found: impl FnMut(usize, usize),
) -> bool {
    let holders = holders_of_pieces(heads);
    // Shortest first: the earlier headlines a piece leads to are then in
    // order of length, and those too short to be near are not visited.
    let mut order: Vec<usize> = (0..heads.len()).collect();
    order.sort_unstable_by_key(|&i| (heads[i].chars(), i));
    // Each piece's headlines, and those with few pieces, by rank in `order`.
    let mut postings: FxHashMap<u64, Vec<u32>> = FxHashMap::default();
    let mut few_pieces: Vec<u32> = Vec::new();
    // The rank that last compared each one: a pair is compared once.
    let mut compared_by = vec![u32::MAX; heads.len()];
    for (rank, &i) in order.iter().enumerate() {
        let head = heads[i];
        let shortest = head.chars() - head.chars() / 10;
        let (first, few) = rarest_pieces(head, &holders);
        let lists = first.iter().filter_map(|(_, piece)| postings.get(piece));
        let few_list = if few { Some(&few_pieces) } else { None };
        for list in lists.chain(few_list) {
            for &earlier in list.iter().rev() {
                let j = order[earlier as usize];
                if heads[j].chars() < shortest {
                    break;
                }
                if *budget == 0 {
                    return false;
                }
                *budget -= 1;
                if compared_by[earlier as usize] == rank as u32 {
                    continue;
                }
                compared_by[earlier as usize] = rank as u32;
                if heads[j].near(head) {
                    found(j, i);
                }
            }
        }
        for (_, piece) in first {
            postings.entry(piece).or_default().push(rank as u32);
        }
        if few {
            few_pieces.push(rank as u32);
        }
    }
    true
}

/// How many of `heads` hold each piece. Pieces are numbers already: a fast
/// hash (FxHash) for them. Each headline is cut twice (here and in
/// `rarest_pieces`) rather than its pieces all held at once (200,000
/// headlines' pieces took 90 MiB).
fn holders_of_pieces(heads: &[&Headline]) -> FxHashMap<u64, u32> {
    let mut holders: FxHashMap<u64, u32> = FxHashMap::default();
    for head in heads {
        for piece in pieces(head) {
            *holders.entry(piece).or_default() += 1;
        }
    }
    holders
}

/// The prefix `near_pairs` compares by: the `3 × most_edits + 1` rarest of
/// a headline's pieces, each with how many headlines hold it, rarest first;
/// and whether it has fewer pieces than that.
fn rarest_pieces(head: &Headline, holders: &FxHashMap<u64, u32>) -> (Vec<(u32, u64)>, bool) {
    let mut first: Vec<(u32, u64)> = pieces(head)
        .into_iter()
        .map(|piece| (holders.get(&piece).copied().unwrap_or(0), piece))
        .collect();
    let wanted = 3 * head.most_edits() + 1;
    let few = first.len() < wanted;
    first.sort_unstable();
    first.truncate(wanted);
    (first, few)
}

/// A headline's three-letter pieces (of its words as compared), each once,
/// a piece packed in a number (three characters of 21 bits).
fn pieces(head: &Headline) -> Vec<u64> {
    let chars: Vec<char> = head.words().chars().collect();
    let mut pieces: Vec<u64> = chars
        .windows(3)
        .map(|w| (u64::from(w[0]) << 42) | (u64::from(w[1]) << 21) | u64::from(w[2]))
        .collect();
    pieces.sort_unstable();
    pieces.dedup();
    pieces
}
