#include "core/search_run.h"

#include <algorithm>
#include <iterator>
#include <optional>

#include "core/column_search.h"
#include "core/facets.h"
#include "core/highlight.h"
#include "core/index_format.h"
#include "core/name_match.h"

namespace tnohaku {

namespace fmt = index_format;

namespace {

// The documents of a DocSet as a boolean Xapian posting source: the relevance pass
// filtered to exactly the column search's matches (clauses and geo radius included), so
// that Xapian skips straight to them. (A MatchDecider with a small check_at_least made
// Xapian 1.4.22 crash on some OR queries; see the column search test.)
class DocSetSource : public Xapian::PostingSource {
  public:
    DocSetSource(const DocSet& set, Xapian::doccount count) : set_(set), count_(count) {}
    Xapian::doccount get_termfreq_min() const override { return count_; }
    Xapian::doccount get_termfreq_est() const override { return count_; }
    Xapian::doccount get_termfreq_max() const override { return count_; }
    Xapian::docid get_docid() const override { return current_; }
    void next(double) override { current_ = set_.NextFrom(current_ + 1); }
    void skip_to(Xapian::docid did, double) override {
        if (did > current_) current_ = set_.NextFrom(did);
    }
    bool at_end() const override { return current_ >= set_.size(); }
    void init(const Xapian::Database&) override { current_ = 0; }
    Xapian::PostingSource* clone() const override { return new DocSetSource(set_, count_); }
    std::string get_description() const override {
        return "DocSetSource(" + std::to_string(count_) + ")";
    }

  private:
    const DocSet& set_;
    Xapian::doccount count_;
    Xapian::docid current_ = 0;  // 0: before the first member
};

FacetInput FacetInputFor(const SearchRun& run, const Xapian::Query& text) {
    FacetInput input;
    input.request = run.request;
    input.vocab = run.vocab;
    input.text = text;
    input.filters = run.filters;
    input.national_filters = run.national_filters;
    input.organisations = run.organisations;
    if (run.request->WantsFacet(SearchFacet::kArea) && run.overlap_regions)
        input.overlap_regions = run.overlap_regions();
    return input;
}

// A hit without highlights (they come last, after name matches reordered the page).
Hit MakeHit(const Xapian::Document& doc) {
    Hit hit;
    hit.id = doc.get_value(fmt::kId);
    Result<Record> stored = ReadStoredRecord(doc.get_data());
    if (stored.ok()) {
        hit.record = std::move(stored).value();
    } else {
        hit.record.id = hit.id;  // unreadable data: the id at least
    }
    return hit;
}

// Relevance pages: name matches first within blocks of ranks (core/name_match.h), then
// every hit's highlights (an unreadable record has no text, so none).
void FinishHits(const SearchRun& run, const TextQuery& text, bool by_name, std::vector<Hit>& hits) {
    const SearchRequest& request = *run.request;
    if (by_name) {
        PreferNameMatches(*run.analyzer, text,
                          {request.lang, run.name_coverage, request.offset, request.limit}, hits);
    }
    const HighlightTerms marks = HighlightTerms::FromQuery(text);
    for (Hit& hit : hits)
        hit.highlights = Highlight(*run.analyzer, hit.record, request.lang, marks);
}

// Relevance weights of the page's documents: the text query filtered to exactly those
// documents (a boolean filter leaves BM25's statistics, and so the weights, unchanged).
// `docids[i]` is the document of `hits[i]`.
void ScoreHits(const SearchRun& run, const Xapian::Query& text,
               const std::vector<Xapian::docid>& docids, std::vector<Hit>& hits) {
    if (hits.empty()) return;
    std::vector<Xapian::Query> ids;
    for (const Hit& hit : hits) ids.emplace_back(fmt::kIdPrefix + hit.id);
    Xapian::Enquire enquire(*run.db);
    enquire.set_query(Xapian::Query(Xapian::Query::OP_FILTER, text,
                                    Xapian::Query(Xapian::Query::OP_OR, ids.begin(), ids.end())));
    Xapian::MSet mset = enquire.get_mset(0, static_cast<Xapian::doccount>(hits.size()));
    std::map<Xapian::docid, double> weights;
    for (auto it = mset.begin(); it != mset.end(); ++it) weights[*it] = it.get_weight();
    for (size_t i = 0; i < hits.size(); ++i) {
        auto w = weights.find(docids[i]);
        hits[i].score = w == weights.end() ? 0 : w->second;
    }
}

// A document of a relevance page.
struct Ranked {
    double weight = 0;
    std::string id;  // the tie-break: equal weights in id order
    Xapian::Document doc;
};

bool RanksBefore(const Ranked& a, const Ranked& b) {
    return a.weight != b.weight ? a.weight > b.weight : a.id < b.id;
}

// One relevance pass: the `want` best documents of `within` by Xapian's BM25 of `text`,
// best first.
struct RelevancePass {
    Xapian::Query text;
    const DocSet* within = nullptr;
    uint64_t count = 0;  // members of `within`
    Xapian::doccount want = 0;
};

// Below this many members Xapian's pass is cheap anyway: the scorer is not even compiled.
constexpr uint64_t kMinTermScoring = 2000;

// Whether scoring term at a time and ranking the candidates costs less than Xapian's
// passes over `count` members (every pass of a request), which check each of the query's
// terms at each member. The weight is fitted to the in-process times of the benchmark's
// workload at 100k and 1M with and without the scorer (bench/analysis.md §0): reading a
// posting and weighing it costs about two fifths of such a check.
bool TermScoringIsCheaper(const TextScorer& scorer, uint64_t count) {
    const double xapian = static_cast<double>(count) * static_cast<double>(scorer.terms());
    return 0.4 * static_cast<double>(scorer.postings()) < xapian;
}

// The parts of a set that a relevance page ranks apart: the members the request prefers
// (Filters::Prefer weighs them more) and the others, or the whole set when it prefers
// none (then the set itself, not a copy: 125 KiB at 1M records).
struct RelevanceParts {
    std::vector<const DocSet*> sets;  // in `owned`, or the set they were taken from
    bool preferring = false;          // sets[0] is preferred, sets[1] the others
    std::vector<DocSet> owned;

    std::vector<TextScorer::Group> Groups(Xapian::doccount want) const {
        std::vector<TextScorer::Group> groups;
        for (const DocSet* set : sets) groups.push_back({set, want});
        return groups;
    }
};

// `set` must outlive the parts.
RelevanceParts PartsOf(const SearchRun& run, ColumnSearch& search, const DocSet& set) {
    RelevanceParts parts;
    if (run.filters->preferred().empty()) {
        parts.sets.push_back(&set);
        return parts;
    }
    parts.preferring = true;
    parts.owned.push_back(search.PreferredAmong(set));
    parts.owned.push_back(set);
    parts.owned[1].Subtract(parts.owned[0]);
    parts.sets = {&parts.owned[0], &parts.owned[1]};
    return parts;
}

// What a request's relevance passes rank: `text` over `matches` (`total` members), in
// disjoint groups each ranked apart.
struct RankedGroups {
    const Xapian::Query* text = nullptr;
    const DocSet* matches = nullptr;
    uint64_t total = 0;
    std::vector<TextScorer::Group> groups;
};

// The members of each group that may be among its best, by the text's weights summed
// term at a time in one walk for all the groups (core/text_scorer.h), when that is
// allowed and cheaper than Xapian's passes over all their members; nullopt to rank every
// member with Xapian.
std::optional<std::vector<DocSet>> TermScoringCandidates(const SearchRun& run,
                                                         const RankedGroups& ranked) {
    if (run.term_scoring == TermScoring::kNever || !run.columns) return std::nullopt;
    if (run.term_scoring == TermScoring::kWhenCheaper && ranked.total < kMinTermScoring)
        return std::nullopt;
    std::optional<TextScorer> scorer = TextScorer::Compile(*run.db, *ranked.text);
    if (!scorer) return std::nullopt;
    if (run.term_scoring == TermScoring::kWhenCheaper &&
        !TermScoringIsCheaper(*scorer, ranked.total))
        return std::nullopt;
    return scorer->Candidates({ranked.matches, &run.columns->DocLengths()}, ranked.groups);
}

// Below this many postings a text's match set is read in microseconds either way.
constexpr uint64_t kMinWalkPostings = 2000;

// A relevance request's text matches and its candidates from one walk over the text's
// postings (TextScorer::Candidates with the match set) instead of two reads of them, the
// match set's and then the scorer's: at 1M records the two were more than half of a
// request (bench/analysis.md §0). The walk also weighs the postings of requests whose few
// matches Xapian would rank quickly, yet on the benchmark's workload walking wherever the
// set cache holds no part of the text (the caller's check) cost less than walking only
// where the scorer's rule would choose it on an estimated total. Not under a radius: it
// is checked per match, and the matches are known only after the walk. Sets the search's
// text and returns the candidates of the groups (RelevanceParts of the clauses' matches)
// when it walks; nullopt when it does not.
std::optional<std::vector<DocSet>> WalkText(const SearchRun& run, const Xapian::Query& text,
                                            Xapian::doccount want, ColumnSearch& search) {
    if (run.term_scoring == TermScoring::kNever || run.request->near) return std::nullopt;
    std::optional<TextScorer> scorer = TextScorer::Compile(*run.db, text);
    if (!scorer) return std::nullopt;
    if (run.term_scoring == TermScoring::kWhenCheaper && scorer->postings() < kMinWalkPostings)
        return std::nullopt;
    const ColumnStore& store = *run.columns;
    const DocSet clauses = search.ClauseMatches();
    const RelevanceParts parts = PartsOf(run, search, clauses);
    auto matches = std::make_shared<DocSet>(store.size());
    std::vector<DocSet> candidates =
        scorer->Candidates({&store.live(), &store.DocLengths()}, parts.Groups(want), matches.get());
    search.SetText(text, std::move(matches));
    return candidates;
}

// Group `i`'s candidates, or null when Xapian ranks every member.
const DocSet* GroupCandidates(const std::optional<std::vector<DocSet>>& candidates, size_t i) {
    return candidates ? &(*candidates)[i] : nullptr;
}

// One relevance pass over `candidates` (null: every member of pass.within). Xapian's
// weights do not depend on the filter, so ranking the candidates alone gives the same
// best documents, in the same order, as ranking every member.
std::vector<Ranked> RunPass(const SearchRun& run, const RelevancePass& pass,
                            const DocSet* candidates) {
    std::vector<Ranked> out;
    if (pass.count == 0 || pass.want == 0) return out;
    const DocSet& within = candidates ? *candidates : *pass.within;
    const uint64_t count = candidates ? candidates->Count() : pass.count;
    DocSetSource source(within, static_cast<Xapian::doccount>(count));
    const Xapian::Database& db = *run.db;
    Xapian::Enquire enquire(db);
    // Always filtered, even where `within` is all the text matches: without the filter,
    // Xapian 1.4.22 crashed inside get_mset on some queries of the judged set (a small
    // check_at_least prunes differently).
    enquire.set_query(Xapian::Query(Xapian::Query::OP_FILTER, pass.text, Xapian::Query(&source)));
    enquire.set_sort_by_relevance_then_value(fmt::kId, false);
    Xapian::MSet mset = enquire.get_mset(0, pass.want, pass.want);
    for (auto it = mset.begin(); it != mset.end(); ++it) {
        Xapian::Document doc = it.get_document();
        out.push_back({it.get_weight(), doc.get_value(fmt::kId), std::move(doc)});
    }
    return out;
}

// The relevance page `window` of the search's matches, from `candidates` when the walk
// that read the text chose them (WalkText). Documents the request prefers weigh more;
// rather than one query holding the text twice (preferred and not, which Xapian evaluates
// twice for every match), the two kinds are ranked apart, the preferred with their
// weights scaled the same way (scaling keeps the order, so the unscaled sums choose the
// preferred candidates), and merged. Weights and order are those of the one query's.
std::vector<Ranked> BestByRelevance(const SearchRun& run, const Xapian::Query& text,
                                    ColumnSearch& search, RankWindow window,
                                    std::optional<std::vector<DocSet>> candidates) {
    const Xapian::doccount want = window.first + window.count;
    const DocSet& matches = search.Matches();
    const RelevanceParts parts = PartsOf(run, search, matches);
    if (!candidates) {
        candidates =
            TermScoringCandidates(run, {&text, &matches, matches.Count(), parts.Groups(want)});
    }
    const Xapian::Query scaled(Xapian::Query::OP_SCALE_WEIGHT, text,
                               run.filters->preferred_factor());
    std::vector<Ranked> best;
    for (size_t i = 0; i < parts.sets.size(); ++i) {
        const Xapian::Query& query = parts.preferring && i == 0 ? scaled : text;
        const DocSet& set = *parts.sets[i];
        std::vector<Ranked> ranked =
            RunPass(run, {query, &set, set.Count(), want}, GroupCandidates(candidates, i));
        std::vector<Ranked> merged;
        std::merge(std::make_move_iterator(best.begin()), std::make_move_iterator(best.end()),
                   std::make_move_iterator(ranked.begin()), std::make_move_iterator(ranked.end()),
                   std::back_inserter(merged), RanksBefore);
        best = std::move(merged);
    }
    if (best.size() > want) best.resize(want);
    best.erase(best.begin(), best.begin() + std::min<size_t>(window.first, best.size()));
    return best;
}

}  // namespace

SearchResult RunWithColumns(const SearchRun& run, const TextQuery& text, bool* used_any) {
    const SearchRequest& request = *run.request;
    const bool browse = text.empty();
    SortOrder sort = request.sort;
    if (sort == SortOrder::kRelevance && browse) sort = SortOrder::kName;
    // Relevance pages are cut from whole blocks that name matches reorder.
    const RankWindow window = NameMatchWindow(request.offset, request.limit);

    ColumnSearch search(*run.db, *run.columns, {&request, run.filters, run.national_filters});
    bool any = false;
    std::optional<std::vector<DocSet>> walked;  // the candidates of WalkText
    uint64_t total = 0;
    for (const Xapian::Query* words : {&text.all, &text.any}) {
        any = words == &text.any;
        walked.reset();
        const Xapian::Query& query = browse ? Xapian::Query() : *words;
        if (!search.SetTextFromCache(query)) {
            if (sort == SortOrder::kRelevance)
                walked = WalkText(run, query, window.first + window.count, search);
            if (!walked) search.SetText(query);
        }
        total = search.Matches().Count();
        if (total > 0 || browse || text.words.size() <= 1) break;  // else fall back to OR
    }
    if (used_any) *used_any = any;
    const Xapian::Query text_query = browse ? Xapian::Query() : (any ? text.any : text.all);

    SearchResult result;
    result.generation = run.generation;
    result.total = total;
    BuildFacets(FacetInputFor(run, text_query), search.Tally(), result);

    if (sort == SortOrder::kRelevance) {
        for (const Ranked& best :
             BestByRelevance(run, text_query, search, window, std::move(walked))) {
            Hit hit = MakeHit(best.doc);
            hit.score = best.weight;
            hit.distance_km = search.Distance(best.doc.get_docid());
            result.hits.push_back(std::move(hit));
        }
        FinishHits(run, text, true, result.hits);
        return result;
    }
    std::vector<Xapian::docid> docids;
    for (const PageEntry& entry : search.Page(sort)) {
        Hit hit = MakeHit(run.db->get_document(entry.docid));
        hit.distance_km = entry.distance_km;
        result.hits.push_back(std::move(hit));
        docids.push_back(entry.docid);
    }
    if (!browse) ScoreHits(run, run.filters->Prefer(text_query), docids, result.hits);
    FinishHits(run, text, false, result.hits);
    return result;
}

SearchResult RunWithSpies(const SearchRun& run, const TextQuery& text, bool* used_any) {
    const SearchRequest& request = *run.request;
    const Xapian::Database& db = *run.db;
    const Xapian::doccount all = db.get_doccount();
    const bool browse = text.empty();
    SearchResult result;
    result.generation = run.generation;

    for (int pass = 0; pass < 2; ++pass) {
        const bool any = pass == 1;
        const Xapian::Query& text_query = any ? text.any : text.all;
        Xapian::Enquire enquire(db);
        enquire.set_query(run.filters->Apply(browse ? Xapian::Query() : text_query));
        if (browse) enquire.set_weighting_scheme(Xapian::BoolWeight());

        // Sorts by one value slot holding the whole key (index_format.h: remote shards
        // run no KeyMaker); only distances are computed here, so only locally.
        std::optional<DistanceKeyMaker> distance_keys;
        SortOrder sort = request.sort;
        if (sort == SortOrder::kRelevance && browse) sort = SortOrder::kName;
        switch (sort) {
            case SortOrder::kRelevance:
                enquire.set_sort_by_relevance_then_value(fmt::kId, false);
                break;
            case SortOrder::kName:
                enquire.set_sort_by_value(fmt::NameSortSlot(request.lang), false);
                break;
            case SortOrder::kDistance:
                distance_keys.emplace(*run.geo);
                enquire.set_sort_by_key(&*distance_keys, false);
                break;
            case SortOrder::kStartDate:
                enquire.set_sort_by_value(fmt::kSortStart, false);
                break;
            case SortOrder::kEndDate:
                enquire.set_sort_by_value(fmt::kSortEnd, false);
                break;
            case SortOrder::kUpdated:
                enquire.set_sort_by_value(fmt::kSortUpdated, false);
                break;
        }

        const FacetInput facet_input = FacetInputFor(run, browse ? Xapian::Query() : text_query);
        SpyFacetCounter counter(facet_input);
        if (!run.count_apart) {
            for (Xapian::MatchSpy* spy : counter.MainSpies()) enquire.add_matchspy(spy);
        }

        const Xapian::doccount check =
            std::max<Xapian::doccount>(all, request.offset + request.limit);
        // Relevance pages are cut from whole blocks that name matches reorder.
        const bool by_name = sort == SortOrder::kRelevance && !browse;
        const RankWindow window = by_name ? NameMatchWindow(request.offset, request.limit)
                                          : RankWindow{request.offset, request.limit};
        Xapian::MSet mset = enquire.get_mset(window.first, window.count, check, nullptr, run.geo);
        result.total = mset.get_matches_estimated();
        if (result.total == 0 && !any && text.words.size() > 1) continue;  // fall back to OR
        if (used_any) *used_any = any;

        FacetTallies tallies = counter.Finish(
            [&](const Xapian::Query& q, const std::vector<Xapian::MatchSpy*>& spies) {
                Xapian::Enquire e(db);
                e.set_query(q);
                e.set_weighting_scheme(Xapian::BoolWeight());
                e.set_docid_order(Xapian::Enquire::DONT_CARE);
                for (Xapian::MatchSpy* spy : spies) e.add_matchspy(spy);
                e.get_mset(0, 0, all, nullptr, run.geo);
            });
        BuildFacets(facet_input, tallies, result);

        for (auto it = mset.begin(); it != mset.end(); ++it) {
            Xapian::Document doc = it.get_document();
            Hit hit = MakeHit(doc);
            hit.score = browse ? 0 : it.get_weight();
            if (run.geo) hit.distance_km = run.geo->Distance(doc);
            result.hits.push_back(std::move(hit));
        }
        FinishHits(run, text, by_name, result.hits);
        break;
    }
    return result;
}

uint64_t CountMatches(const SearchRun& run, const Xapian::Query& text) {
    if (run.columns) {
        ColumnSearch search(*run.db, *run.columns,
                            {run.request, run.filters, run.national_filters});
        search.SetText(text);
        return search.Matches().Count();
    }
    Xapian::Enquire e(*run.db);
    e.set_query(run.filters->Apply(text));
    e.set_weighting_scheme(Xapian::BoolWeight());
    return e.get_mset(0, 0, run.db->get_doccount(), nullptr, run.geo).get_matches_estimated();
}

}  // namespace tnohaku
