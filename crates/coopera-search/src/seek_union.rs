//! A union of queries that is cheap to *seek*: the sum of the scores of the queries a record
//! matches, for the parts of a query that only score the records other parts find.
//!
//! tantivy's own union ([`tantivy::query::BufferedUnionScorer`]) reads its queries a window
//! of 4,096 records at a time, every record of the window scored. That is the fastest way to
//! walk a union from end to end, and the slowest way to look up, record after record, whether
//! a few hundred thousand postings hold the records another query found: each lookup a window
//! away reads and scores the whole window again. [`SeekUnion`] keeps no window: it asks each
//! of its queries to seek the record, which a term's postings do through their skip list.

use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SegmentReader, TERMINATED, TantivyError, Term};

/// The union of `queries`, scored as the sum of the scores of those a record matches.
#[derive(Debug)]
pub(crate) struct SeekUnion {
    queries: Vec<Box<dyn Query>>,
}

impl SeekUnion {
    pub(crate) fn new(queries: Vec<Box<dyn Query>>) -> SeekUnion {
        SeekUnion { queries }
    }
}

impl Clone for SeekUnion {
    fn clone(&self) -> SeekUnion {
        SeekUnion { queries: self.queries.iter().map(|q| q.box_clone()).collect() }
    }
}

impl Query for SeekUnion {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let weights = self.queries.iter().map(|q| q.weight(scoring)).collect::<tantivy::Result<_>>()?;
        Ok(Box::new(SeekUnionWeight { weights }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        for q in &self.queries {
            q.query_terms(visitor);
        }
    }
}

struct SeekUnionWeight {
    weights: Vec<Box<dyn Weight>>,
}

impl Weight for SeekUnionWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let mut scorers = Vec::with_capacity(self.weights.len());
        for w in &self.weights {
            let scorer = w.scorer(reader, boost)?;
            if scorer.doc() != TERMINATED {
                scorers.push(scorer);
            }
        }
        let doc = scorers.iter().map(|s| s.doc()).min().unwrap_or(TERMINATED);
        Ok(Box::new(SeekUnionScorer { scorers, doc }))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let matched: Vec<Explanation> = self.weights.iter().filter_map(|w| w.explain(reader, doc).ok()).collect();
        if matched.is_empty() {
            return Err(TantivyError::InvalidArgument(format!("Document #({doc}) does not match")));
        }
        let mut sum = Explanation::new("sum of the queries matched", matched.iter().map(Explanation::value).sum());
        for e in matched {
            sum.add_detail(e);
        }
        Ok(sum)
    }
}

struct SeekUnionScorer {
    /// The scorers not yet exhausted.
    scorers: Vec<Box<dyn Scorer>>,
    doc: DocId,
}

impl SeekUnionScorer {
    fn settle(&mut self) -> DocId {
        self.scorers.retain(|s| s.doc() != TERMINATED);
        self.doc = self.scorers.iter().map(|s| s.doc()).min().unwrap_or(TERMINATED);
        self.doc
    }
}

impl DocSet for SeekUnionScorer {
    fn advance(&mut self) -> DocId {
        let current = self.doc;
        for s in &mut self.scorers {
            if s.doc() == current {
                s.advance();
            }
        }
        self.settle()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc >= target {
            return self.doc;
        }
        for s in &mut self.scorers {
            if s.doc() < target {
                s.seek(target);
            }
        }
        self.settle()
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        self.scorers.iter().map(|s| s.size_hint()).fold(0u32, u32::saturating_add)
    }

    fn cost(&self) -> u64 {
        self.scorers.iter().map(|s| s.cost()).fold(0u64, u64::saturating_add)
    }
}

impl Scorer for SeekUnionScorer {
    fn score(&mut self) -> Score {
        let doc = self.doc;
        self.scorers.iter_mut().filter(|s| s.doc() == doc).map(|s| s.score()).sum()
    }
}

#[cfg(test)]
mod tests {
    use tantivy::collector::TopDocs;
    use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
    use tantivy::schema::{IndexRecordOption, STRING, Schema};
    use tantivy::{DocAddress, Index, TantivyDocument, Term};

    use super::SeekUnion;

    /// A union found and scored as tantivy's own: every record, every score, in order.
    #[test]
    fn finds_and_scores_as_the_buffered_union() {
        let mut schema = Schema::builder();
        let word = schema.add_text_field("word", STRING);
        let index = Index::create_in_ram(schema.build());
        let mut writer = index.writer_with_num_threads(1, 15_000_000).unwrap();
        // Records 0..20,000: "a" in every third, "b" in every seventh, "c" in every 5,000th,
        // so that records lie in and far beyond one window of the buffered union.
        for n in 0..20_000u32 {
            let mut doc = TantivyDocument::default();
            for (w, every) in [("a", 3), ("b", 7), ("c", 5_000)] {
                if n % every == 0 {
                    doc.add_text(word, w);
                }
            }
            doc.add_text(word, "all");
            writer.add_document(doc).unwrap();
        }
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let term = |w: &str| -> Box<dyn Query> {
            Box::new(TermQuery::new(Term::from_field_text(word, w), IndexRecordOption::WithFreqs))
        };
        let all = |q: &dyn Query| -> Vec<(u32, DocAddress)> {
            let top = searcher.search(q, &TopDocs::with_limit(100_000).order_by_score()).unwrap();
            let mut hits: Vec<_> = top.into_iter().map(|(s, a)| ((s * 1000.0).round() as u32, a)).collect();
            hits.sort_unstable_by_key(|(s, a)| (*a, *s));
            hits
        };
        let ours = SeekUnion::new(vec![term("a"), term("b"), term("c")]);
        let theirs =
            BooleanQuery::new(vec![(Occur::Should, term("a")), (Occur::Should, term("b")), (Occur::Should, term("c"))]);
        assert_eq!(all(&ours), all(&theirs));
        // Seeked from a required query, as [`crate::query::combine`] uses it.
        let required =
            |optional: Box<dyn Query>| BooleanQuery::new(vec![(Occur::Must, term("c")), (Occur::Should, optional)]);
        let ours = required(Box::new(SeekUnion::new(vec![term("a"), term("b")])));
        let theirs =
            required(Box::new(BooleanQuery::new(vec![(Occur::Should, term("a")), (Occur::Should, term("b"))])));
        let found = all(&ours);
        assert_eq!(found.len(), 4);
        assert_eq!(found, all(&theirs));
        assert_eq!(
            searcher.search(&SeekUnion::new(vec![term("c"), term("all")]), &tantivy::collector::Count).unwrap(),
            20_000
        );
    }
}
