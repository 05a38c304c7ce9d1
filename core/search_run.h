// The two ways a Searcher answers one SearchRequest against one open database revision
// (internal to core/searcher.cpp; see core/searcher.h for the contract):
//   - RunWithColumns: counts, totals and sorted pages from the revision's ColumnStore
//     (core/column_search.h); Xapian ranks by relevance within the match set. The default.
//   - RunWithSpies: Xapian match passes with ValueCountMatchSpy only (core/facets.h), the
//     path that remote shards can run; kept equal to the other by tests.
// Both apply the AND-then-OR word fallback and give identical results.
//
// Thread safety: per search; everything in SearchRun belongs to the calling thread except
// the ColumnStore, which is shared read-only.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <xapian.h>

#include "core/analyzer.h"
#include "core/column_store.h"
#include "core/geo.h"
#include "core/organisation_names.h"
#include "core/query_builder.h"
#include "core/search.h"
#include "core/text_scorer.h"
#include "core/vocab.h"

namespace tnohaku {

struct SearchRun {
    const Xapian::Database* db = nullptr;
    Analyzer* analyzer = nullptr;  // for highlights
    std::shared_ptr<const Vocabulary> vocab;
    const ColumnStore* columns = nullptr;  // null: RunWithColumns may not be used
    uint64_t generation = 0;
    const SearchRequest* request = nullptr;
    const Filters* filters = nullptr;
    const Filters* national_filters = nullptr;  // the same with national records included
    const GeoFilter* geo = nullptr;             // null without near=
    double name_coverage = 0;                   // QueryWeights::name_coverage (core/name_match.h)
    // How relevance passes over the columns' match sets are narrowed (core/text_scorer.h).
    TermScoring term_scoring = TermScoring::kWhenCheaper;
    // The database has several parts (shards): the spy path counts facets in passes of
    // their own, never on the paged match (Xapian 1.4.22's match spies on a paged match
    // over several sub-databases count some documents twice).
    bool count_apart = false;
    // Organisation labels and order (null when the organisation facet is not asked for).
    std::shared_ptr<const OrganisationNames> organisations;
    // Regions where a local record declares the region and one of its municipalities
    // (only the spy path needs them; computed on demand).
    std::function<std::vector<std::string>()> overlap_regions;
};

// `used_any` (may be null) is set when the words had to be OR-ed.
SearchResult RunWithColumns(const SearchRun& run, const TextQuery& text, bool* used_any);
SearchResult RunWithSpies(const SearchRun& run, const TextQuery& text, bool* used_any);
// The number of documents `text` matches under the run's filters and radius.
uint64_t CountMatches(const SearchRun& run, const Xapian::Query& text);

}  // namespace tnohaku
