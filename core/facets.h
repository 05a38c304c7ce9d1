// Facet counting: exact, disjunctive, multi-valued and hierarchical.
//
// The count of a value is the number of results the search would give if that value
// were the only one selected in its facet, every other filter kept. So a facet with a
// selection is counted over the search with its own clause left out; facets without a
// selection are counted over the search's own matches.
//
// Counting produces FacetTallies (raw per-code counts); BuildFacets turns them into the
// response's value lists. Two counters produce tallies and must agree exactly (a test
// compares them): the column counter (core/column_search.h, in-memory columns, the fast
// path) and SpyFacetCounter here, which uses only Xapian's built-in ValueCountMatchSpy on
// the facet slots (schema/index-format.md): the path remote shards can run too. Each slot
// value is a record's sorted comma-joined codes (ancestors included), split here and
// added up per code. One Enquire pass runs per distinct filter set; facets sharing one
// share the pass, each with its own spy.
//
// Area: a region's count is the number of results with region=R, a municipality's the
// number with municipality=M (declared M, or the whole region of M declared), national
// records counting everywhere while included. Tallies hold the local records' counts
// per region and municipality and, separately, the national records counted everywhere.
//
// National facet: values "national" and "local", counted as if national records were
// included; "national" is selected when they are included, "local" always.
//
// Output: values with a count (and selected ones, even at 0), by count descending, then
// vocabulary order (organisations: by name); facet_limit > 0 keeps that many of each list
// (regions, and the municipalities of each region), selected ones always kept. Labels in
// the request's language. While national records are included they count in every area,
// so every region and municipality has a count: ask for a facet_limit.
//
// Thread safety: per search.
#pragma once

#include <algorithm>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include <xapian.h>

#include "core/organisation_names.h"
#include "core/query_builder.h"
#include "core/search.h"
#include "core/vocab.h"

namespace tnohaku {

struct FacetInput {
    const SearchRequest* request = nullptr;
    std::shared_ptr<const Vocabulary> vocab;    // kept by the result: labels are views into it
    Xapian::Query text;                         // the search's text query; empty = browse
    const Filters* filters = nullptr;           // the request's clauses
    const Filters* national_filters = nullptr;  // the same with national records included
    // Organisation facet labels and order (null: labelled by code); kept by the result.
    std::shared_ptr<const OrganisationNames> organisations;
    // Regions where some local record declares the whole region and a municipality in it.
    std::vector<std::string> overlap_regions;
};

// Per-code counts of one facet: a list of codes in byte order and a count for each
// (0 included). The code list is shared, not copied: the column counter lends its
// revision's list (thousands of organisation codes), which outlives the tallies of a
// search; other counters hand over lists of their own.
class CodeCounts {
  public:
    CodeCounts() = default;
    // `codes` sorted and distinct, `counts` of the same size.
    CodeCounts(std::shared_ptr<const std::vector<std::string>> codes, std::vector<uint64_t> counts);
    // A list that is not owned: `codes` must outlive these counts and their copies.
    static CodeCounts Borrowing(const std::vector<std::string>& codes,
                                std::vector<uint64_t> counts);
    // The codes of `counts` with their counts.
    static CodeCounts Of(const std::map<std::string, uint64_t>& counts);

    // The count of `code` (0 when absent).
    uint64_t Count(std::string_view code) const;
    // How many codes have a count.
    size_t CountedCodes() const {
        return counts_.size() - static_cast<size_t>(std::count(counts_.begin(), counts_.end(), 0));
    }
    // Calls fn(code, count) for each code with a count, in byte order.
    template <typename Fn>
    void ForEachCounted(Fn&& fn) const {
        for (size_t i = 0; i < counts_.size(); ++i) {
            if (counts_[i]) fn((*codes_)[i], counts_[i]);
        }
    }

  private:
    std::shared_ptr<const std::vector<std::string>> codes_;
    std::vector<uint64_t> counts_;
};

// Raw counts of one search, per facet asked for.
struct FacetTallies {
    std::map<SearchFacet, CodeCounts> codes;  // every facet but kArea (kNational too)
    CodeCounts regions;                       // area: local records per region
    CodeCounts municipalities;                // area: local records per municipality
    uint64_t national_everywhere = 0;         // area: national records, added to every area
};

// The response's facet lists from the tallies (see "Output" above) into `result.facets`,
// and into `result.facet_text` what their views point into.
void BuildFacets(const FacetInput& input, const FacetTallies& tallies, SearchResult& result);

// Runs one counting pass: every document `query` matches (and the request's geo filter
// keeps) is shown to each spy.
using CountPass =
    std::function<void(const Xapian::Query& query, const std::vector<Xapian::MatchSpy*>& spies)>;

// The Xapian-native counter: ValueCountMatchSpy passes only.
class SpyFacetCounter {
  public:
    explicit SpyFacetCounter(FacetInput input);
    ~SpyFacetCounter();

    // The spies to attach to the search's own pass (owned by the counter).
    std::vector<Xapian::MatchSpy*> MainSpies();
    // Runs the other passes with `run` and returns the tallies of the facets asked for.
    FacetTallies Finish(const CountPass& run);

  private:
    struct PassKey {
        std::optional<SearchFacet> without;  // the clause left out
        bool national_included = false;      // counted with national records included
        std::vector<std::string> extra;      // extra boolean terms every match must have
        auto operator<=>(const PassKey&) const = default;
    };
    struct Pass {
        std::map<Xapian::valueno, std::unique_ptr<Xapian::ValueCountMatchSpy>> spies;
        bool done = false;
    };

    PassKey Key(std::optional<SearchFacet> without, bool national_included,
                std::vector<std::string> extra = {}) const;
    void Want(const PassKey& key, Xapian::valueno slot);
    void Run(const PassKey& key, Pass& pass, const CountPass& run);
    std::map<std::string, uint64_t> Counts(const PassKey& key, Xapian::valueno slot) const;
    void TallyArea(const CountPass& run, FacetTallies& out);

    FacetInput in_;
    std::vector<SearchFacet> facets_;  // asked for, distinct
    std::map<PassKey, Pass> passes_;
};

// The facets of `request.facets`, each once, in the order asked.
std::vector<SearchFacet> DistinctFacets(const SearchRequest& request);

}  // namespace tnohaku
