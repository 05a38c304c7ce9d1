#include "core/column_search.h"

#include <algorithm>
#include <cmath>
#include <tuple>

#include "core/geo.h"

namespace tnohaku {

namespace {

// Unions of at least this many parts (a query word's terms across languages, a filter's
// codes) are cached as a whole, so a repeated word or filter costs one lookup.
constexpr size_t kCachedUnionParts = 2;

// The set cache's key of `query`: its kind of set, then Xapian's description of it.
// (Appended rather than `"D" + description`, on which GCC 12 warns falsely: -Wrestrict.)
std::string SetKey(char kind, const Xapian::Query& query) {
    std::string key(1, kind);
    key += query.get_description();
    return key;
}

// The set cache's key of a union (OR, MAX, SYNONYM) that Evaluate keeps as a whole, or
// empty for one of too few parts.
std::string UnionKey(const Xapian::Query& query) {
    return query.get_num_subqueries() >= kCachedUnionParts ? SetKey('D', query) : "";
}

// Collects the docids Xapian matches.
class DocidCollector : public Xapian::MatchSpy {
  public:
    explicit DocidCollector(DocSet* out) : out_(out) {}
    void operator()(const Xapian::Document& doc, double) override {
        const Xapian::docid d = doc.get_docid();
        if (d < out_->size()) out_->Add(d);
    }

  private:
    DocSet* out_;
};

// A shared_ptr that does not own `set` (it lives in the store).
std::shared_ptr<const DocSet> Borrowed(const DocSet& set) {
    return std::shared_ptr<const DocSet>(std::shared_ptr<const DocSet>(), &set);
}

// The term of a one-term query (possibly weight-scaled), else nullopt.
std::optional<std::string> LeafTerm(const Xapian::Query& query) {
    if (query.get_type() == Xapian::Query::OP_SCALE_WEIGHT) return LeafTerm(query.get_subquery(0));
    if (query.get_type() != Xapian::Query::LEAF_TERM) return std::nullopt;
    return *query.get_terms_begin();
}

RankOrder NameOrder(Lang lang) {
    switch (lang) {
        case Lang::kFi:
            return RankOrder::kNameFi;
        case Lang::kSv:
            return RankOrder::kNameSv;
        case Lang::kEn:
            return RankOrder::kNameEn;
    }
    return RankOrder::kNameFi;
}

}  // namespace

// ---------------------------------------------------------------------------------------
// SetEvaluator

std::shared_ptr<const DocSet> SetEvaluator::Term(const std::string& term) {
    // Not cached on its own: the words and clauses made of terms are, and caching every
    // term too would push them out of the budget.
    if (term.empty()) return Borrowed(store_.live());
    auto set = std::make_shared<DocSet>(store_.size());
    AddPostings(term, *set);
    return set;
}

void SetEvaluator::AddPostings(const std::string& term, DocSet& set) const {
    for (auto it = db_.postlist_begin(term); it != db_.postlist_end(term); ++it) {
        if (*it < set.size()) set.Add(*it);
    }
}

std::shared_ptr<const DocSet> SetEvaluator::ByXapian(const Xapian::Query& query) {
    const std::string key = SetKey('D', query);
    if (auto cached = store_.sets().Find(key)) return cached;
    auto set = std::make_shared<DocSet>(store_.size());
    DocidCollector collect(set.get());
    Xapian::Enquire enquire(db_);
    enquire.set_query(query);
    enquire.set_weighting_scheme(Xapian::BoolWeight());
    enquire.set_docid_order(Xapian::Enquire::DONT_CARE);
    enquire.add_matchspy(&collect);
    enquire.get_mset(0, 0, db_.get_doccount());
    store_.sets().Insert(key, set);
    return set;
}

std::shared_ptr<const DocSet> SetEvaluator::Evaluate(const Xapian::Query& query) {
    const size_t n = query.get_num_subqueries();
    switch (query.get_type()) {
        case Xapian::Query::LEAF_TERM:
            return Term(*query.get_terms_begin());
        case Xapian::Query::LEAF_MATCH_ALL:
            return Borrowed(store_.live());
        case Xapian::Query::LEAF_MATCH_NOTHING:
            return std::make_shared<DocSet>(store_.size());
        case Xapian::Query::OP_SCALE_WEIGHT:
        case Xapian::Query::OP_AND_MAYBE:  // the first subquery decides what matches
            return Evaluate(query.get_subquery(0));
        case Xapian::Query::OP_OR:
        case Xapian::Query::OP_MAX:
        case Xapian::Query::OP_SYNONYM: {
            const std::string key = UnionKey(query);
            if (!key.empty()) {
                if (auto cached = store_.sets().Find(key)) return cached;
            }
            auto set = std::make_shared<DocSet>(store_.size());
            for (size_t i = 0; i < n; ++i) {
                // A term of the union adds its postings straight in: no set of its own
                // to allocate and OR (a prefix expands to dozens of terms).
                const Xapian::Query sub = query.get_subquery(i);
                if (std::optional<std::string> term = LeafTerm(sub); term && !term->empty()) {
                    AddPostings(*term, *set);
                } else {
                    *set |= *Evaluate(sub);
                }
            }
            if (!key.empty()) store_.sets().Insert(key, set);
            return set;
        }
        case Xapian::Query::OP_AND:
        case Xapian::Query::OP_FILTER: {
            auto set = std::make_shared<DocSet>(*Evaluate(query.get_subquery(0)));
            for (size_t i = 1; i < n; ++i) *set &= *Evaluate(query.get_subquery(i));
            return set;
        }
        case Xapian::Query::OP_AND_NOT: {
            auto set = std::make_shared<DocSet>(*Evaluate(query.get_subquery(0)));
            for (size_t i = 1; i < n; ++i) set->Subtract(*Evaluate(query.get_subquery(i)));
            return set;
        }
        default:
            // Wildcards, value ranges and anything else: Xapian knows what they match.
            return ByXapian(query);
    }
}

// The sets Evaluate keeps: unions (UnionKey) and what it asks Xapian for.
bool SetEvaluator::HoldsPart(const Xapian::Query& query) const {
    size_t parts = query.get_num_subqueries();  // the subqueries Evaluate reads
    switch (query.get_type()) {
        case Xapian::Query::LEAF_TERM:
        case Xapian::Query::LEAF_MATCH_ALL:
        case Xapian::Query::LEAF_MATCH_NOTHING:
            return false;
        case Xapian::Query::OP_OR:
        case Xapian::Query::OP_MAX:
        case Xapian::Query::OP_SYNONYM: {
            const std::string key = UnionKey(query);
            if (!key.empty() && store_.sets().Contains(key)) return true;
            break;
        }
        case Xapian::Query::OP_SCALE_WEIGHT:
        case Xapian::Query::OP_AND_MAYBE:  // the first subquery decides what matches
            parts = 1;
            break;
        case Xapian::Query::OP_AND:
        case Xapian::Query::OP_FILTER:
        case Xapian::Query::OP_AND_NOT:
            break;
        default:
            return store_.sets().Contains(SetKey('D', query));
    }
    for (size_t i = 0; i < parts; ++i) {
        if (HoldsPart(query.get_subquery(i))) return true;
    }
    return false;
}

// ---------------------------------------------------------------------------------------
// ColumnSearch

ColumnSearch::ColumnSearch(const Xapian::Database& db, const ColumnStore& store,
                           ColumnSearchInput input)
    : store_(store), sets_(db, store), in_(input) {
    if (in_.request->near) {
        geo_checked_ = DocSet(store.size());
        geo_inside_ = DocSet(store.size());
    }
}

void ColumnSearch::SetText(const Xapian::Query& text) {
    text_ = text.empty() ? Borrowed(store_.live()) : sets_.Evaluate(text);
    matches_.reset();
}

void ColumnSearch::SetText(const Xapian::Query& text, std::shared_ptr<const DocSet> matches) {
    store_.sets().Insert(SetKey('D', text), matches);
    text_ = std::move(matches);
    matches_.reset();
}

bool ColumnSearch::SetTextFromCache(const Xapian::Query& text) {
    if (text.empty()) return false;
    if (std::shared_ptr<const DocSet> cached = store_.sets().Find(SetKey('D', text))) {
        text_ = std::move(cached);
    } else if (sets_.HoldsPart(text)) {
        text_ = sets_.Evaluate(text);
    } else {
        return false;
    }
    matches_.reset();
    return true;
}

std::shared_ptr<const DocSet> ColumnSearch::ClauseSet(const Filters::Clause& clause) {
    if (!clause.exclude) {
        // A one-code clause is a single term, which Evaluate does not cache; filters
        // repeat across requests far more than words do, so cache it here.
        if (clause.query.get_type() != Xapian::Query::LEAF_TERM)
            return sets_.Evaluate(clause.query);
        const std::string key = SetKey('C', clause.query);
        if (auto cached = store_.sets().Find(key)) return cached;
        auto set = sets_.Evaluate(clause.query);
        store_.sets().Insert(key, set);
        return set;
    }
    const std::string key = SetKey('N', clause.query);
    if (auto cached = store_.sets().Find(key)) return cached;
    auto set = std::make_shared<DocSet>(store_.live());
    set->Subtract(*sets_.Evaluate(clause.query));
    store_.sets().Insert(key, set);
    return set;
}

void ColumnSearch::ApplyGeo(DocSet& set) {
    if (!in_.request->near) return;
    const RadiusCheck check(*in_.request->near, in_.request->radius_km);
    set.ForEach([&](uint32_t d) {
        if (geo_checked_.Contains(d)) return;
        geo_checked_.Add(d);
        if (store_.Within(d, check)) geo_inside_.Add(d);
    });
    set &= geo_inside_;
}

void ColumnSearch::AndClauses(const Filters& filters, std::optional<SearchFacet> without,
                              DocSet& set) {
    for (const Filters::Clause& clause : filters.clauses()) {
        if (without && clause.facet == without) continue;
        set &= *ClauseSet(clause);
    }
}

DocSet ColumnSearch::CountSet(const Filters& filters, std::optional<SearchFacet> without) {
    DocSet set = *text_;
    AndClauses(filters, without, set);
    ApplyGeo(set);
    return set;
}

const DocSet& ColumnSearch::Matches() {
    if (!matches_) matches_ = CountSet(*in_.filters, std::nullopt);
    return *matches_;
}

DocSet ColumnSearch::ClauseMatches() {
    DocSet set = store_.live();
    AndClauses(*in_.filters, std::nullopt, set);
    return set;
}

DocSet ColumnSearch::PreferredAmong(const DocSet& set) {
    const Xapian::Query& preferred = in_.filters->preferred();
    if (preferred.empty()) return DocSet(store_.size());
    return set & *ClauseSet({std::nullopt, preferred, false});
}

namespace {

struct ComboCounter {
    const PackedUints* combo;
    const uint16_t* narrow;  // combo's values when two bytes wide, else null
    uint64_t* count;
};

// Adds one to each counter's combination of every document `for_each_doc` calls back with.
template <typename ForEachDoc>
void CountDocs(ForEachDoc&& for_each_doc, const std::vector<ComboCounter>& counters) {
    if (counters.size() == 1) {  // the common drill-sideways case: no inner loop
        const ComboCounter c = counters[0];
        if (c.narrow) {
            for_each_doc([&](uint32_t d) { ++c.count[c.narrow[d]]; });
        } else {
            for_each_doc([&](uint32_t d) { ++c.count[(*c.combo)[d]]; });
        }
        return;
    }
    const bool all_narrow = std::all_of(counters.begin(), counters.end(),
                                        [](const ComboCounter& c) { return c.narrow; });
    if (all_narrow) {  // the common case: no test per document
        for_each_doc([&](uint32_t d) {
            for (const ComboCounter& c : counters) ++c.count[c.narrow[d]];
        });
    } else {
        for_each_doc([&](uint32_t d) {
            for (const ComboCounter& c : counters)
                ++c.count[c.narrow ? c.narrow[d] : (*c.combo)[d]];
        });
    }
}

// How many documents of `set` (live documents of `store`) have each combination, for
// several columns in one pass over the set (reading the columns side by side instead of
// walking the set per facet). A set holding most of the documents, as a browse or a short
// prefix does, is counted by the documents it lacks, taken from the columns' totals.
std::vector<std::vector<uint64_t>> CountCombos(const DocSet& set, const ColumnStore& store,
                                               const std::vector<const ComboColumn*>& columns) {
    std::vector<std::vector<uint64_t>> out;
    std::vector<ComboCounter> counters;
    for (const ComboColumn* c : columns) {
        uint64_t* count = out.emplace_back(c->combos, 0).data();
        counters.push_back({c->combo, c->combo->narrow(), count});
    }
    if (2 * set.Count() <= store.live_count()) {
        CountDocs([&](auto&& f) { set.ForEach(f); }, counters);
        return out;
    }
    CountDocs([&](auto&& f) { store.live().ForEachNotIn(set, f); }, counters);
    for (size_t i = 0; i < columns.size(); ++i) {
        const std::vector<uint32_t>& all = *columns[i]->live_counts;
        for (size_t k = 0; k < out[i].size(); ++k) out[i][k] = all[k] - out[i][k];
    }
    return out;
}

}  // namespace

ComboColumn ColumnSearch::Combos(SearchFacet facet) const {
    const AreaColumn& area = store_.Area();
    if (facet == SearchFacet::kArea) return {&area.combo, area.combos(), &area.live_counts};
    const FacetColumn& column = store_.Facet(facet);
    return {&column.combo, column.combo_codes.size(), &column.live_counts};
}

void ColumnSearch::AddCounts(SearchFacet facet, const std::vector<uint64_t>& per_combo,
                             FacetTallies& out) const {
    if (facet == SearchFacet::kArea) return AddAreaCounts(per_combo, out);
    const FacetColumn& column = store_.Facet(facet);
    std::vector<uint64_t> per_code(column.codes.size(), 0);
    for (size_t c = 1; c < per_combo.size(); ++c) {
        if (!per_combo[c]) continue;
        for (uint32_t code : column.combo_codes[c]) per_code[code] += per_combo[c];
    }
    out.codes[facet] = CodeCounts::Borrowing(column.codes, std::move(per_code));
}

void ColumnSearch::AddAreaCounts(const std::vector<uint64_t>& per_combo, FacetTallies& out) const {
    const AreaColumn& area = store_.Area();
    std::vector<uint64_t> regions(area.region_codes.size(), 0);
    std::vector<uint64_t> municipalities(area.municipality_codes.size(), 0);
    for (size_t c = 0; c < per_combo.size(); ++c) {
        if (!per_combo[c]) continue;
        if (area.national[c]) {
            // National records count in every area while included (when excluded, the
            // request's own clause keeps them out of the set).
            if (in_.request->include_national) out.national_everywhere += per_combo[c];
            continue;
        }
        for (uint32_t r : area.regions[c]) regions[r] += per_combo[c];
        for (uint32_t m : area.municipalities[c]) municipalities[m] += per_combo[c];
    }
    out.regions = CodeCounts::Borrowing(area.region_codes, std::move(regions));
    out.municipalities = CodeCounts::Borrowing(area.municipality_codes, std::move(municipalities));
}

void ColumnSearch::CountOver(const DocSet& set, const std::vector<SearchFacet>& facets,
                             FacetTallies& out) const {
    if (facets.empty()) return;
    std::vector<const ComboColumn*> columns;
    std::vector<ComboColumn> owned;
    owned.reserve(facets.size());
    for (SearchFacet f : facets) columns.push_back(&owned.emplace_back(Combos(f)));
    const std::vector<std::vector<uint64_t>> per_combo = CountCombos(set, store_, columns);
    for (size_t i = 0; i < facets.size(); ++i) AddCounts(facets[i], per_combo[i], out);
}

FacetTallies ColumnSearch::Tally() {
    const SearchRequest& req = *in_.request;
    const Filters& filters = *in_.filters;
    FacetTallies out;
    std::vector<SearchFacet> over_matches;  // counted together in one pass
    for (SearchFacet f : DistinctFacets(req)) {
        if (f == SearchFacet::kNational && !req.include_national) {
            // Counted as if national records were included.
            CountOver(CountSet(*in_.national_filters, std::nullopt), {f}, out);
        } else if (f != SearchFacet::kNational && filters.Has(f)) {
            CountOver(CountSet(filters, f), {f}, out);  // drill sideways
        } else {
            over_matches.push_back(f);
        }
    }
    CountOver(Matches(), over_matches, out);
    return out;
}

std::optional<double> ColumnSearch::Distance(uint32_t docid) const {
    if (!in_.request->near) return std::nullopt;
    return store_.NearestKm(docid, *in_.request->near);
}

std::vector<PageEntry> ColumnSearch::Page(SortOrder sort) {
    const SearchRequest& req = *in_.request;
    const DocSet& matches = Matches();
    const size_t window = size_t{req.offset} + req.limit;
    std::vector<PageEntry> page;
    if (sort == SortOrder::kDistance) {
        const auto& by_id = store_.Rank(RankOrder::kId);
        std::vector<std::tuple<double, uint32_t, uint32_t>> keyed;  // km, id rank, docid
        matches.ForEach([&](uint32_t d) {
            std::optional<double> km = Distance(d);
            keyed.emplace_back(km ? *km : HUGE_VAL, by_id[d], d);
        });
        const size_t end = std::min(window, keyed.size());
        std::partial_sort(keyed.begin(), keyed.begin() + static_cast<ptrdiff_t>(end), keyed.end());
        for (size_t i = req.offset; i < end; ++i) {
            page.push_back({std::get<2>(keyed[i]), std::get<0>(keyed[i])});
        }
        return page;
    }
    RankOrder order = NameOrder(req.lang);
    if (sort == SortOrder::kStartDate) order = RankOrder::kStartDay;
    if (sort == SortOrder::kEndDate) order = RankOrder::kEndDay;
    if (sort == SortOrder::kUpdated) order = RankOrder::kUpdated;
    const auto& rank = store_.Rank(order);
    std::vector<uint64_t> keyed;  // rank << 32 | docid
    matches.ForEach([&](uint32_t d) { keyed.push_back(uint64_t{rank[d]} << 32 | d); });
    const size_t end = std::min(window, keyed.size());
    std::partial_sort(keyed.begin(), keyed.begin() + static_cast<ptrdiff_t>(end), keyed.end());
    for (size_t i = req.offset; i < end; ++i) {
        const uint32_t d = static_cast<uint32_t>(keyed[i] & 0xffffffffu);
        page.push_back({d, Distance(d)});
    }
    return page;
}

}  // namespace tnohaku
