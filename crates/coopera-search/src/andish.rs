//! The query of a search's text, found and ranked in one pass ([`crate::query::combine`]).
//!
//! A record's score is the sum of the scores of the units it holds, counted twice when the
//! query has several units and the record holds every one. A filter (kinds, facets) narrows
//! what is found and adds nothing to the score.
//!
//! - **Any unit finds** ([`Recall::Any`]): the units that find are *walked*, their postings
//!   read from end to end; the others (common words) are *sought* at each record found,
//!   their postings read through their skip lists, only for their score. Written as
//!   tantivy's boolean queries, the same ranking needed a second conjunction of every unit
//!   beside the units themselves, so that each record found had each unit read twice. Here
//!   each unit is read once, and a walked unit that is not at the record is known not to hold
//!   it without being read at all.
//! - **Every unit finds** ([`Recall::All`], a query of common words only): what the units hold
//!   is first read into one bit per record, each unit's terms in blocks of 128 records, and
//!   the units' bits intersected a word (64 records) at a time. The records found are then
//!   read off the bits, and only they are scored. Walking the rarest unit and seeking the
//!   others through their skip lists cost a seek per unit for every record the rarest holds —
//!   hundreds of thousands, for words held by a fifth of a million records. A unit is read
//!   for its score by walking when the records found are many against its postings, by
//!   seeking when they are few.
//! - **The top records, pruned** ([`Weight::for_each_pruning`], what `TopDocs` alone calls):
//!   a sought unit can add at most what its terms score at most in the segment
//!   ([`TermMaxima`]). A record whose walked score, with what its sought units could add,
//!   cannot beat the k-th best found so far is passed over without reading them; they are
//!   read the most promising first, and no further once the record is out of reach. A search
//!   takes its page of hits from this pass, and its total and facets from one that does not
//!   score; counting what every unit holds is counting bits.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use tantivy::index::SegmentId;
use tantivy::postings::BlockSegmentPostings;
use tantivy::query::{Bm25Weight, BooleanQuery, EnableScoring, Explanation, Occur, Query, Scorer, Weight};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, DocSet, Score, SegmentReader, TERMINATED, TantivyError, Term};

use crate::maxima::TermMaxima;

/// What the query finds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Recall {
    /// The records that any walked unit holds.
    Any,
    /// The records that every unit holds; all are sought, none walked.
    All,
}

/// One unit of the query: its query, cheap to walk and cheap to seek, and the terms it is
/// the union of.
#[derive(Debug)]
pub(crate) struct AndishUnit {
    pub walk: Box<dyn Query>,
    pub seek: Box<dyn Query>,
    /// Every term the unit matches through, with its boost (for a word; a sought unit is
    /// one).
    pub terms: Vec<(Term, Score)>,
}

impl Clone for AndishUnit {
    fn clone(&self) -> AndishUnit {
        AndishUnit { walk: self.walk.box_clone(), seek: self.seek.box_clone(), terms: self.terms.clone() }
    }
}

/// The units of a query, how they find, how many the query has in all, and a filter.
#[derive(Debug)]
pub(crate) struct AndishQuery {
    /// With [`Recall::Any`]: the units that find.
    walked: Vec<AndishUnit>,
    /// With [`Recall::Any`], the units that only score; with [`Recall::All`], every unit.
    sought: Vec<AndishUnit>,
    recall: Recall,
    /// Every unit of the query, also those no record holds: a record holding this many (when
    /// more than one) is counted twice.
    units: usize,
    filter: Option<Box<dyn Query>>,
    maxima: Arc<TermMaxima>,
    /// With [`Recall::All`], what every unit holds in each segment: read by the first pass of
    /// a search (counting), kept for the second (the top records).
    held: Arc<Mutex<HashMap<SegmentId, Arc<Bits>>>>,
}

impl Clone for AndishQuery {
    fn clone(&self) -> AndishQuery {
        AndishQuery {
            walked: self.walked.clone(),
            sought: self.sought.clone(),
            recall: self.recall,
            units: self.units,
            filter: self.filter.as_ref().map(|f| f.box_clone()),
            maxima: self.maxima.clone(),
            held: self.held.clone(),
        }
    }
}

impl AndishQuery {
    /// Records that any of `walked` holds, `sought` adding to their score.
    pub(crate) fn any(
        walked: Vec<AndishUnit>,
        sought: Vec<AndishUnit>,
        units: usize,
        filter: Option<Box<dyn Query>>,
        maxima: Arc<TermMaxima>,
    ) -> AndishQuery {
        AndishQuery { walked, sought, recall: Recall::Any, units, filter, maxima, held: Arc::default() }
    }

    /// Records that every one of `held` holds.
    pub(crate) fn all(
        held: Vec<AndishUnit>,
        units: usize,
        filter: Option<Box<dyn Query>>,
        maxima: Arc<TermMaxima>,
    ) -> AndishQuery {
        AndishQuery {
            walked: Vec::new(),
            sought: held,
            recall: Recall::All,
            units,
            filter,
            maxima,
            held: Arc::default(),
        }
    }

    /// Whether its top records are best found in a pass of their own, pruned, rather than in
    /// the pass that counts every record found: when it has sought units, whose reading can
    /// be spared.
    pub(crate) fn prunable(&self) -> bool {
        !self.sought.is_empty()
    }
}

impl Query for AndishQuery {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let unscored = EnableScoring::disabled_from_schema(scoring.schema());
        if !scoring.is_scoring_enabled() && self.recall == Recall::Any {
            // Counting: the boolean query that finds the same records.
            let any: Vec<_> = self.walked.iter().map(|u| (Occur::Should, u.walk.box_clone())).collect();
            let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, Box::new(BooleanQuery::new(any)))];
            clauses.extend(self.filter.iter().map(|f| (Occur::Must, f.box_clone())));
            return BooleanQuery::new(clauses).weight(scoring);
        }
        let walked = self.walked.iter().map(|u| u.walk.weight(scoring)).collect::<tantivy::Result<Vec<_>>>()?;
        let sought = self
            .sought
            .iter()
            .map(|u| Ok(Ways { walk: u.walk.weight(scoring)?, seek: u.seek.weight(scoring)? }))
            .collect::<tantivy::Result<Vec<_>>>()?;
        // The BM25 weight of each sought term, as its term query has it: for the bound of what
        // the unit can add.
        let mut weighed = Vec::with_capacity(self.sought.len());
        if let Some(searcher) = scoring.searcher().filter(|_| scoring.is_scoring_enabled()) {
            for u in &self.sought {
                let mut terms = Vec::with_capacity(u.terms.len());
                for (term, boost) in &u.terms {
                    terms.push((
                        term.clone(),
                        Bm25Weight::for_terms(searcher, std::slice::from_ref(term))?.boost_by(*boost),
                    ));
                }
                weighed.push(terms);
            }
        }
        Ok(Box::new(AndishWeight {
            walked,
            sought,
            terms: self.sought.iter().map(|u| u.terms.iter().map(|(t, _)| t.clone()).collect()).collect(),
            weighed,
            maxima: self.maxima.clone(),
            held: self.held.clone(),
            recall: self.recall,
            units: self.units,
            filter: self.filter.as_ref().map(|f| f.weight(unscored)).transpose()?,
        }))
    }

    /// The units' terms (what snippets highlight), not the filter's.
    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        for u in self.walked.iter().chain(&self.sought) {
            u.walk.query_terms(visitor);
        }
    }
}

struct AndishWeight {
    walked: Vec<Box<dyn Weight>>,
    sought: Vec<Ways>,
    /// The terms of each sought unit.
    terms: Vec<Vec<Term>>,
    /// The terms of each sought unit with their weights; empty when not scored.
    weighed: Vec<Vec<(Term, Bm25Weight)>>,
    maxima: Arc<TermMaxima>,
    held: Arc<Mutex<HashMap<SegmentId, Arc<Bits>>>>,
    recall: Recall,
    units: usize,
    filter: Option<Box<dyn Weight>>,
}

/// A sought unit's weight, to walk and to seek.
struct Ways {
    walk: Box<dyn Weight>,
    seek: Box<dyn Weight>,
}

/// A sought unit is walked rather than sought when the records found are at least this share
/// of its postings: seeking then reads about as much as walking, and costs more per record.
const WALK_SHARE: usize = 4;

impl AndishWeight {
    /// What every unit holds in the segment, read once per search.
    fn held_by_all(&self, reader: &SegmentReader) -> tantivy::Result<Arc<Bits>> {
        let segment = reader.segment_id();
        if let Some(found) = self.held.lock().unwrap_or_else(PoisonError::into_inner).get(&segment) {
            return Ok(found.clone());
        }
        let found = Arc::new(held_by_all(reader, &self.terms)?);
        self.held.lock().unwrap_or_else(PoisonError::into_inner).insert(segment, found.clone());
        Ok(found)
    }

    fn andish_scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<AndishScorer> {
        let found = match self.recall {
            Recall::Any => None,
            Recall::All => Some(self.held_by_all(reader)?),
        };
        let found_count = found.as_deref().map_or(0, Bits::count);
        let mut walked = Vec::with_capacity(self.walked.len());
        for w in &self.walked {
            walked.push(w.scorer(reader, boost)?);
        }
        let mut sought = Vec::with_capacity(self.sought.len());
        for ways in &self.sought {
            let seek = ways.seek.scorer(reader, boost)?;
            let postings = usize::try_from(seek.cost()).unwrap_or(usize::MAX);
            let walk = found_count.saturating_mul(WALK_SHARE) >= postings;
            sought.push(if walk { ways.walk.scorer(reader, boost)? } else { seek });
        }
        let mut scorer = AndishScorer {
            walked,
            sought,
            found,
            units: self.units,
            filter: self.filter.as_ref().map(|f| f.scorer(reader, 1.0)).transpose()?,
            doc: 0,
        };
        let first = scorer.candidate_from(0);
        scorer.doc = scorer.settle(first);
        Ok(scorer)
    }
}

impl Weight for AndishWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(Box::new(self.andish_scorer(reader, boost)?))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.andish_scorer(reader, 1.0)?;
        if scorer.seek(doc) != doc {
            return Err(TantivyError::InvalidArgument(format!("Document #({doc}) does not match")));
        }
        Ok(Explanation::new("the units held, counted twice when every unit is held", scorer.score()))
    }

    fn count(&self, reader: &SegmentReader) -> tantivy::Result<u32> {
        if let (Recall::All, None, None) = (self.recall, &self.filter, reader.alive_bitset()) {
            return Ok(u32::try_from(self.held_by_all(reader)?.count()).unwrap_or(u32::MAX));
        }
        let mut scorer = self.andish_scorer(reader, 1.0)?;
        Ok(match reader.alive_bitset() {
            Some(alive) => scorer.count(alive),
            None => scorer.count_including_deleted(),
        })
    }

    fn for_each_pruning(
        &self,
        mut threshold: Score,
        reader: &SegmentReader,
        callback: &mut dyn FnMut(DocId, Score) -> Score,
    ) -> tantivy::Result<()> {
        let mut scorer = self.andish_scorer(reader, 1.0)?;
        if self.weighed.len() == self.sought.len() {
            let mut most = Vec::with_capacity(self.weighed.len());
            for terms in &self.weighed {
                let mut unit: Score = 0.0;
                for (term, weight) in terms {
                    unit += self.maxima.most(reader, term, weight)?;
                }
                most.push(unit);
            }
            scorer.prune(&most, threshold, callback);
            return Ok(());
        }
        let mut doc = scorer.doc();
        while doc != TERMINATED {
            let score = scorer.score();
            if score > threshold {
                threshold = callback(doc, score);
            }
            doc = scorer.advance();
        }
        Ok(())
    }
}

/// The records of a segment that every unit holds, a unit being the union of its terms.
fn held_by_all(reader: &SegmentReader, units: &[Vec<Term>]) -> tantivy::Result<Bits> {
    let mut all: Option<Bits> = None;
    for terms in units {
        let mut unit = Bits::new(reader.max_doc());
        for term in terms {
            let postings = reader.inverted_index(term.field())?.read_block_postings(term, IndexRecordOption::Basic)?;
            if let Some(postings) = postings {
                unit.insert_all(postings);
            }
        }
        match &mut all {
            None => all = Some(unit),
            Some(all) => all.intersect(&unit),
        }
    }
    Ok(all.unwrap_or_else(|| Bits::new(0)))
}

/// One bit per record of a segment.
struct Bits {
    words: Vec<u64>,
}

impl std::fmt::Debug for Bits {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Bits").field("set", &self.count()).finish_non_exhaustive()
    }
}

impl Bits {
    fn new(max_doc: DocId) -> Bits {
        Bits { words: vec![0; (max_doc as usize).div_ceil(64)] }
    }

    /// Sets the bit of every record of `postings`, read a block at a time.
    fn insert_all(&mut self, mut postings: BlockSegmentPostings) {
        let mut left = postings.doc_freq() as usize;
        while left > 0 {
            let docs = postings.docs();
            if docs.is_empty() {
                break;
            }
            for &doc in docs.iter().take(left) {
                if let Some(word) = self.words.get_mut((doc / 64) as usize) {
                    *word |= 1 << (doc % 64);
                }
            }
            left = left.saturating_sub(docs.len());
            postings.advance();
        }
    }

    fn count(&self) -> usize {
        self.words.iter().map(|w| w.count_ones() as usize).sum()
    }

    fn intersect(&mut self, other: &Bits) {
        for (a, b) in self.words.iter_mut().zip(&other.words) {
            *a &= b;
        }
    }

    /// The first record from `from` on whose bit is set, or [`TERMINATED`].
    fn next_from(&self, from: DocId) -> DocId {
        let mut i = (from / 64) as usize;
        let Some(&first) = self.words.get(i) else { return TERMINATED };
        let mut word = first & (u64::MAX << (from % 64));
        loop {
            if word != 0 {
                // At most 64 × the number of words, which fits a DocId as max_doc does.
                return u32::try_from(i).unwrap_or(u32::MAX).saturating_mul(64).saturating_add(word.trailing_zeros());
            }
            i = i.saturating_add(1);
            match self.words.get(i) {
                Some(&w) => word = w,
                None => return TERMINATED,
            }
        }
    }
}

struct AndishScorer {
    /// The walked units not yet exhausted.
    walked: Vec<Box<dyn Scorer>>,
    sought: Vec<Box<dyn Scorer>>,
    /// With [`Recall::All`], the records found.
    found: Option<Arc<Bits>>,
    units: usize,
    filter: Option<Box<dyn Scorer>>,
    doc: DocId,
}

impl AndishScorer {
    /// The first record from `target` on that the units find, the filter aside.
    fn candidate_from(&mut self, target: DocId) -> DocId {
        if let Some(found) = &self.found {
            return found.next_from(target);
        }
        for s in &mut self.walked {
            if s.doc() < target {
                s.seek(target);
            }
        }
        self.walked.retain(|s| s.doc() != TERMINATED);
        self.walked.iter().map(|s| s.doc()).min().unwrap_or(TERMINATED)
    }

    /// The first record from `candidate` on that the filter also leaves.
    fn settle(&mut self, mut candidate: DocId) -> DocId {
        while candidate != TERMINATED {
            let Some(filter) = &mut self.filter else { break };
            let at = seek(filter.as_mut(), candidate);
            if at == candidate {
                break;
            }
            candidate = self.candidate_from(at);
        }
        candidate
    }
}

/// Rounding: a bound added in another order may differ in its last bits from the score.
const BOUND_MARGIN: Score = 1.0001;

impl AndishScorer {
    /// The score of a record holding `held` units whose scores add up to `sum` (added in
    /// `f64`, exactly for so few scores, so that the order they were read in does not matter).
    fn counted(&self, sum: f64, held: usize) -> Score {
        #[allow(clippy::cast_possible_truncation)]
        let sum = sum as Score;
        if self.units > 1 && held == self.units { sum * 2.0 } else { sum }
    }

    /// Calls `callback` with each record whose score beats `threshold`, which the callback
    /// raises, `most` being what each sought unit can add at most. A record whose walked
    /// score, with what its sought units can add, cannot beat the threshold is passed over;
    /// its sought units are read the most promising first, and no further once it is out of
    /// reach.
    fn prune(&mut self, most: &[Score], mut threshold: Score, callback: &mut dyn FnMut(DocId, Score) -> Score) {
        let mut order: Vec<usize> = (0..self.sought.len()).collect();
        order.sort_by(|&a, &b| most[b].total_cmp(&most[a]));
        let sought_most: f64 = most.iter().copied().map(f64::from).sum();
        let reach = |sum: f64, rest: f64, every: bool| {
            #[allow(clippy::cast_possible_truncation)]
            let b = ((sum + rest.max(0.0)) as Score) * BOUND_MARGIN;
            if every { b * 2.0 } else { b }
        };
        let mut doc = self.doc;
        while doc != TERMINATED {
            let (mut sum, mut held) = (0.0f64, 0usize);
            for s in &mut self.walked {
                if s.doc() == doc {
                    held = held.saturating_add(1);
                    sum += f64::from(s.score());
                }
            }
            // Whether the record may still hold every unit.
            let mut every = self.units > 1 && held.saturating_add(self.sought.len()) == self.units;
            let mut in_reach = reach(sum, sought_most, every) > threshold;
            let mut rest = sought_most;
            for &i in &order {
                if !in_reach {
                    break;
                }
                rest -= f64::from(most[i]);
                let s = &mut self.sought[i];
                if seek(s.as_mut(), doc) == doc {
                    held = held.saturating_add(1);
                    sum += f64::from(s.score());
                } else {
                    every = false;
                }
                in_reach = reach(sum, rest, every) > threshold;
            }
            if in_reach {
                let score = self.counted(sum, held);
                if score > threshold {
                    threshold = callback(doc, score);
                }
            }
            doc = self.advance();
        }
    }
}

/// Moves `scorer` to `target` unless it is there or beyond; where it is.
fn seek(scorer: &mut dyn Scorer, target: DocId) -> DocId {
    if scorer.doc() < target { scorer.seek(target) } else { scorer.doc() }
}

impl DocSet for AndishScorer {
    fn advance(&mut self) -> DocId {
        let current = self.doc;
        if current == TERMINATED {
            return TERMINATED;
        }
        let next = match &self.found {
            Some(found) => found.next_from(current.saturating_add(1)),
            None => {
                for s in &mut self.walked {
                    if s.doc() == current {
                        s.advance();
                    }
                }
                self.candidate_from(current)
            }
        };
        self.doc = self.settle(next);
        self.doc
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc >= target {
            return self.doc;
        }
        let next = self.candidate_from(target);
        self.doc = self.settle(next);
        self.doc
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        self.walked.iter().chain(&self.sought).map(|s| s.size_hint()).fold(0u32, u32::saturating_add)
    }

    fn cost(&self) -> u64 {
        self.walked.iter().chain(&self.sought).map(|s| s.cost()).fold(0u64, u64::saturating_add)
    }
}

impl Scorer for AndishScorer {
    fn score(&mut self) -> Score {
        let doc = self.doc;
        let mut held = 0usize;
        let mut sum = 0.0f64;
        for s in self.walked.iter_mut().chain(self.sought.iter_mut()) {
            if seek(s.as_mut(), doc) == doc {
                held = held.saturating_add(1);
                sum += f64::from(s.score());
            }
        }
        self.counted(sum, held)
    }
}
