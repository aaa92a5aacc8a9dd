//! How much a term can score in a segment, exactly, read once and kept.
//!
//! A BM25 score grows with the term's frequency in a record and falls with the record's
//! length. tantivy's bound for a term ([`Bm25Weight::max_score`]) takes an unbounded frequency,
//! about twice what a term of a title or a short text ever scores, too loose to pass over
//! anything. Here the postings of a term in a segment are read once, keeping the highest
//! frequency seen for each length (tantivy's 256 length codes); the term's maximum for any
//! weight is then the best of 256 scores. Segments never change, so what was read holds
//! until the segment is merged away; the table is dropped when it grows large.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use tantivy::index::SegmentId;
use tantivy::postings::Postings;
use tantivy::query::Bm25Weight;
use tantivy::schema::IndexRecordOption;
use tantivy::{DocSet, Score, SegmentReader, TERMINATED, Term};

/// The highest frequency of a term for each length code of a segment (0: no record).
type Frequencies = Arc<[u32; 256]>;

/// Past this many (segment, term) pairs the table starts again.
const MAX_ENTRIES: usize = 50_000;

/// The terms' highest frequencies per segment, shared by the searches of one index.
#[derive(Debug, Default)]
pub(crate) struct TermMaxima {
    seen: Mutex<HashMap<(SegmentId, Term), Frequencies>>,
}

impl TermMaxima {
    /// The most `term` scores in any record of the segment, under `weight`.
    pub(crate) fn most(&self, reader: &SegmentReader, term: &Term, weight: &Bm25Weight) -> tantivy::Result<Score> {
        let frequencies = self.frequencies(reader, term)?;
        let mut most: Score = 0.0;
        for (code, &freq) in (0u8..=255).zip(frequencies.iter()) {
            if freq > 0 {
                most = most.max(weight.score(code, freq));
            }
        }
        Ok(most)
    }

    fn frequencies(&self, reader: &SegmentReader, term: &Term) -> tantivy::Result<Frequencies> {
        let key = (reader.segment_id(), term.clone());
        if let Some(found) = self.seen.lock().unwrap_or_else(PoisonError::into_inner).get(&key) {
            return Ok(found.clone());
        }
        let mut frequencies = [0u32; 256];
        let field = term.field();
        if let Some(mut postings) = reader.inverted_index(field)?.read_postings(term, IndexRecordOption::WithFreqs)? {
            let lengths = reader.get_fieldnorms_reader(field)?;
            let mut doc = postings.doc();
            while doc != TERMINATED {
                let slot = &mut frequencies[usize::from(lengths.fieldnorm_id(doc))];
                *slot = (*slot).max(postings.term_freq());
                doc = postings.advance();
            }
        }
        let frequencies: Frequencies = Arc::new(frequencies);
        let mut seen = self.seen.lock().unwrap_or_else(PoisonError::into_inner);
        if seen.len() >= MAX_ENTRIES {
            seen.clear();
        }
        seen.insert(key, frequencies.clone());
        Ok(frequencies)
    }
}
