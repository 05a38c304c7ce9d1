// Column search: a request's matches, exact total, facet tallies and sorted page from the
// in-memory columns (core/column_store.h) and docid sets, instead of Xapian match passes.
//
// Every part of a request becomes a DocSet: the text query (the union of its terms'
// posting lists per word, intersected across words), each filter clause, the geo radius.
// Sets of words, whole texts and clauses are cached per revision (SetCache), so a request
// mostly ANDs cached sets; a text the cache holds nothing of may come from the relevance
// scorer's walk over its postings (SetText with matches; core/search_run.cpp). A facet is then
// counted over the matches, or, when it has a selection, over the matches of every other clause
// ("drill sideways": one set per selected facet instead of one Xapian pass each), by reading one
// combination id per document.
//
// The sets are exact and mean what Xapian's matcher would match for the same queries:
// SetEvaluator walks the query tree (OR / AND / FILTER / AND_NOT / MAX / SYNONYM /
// SCALE_WEIGHT and terms) and hands any other kind of subquery (wildcards, value ranges)
// to Xapian itself, collecting the docids. A test compares totals, facet counts and pages
// with the Xapian-native path (SpyFacetCounter) over many requests.
//
// Relevance ranking stays Xapian's (BM25 weights); the column search gives it the match
// set to stay within. Name, date, distance orders come from the store's ranks.
//
// Thread safety: per search; the store may be shared (its SetCache locks).
#pragma once

#include <memory>
#include <optional>
#include <vector>

#include <xapian.h>

#include "core/column_store.h"
#include "core/doc_set.h"
#include "core/facets.h"
#include "core/query_builder.h"
#include "core/search.h"

namespace tnohaku {

// The set of documents a query matches (ignoring weights).
class SetEvaluator {
  public:
    // `db` must be the revision `store` was built from; both must outlive the evaluator.
    SetEvaluator(const Xapian::Database& db, const ColumnStore& store) : db_(db), store_(store) {}
    std::shared_ptr<const DocSet> Evaluate(const Xapian::Query& query);
    // Whether the set cache holds the set of `query` or of a part of it, which Evaluate
    // then takes instead of reading postings.
    bool HoldsPart(const Xapian::Query& query) const;

  private:
    std::shared_ptr<const DocSet> Term(const std::string& term);
    void AddPostings(const std::string& term, DocSet& set) const;
    std::shared_ptr<const DocSet> ByXapian(const Xapian::Query& query);
    const Xapian::Database& db_;
    const ColumnStore& store_;
};

struct ColumnSearchInput {
    const SearchRequest* request = nullptr;
    const Filters* filters = nullptr;           // the request's clauses
    const Filters* national_filters = nullptr;  // the same with national records included
};

// A facet's combination id per document, and how many combinations there are.
struct ComboColumn {
    const PackedUints* combo = nullptr;
    size_t combos = 0;
    const std::vector<uint32_t>* live_counts = nullptr;  // by combination, of all documents
};

// A document of a sorted page.
struct PageEntry {
    uint32_t docid = 0;
    std::optional<double> distance_km;  // when the request has near=
};

class ColumnSearch {
  public:
    // `db`, `store` and everything `input` points to must outlive the search.
    ColumnSearch(const Xapian::Database& db, const ColumnStore& store, ColumnSearchInput input);

    // Sets the text query (empty = browse) and forgets what an earlier one matched.
    void SetText(const Xapian::Query& text);
    // The same with the text's matches read elsewhere (TextScorer walks the postings for
    // its weights anyway), which are kept in the set cache for the requests after.
    void SetText(const Xapian::Query& text, std::shared_ptr<const DocSet> matches);
    // SetText(text) where the set cache holds the text's matches or those of a part of it
    // (a word), so that few of its postings are left to read; false, and nothing set, where
    // it holds none and the caller may read the postings its own way.
    bool SetTextFromCache(const Xapian::Query& text);
    // Documents matching the text, every clause and the geo radius.
    const DocSet& Matches();
    // Live documents matching every clause, whatever the text and radius.
    DocSet ClauseMatches();
    // The members of `set` that the request prefers (Filters::preferred; none when it
    // prefers none).
    DocSet PreferredAmong(const DocSet& set);
    // The tallies of the request's facets.
    FacetTallies Tally();
    // The request's window of Matches() in a non-relevance order (kRelevance: name).
    std::vector<PageEntry> Page(SortOrder sort);
    // Distance from the request's near point (nullopt without locations or near).
    std::optional<double> Distance(uint32_t docid) const;

  private:
    std::shared_ptr<const DocSet> ClauseSet(const Filters::Clause& clause);
    // Restricts `set` by every clause of `filters` but the one of `without`.
    void AndClauses(const Filters& filters, std::optional<SearchFacet> without, DocSet& set);
    // The text matches restricted by every clause of `filters` but the one of `without`,
    // and by the geo radius.
    DocSet CountSet(const Filters& filters, std::optional<SearchFacet> without);
    void ApplyGeo(DocSet& set);
    // Counts `facets` over `set` into `out`, reading the set once.
    void CountOver(const DocSet& set, const std::vector<SearchFacet>& facets,
                   FacetTallies& out) const;
    ComboColumn Combos(SearchFacet facet) const;
    // Turns a facet's counts by combination into counts by code.
    void AddCounts(SearchFacet facet, const std::vector<uint64_t>& per_combo,
                   FacetTallies& out) const;
    void AddAreaCounts(const std::vector<uint64_t>& per_combo, FacetTallies& out) const;

    const ColumnStore& store_;
    SetEvaluator sets_;
    ColumnSearchInput in_;
    std::shared_ptr<const DocSet> text_;
    std::optional<DocSet> matches_;
    DocSet geo_checked_, geo_inside_;  // documents whose distance was computed / in radius
};

}  // namespace tnohaku
