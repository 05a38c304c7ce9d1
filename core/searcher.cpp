#include "core/searcher.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>

#include <rapidjson/document.h>
#include <xapian.h>

#include "core/dates.h"
#include "core/facets.h"
#include "core/geo.h"
#include "core/highlight.h"
#include "core/index_format.h"
#include "core/json_util.h"
#include "core/name_match.h"
#include "core/query_builder.h"
#include "core/spelling.h"
#include "core/suggest.h"
#include "core/synonyms.h"

namespace tnohaku {

namespace fmt = index_format;
namespace fs = std::filesystem;

namespace {

// did_you_mean is tried when a search finds fewer results than this.
constexpr uint64_t kFewResults = 3;
// Retries of a call that met DatabaseModifiedError.
constexpr int kModifiedRetries = 3;
// Paging beyond this many results is refused (deep paging is what filters are for).
constexpr uint64_t kMaxWindow = 100000;

struct StubState {
    std::string text;
    fs::file_time_type mtime;
    bool operator==(const StubState&) const = default;
};

Result<StubState> ReadStub(const std::string& path) {
    std::error_code ec;
    StubState s;
    s.mtime = fs::last_write_time(path, ec);
    if (ec) return Status::Unavailable(path + ": " + ec.message());
    std::ifstream in(path, std::ios::binary);
    if (!in) return Status::Unavailable(path + ": cannot be read");
    std::ostringstream text;
    text << in.rdbuf();
    s.text = text.str();
    return s;
}

uint64_t ParseGeneration(const std::string& text) {
    uint64_t v = 0;
    for (char c : text) {
        if (c < '0' || c > '9') return 0;
        v = v * 10 + static_cast<uint64_t>(c - '0');
    }
    return v;
}

Status FromXapian(const Xapian::Error& e, const std::string& context) {
    std::string msg = context + ": " + e.get_type() + ": " + e.get_msg();
    // Xapian::Error has no virtual functions: tell the kinds apart by their type names
    // (DatabaseModifiedError, DatabaseOpeningError, ..., NetworkError, ...).
    std::string_view type = e.get_type();
    if (type.starts_with("Database") || type.starts_with("Network")) {
        return Status::Unavailable(msg);
    }
    return Status::Internal(msg);
}

Status CheckRequest(const SearchRequest& r) {
    if (r.near) {
        if (!std::isfinite(r.near->lat) || !std::isfinite(r.near->lon) ||
            std::abs(r.near->lat) > 90 || std::abs(r.near->lon) > 180) {
            return Status::InvalidArgument("near: not a WGS84 latitude,longitude");
        }
        if (!std::isfinite(r.radius_km) || r.radius_km <= 0) {
            return Status::InvalidArgument("radius_km: must be a positive number");
        }
    }
    if (r.sort == SortOrder::kDistance && !r.near) {
        return Status::InvalidArgument("sort=distance needs near=lat,lon");
    }
    if (static_cast<uint64_t>(r.offset) + r.limit > kMaxWindow) {
        return Status::InvalidArgument("offset + limit may not exceed " +
                                       std::to_string(kMaxWindow));
    }
    return Status::Ok();
}

}  // namespace

struct Searcher::Impl {
    SearcherOptions options;
    std::shared_ptr<const Vocabulary> vocab;
    std::unique_ptr<Analyzer> analyzer;
    std::unique_ptr<QueryBuilder> builder;
    std::unique_ptr<SynonymsFile> synonyms;  // null without SearcherOptions::synonyms_path
    std::string stub_path;
    StubState stub;
    Xapian::Database db;
    IndexInfo info;
    // Per database revision.
    std::map<std::string, std::string> organisation_labels;
    std::optional<std::vector<std::string>> overlap_regions;

    Status OpenDatabase();
    Status ReadMetadata();
    Status Refresh();
    void ClearCaches() {
        organisation_labels.clear();
        overlap_regions.reset();
    }

    // Runs `f`, turning Xapian exceptions into a Status; a database that changed under
    // the reader is reopened and `f` retried once.
    template <typename F>
    auto Guarded(const std::string& what, F&& f) -> decltype(f());

    Result<SearchResult> SearchOnce(const SearchRequest& request);
    SearchResult Run(const SearchRequest& request, const TextQuery& text, const Filters& filters,
                     const Filters& national_filters, const GeoFilter* geo, bool* used_any);
    uint64_t Count(const Xapian::Query& text, const Filters& filters, const GeoFilter* geo);
    std::string OrganisationLabel(const std::string& code);
    const std::vector<std::string>& OverlapRegions();
};

// ---------------------------------------------------------------------------------------
// Opening and refreshing

Status Searcher::Impl::OpenDatabase() {
    std::error_code ec;
    if (!fs::is_directory(options.index_dir, ec)) {
        return Status::Unavailable("index folder '" + options.index_dir + "' does not exist");
    }
    if (!fs::exists(stub_path, ec)) {
        return Status::Unavailable("'" + stub_path + "' is missing: no index has been built in '" +
                                   options.index_dir + "' (run tnohaku-index)");
    }
    TRY_ASSIGN(StubState state, ReadStub(stub_path));
    try {
        Xapian::Database opened(stub_path);
        db = opened;
    } catch (const Xapian::Error& e) {
        return FromXapian(e, "cannot open index '" + stub_path + "'");
    }
    stub = state;
    ClearCaches();
    return ReadMetadata();
}

Status Searcher::Impl::ReadMetadata() {
    try {
        std::string format = db.get_metadata(fmt::kMetaFormat);
        if (format != fmt::kFormatVersion) {
            return Status::Unavailable("index '" + stub_path + "' has format version '" + format +
                                       "'; this build reads version " + fmt::kFormatVersion +
                                       " (rebuild it with this tnohaku-index)");
        }
        info.generation = ParseGeneration(db.get_metadata(fmt::kMetaGeneration));
        info.created = db.get_metadata(fmt::kMetaCreated);
        info.doc_count = db.get_doccount();
    } catch (const Xapian::Error& e) {
        return FromXapian(e, "cannot read index '" + stub_path + "'");
    }
    return Status::Ok();
}

Status Searcher::Impl::Refresh() {
    auto state = ReadStub(stub_path);
    if (state.ok() && !(*state == stub)) {
        // Another generation (or CURRENT rewritten): open it; keep the old one on failure.
        Xapian::Database old = db;
        IndexInfo old_info = info;
        StubState old_stub = stub;
        Status s = OpenDatabase();
        if (!s.ok()) {
            db = old;
            info = old_info;
            stub = old_stub;
            return s;
        }
        return Status::Ok();
    }
    try {
        if (db.reopen()) {
            ClearCaches();
            return ReadMetadata();
        }
    } catch (const Xapian::Error& e) {
        // The generation being read may be gone: open CURRENT afresh.
        Status s = OpenDatabase();
        if (!s.ok()) return s.WithContext(FromXapian(e, "reopen").message());
    }
    return Status::Ok();
}

template <typename F>
auto Searcher::Impl::Guarded(const std::string& what, F&& f) -> decltype(f()) {
    for (int attempt = 0;; ++attempt) {
        try {
            return f();
        } catch (const Xapian::DatabaseModifiedError& e) {
            // An update overtook this reader: reopen and retry. Once is almost always
            // enough; updates committed back to back may overtake the retry too.
            if (attempt < kModifiedRetries) {
                if (Status s = Refresh(); !s.ok()) return s;
                continue;
            }
            return FromXapian(e, what);
        } catch (const Xapian::DatabaseError& e) {
            // E.g. the generation was removed under this reader: reopen and retry once.
            if (attempt == 0) {
                if (Status s = Refresh(); !s.ok()) return s;
                continue;
            }
            return FromXapian(e, what);
        } catch (const Xapian::Error& e) {
            return FromXapian(e, what);
        } catch (const std::exception& e) {
            return Status::Internal(what + ": " + e.what());
        }
    }
}

// ---------------------------------------------------------------------------------------
// Caches

std::string Searcher::Impl::OrganisationLabel(const std::string& code) {
    auto cached = organisation_labels.find(code);
    if (cached != organisation_labels.end()) return cached->second;
    std::string label = code;
    const std::string term = fmt::kOrganisationPrefix + code;
    auto post = db.postlist_begin(term);
    if (post != db.postlist_end(term)) {
        rapidjson::Document doc;
        const std::string data = db.get_document(*post).get_data();
        doc.Parse(data.data(), data.size());
        if (!doc.HasParseError()) {
            if (const auto* orgs = json::Find(doc, "organisations"); orgs && orgs->IsArray()) {
                for (const auto& o : orgs->GetArray()) {
                    std::string name = json::GetString(o, "name");
                    if (fmt::OrganisationCode(json::GetString(o, "id"), name) == code &&
                        !name.empty()) {
                        label = name;
                        break;
                    }
                }
            }
        }
    }
    if (organisation_labels.size() > 10000) organisation_labels.clear();
    organisation_labels[code] = label;
    return label;
}

const std::vector<std::string>& Searcher::Impl::OverlapRegions() {
    if (overlap_regions) return *overlap_regions;
    std::vector<std::string> out;
    const Xapian::Query local(std::string(fmt::kNationalPrefix) + "local");
    for (const Code& region : vocab->Codes(Facet::kRegion)) {
        const std::string whole = fmt::kDeclaredRegionPrefix + region.code;
        if (!db.term_exists(whole) || region.children.empty()) continue;
        std::vector<Xapian::Query> municipalities;
        for (const auto& m : region.children)
            municipalities.emplace_back(fmt::kDeclaredMunicipalityPrefix + m);
        Xapian::Query q(Xapian::Query::OP_FILTER, Xapian::Query(whole),
                        Xapian::Query(Xapian::Query::OP_AND, local,
                                      Xapian::Query(Xapian::Query::OP_OR, municipalities.begin(),
                                                    municipalities.end())));
        Xapian::Enquire e(db);
        e.set_query(q);
        e.set_weighting_scheme(Xapian::BoolWeight());
        if (!e.get_mset(0, 1).empty()) out.push_back(region.code);
    }
    overlap_regions = std::move(out);
    return *overlap_regions;
}

// ---------------------------------------------------------------------------------------
// Searching

uint64_t Searcher::Impl::Count(const Xapian::Query& text, const Filters& filters,
                               const GeoFilter* geo) {
    Xapian::Enquire e(db);
    e.set_query(filters.Apply(text));
    e.set_weighting_scheme(Xapian::BoolWeight());
    return e.get_mset(0, 0, db.get_doccount(), nullptr, geo).get_matches_estimated();
}

SearchResult Searcher::Impl::Run(const SearchRequest& request, const TextQuery& text,
                                 const Filters& filters, const Filters& national_filters,
                                 const GeoFilter* geo, bool* used_any) {
    const Xapian::doccount all = db.get_doccount();
    const bool browse = text.empty();
    SearchResult result;
    result.generation = info.generation;

    for (int pass = 0; pass < 2; ++pass) {
        const bool any = pass == 1;
        const Xapian::Query& text_query = any ? text.any : text.all;
        Xapian::Enquire enquire(db);
        enquire.set_query(filters.Apply(browse ? Xapian::Query() : text_query));
        if (browse) enquire.set_weighting_scheme(Xapian::BoolWeight());

        Xapian::MultiValueKeyMaker keys;
        std::optional<DistanceKeyMaker> distance_keys;
        SortOrder sort = request.sort;
        if (sort == SortOrder::kRelevance && browse) sort = SortOrder::kName;
        switch (sort) {
            case SortOrder::kRelevance:
                enquire.set_sort_by_relevance_then_value(fmt::kId, false);
                break;
            case SortOrder::kName:
                keys.add_value(fmt::NameKeySlot(request.lang));
                break;
            case SortOrder::kDistance:
                distance_keys.emplace(*geo);
                enquire.set_sort_by_key(&*distance_keys, false);
                break;
            case SortOrder::kStartDate:
                keys.add_value(fmt::kStartDay);  // no start (open) first
                break;
            case SortOrder::kEndDate:
                keys.add_value(fmt::kEndDay, false, std::string(16, '\xff'));  // open-ended last
                break;
            case SortOrder::kUpdated:
                keys.add_value(fmt::kUpdatedDay, true);  // newest first, unknown last
                break;
        }
        if (sort != SortOrder::kRelevance && sort != SortOrder::kDistance) {
            keys.add_value(fmt::kId);
            enquire.set_sort_by_key(&keys, false);
        }

        FacetInput input;
        input.request = &request;
        input.vocab = vocab.get();
        input.text = browse ? Xapian::Query() : text_query;
        input.filters = &filters;
        input.national_filters = &national_filters;
        input.organisation_label = [this](const std::string& code) {
            return OrganisationLabel(code);
        };
        bool wants_area = std::find(request.facets.begin(), request.facets.end(),
                                    SearchFacet::kArea) != request.facets.end();
        if (wants_area) input.overlap_regions = OverlapRegions();
        FacetCounter counter(std::move(input));
        for (Xapian::MatchSpy* spy : counter.MainSpies()) enquire.add_matchspy(spy);

        const Xapian::doccount check =
            std::max<Xapian::doccount>(all, request.offset + request.limit);
        // Relevance pages are cut from whole blocks that name matches reorder (name_match.h).
        const bool by_name = sort == SortOrder::kRelevance && !browse;
        const RankWindow window = by_name ? NameMatchWindow(request.offset, request.limit)
                                          : RankWindow{request.offset, request.limit};
        Xapian::MSet mset = enquire.get_mset(window.first, window.count, check, nullptr, geo);
        result.total = mset.get_matches_estimated();
        if (result.total == 0 && !any && text.words.size() > 1) continue;  // fall back to OR
        if (used_any) *used_any = any;

        result.facets = counter.Finish(
            [&](const Xapian::Query& q, const std::vector<Xapian::MatchSpy*>& spies) {
                Xapian::Enquire e(db);
                e.set_query(q);
                e.set_weighting_scheme(Xapian::BoolWeight());
                e.set_docid_order(Xapian::Enquire::DONT_CARE);
                for (Xapian::MatchSpy* spy : spies) e.add_matchspy(spy);
                e.get_mset(0, 0, all, nullptr, geo);
            });

        const HighlightTerms marks = HighlightTerms::FromQuery(text);
        for (auto it = mset.begin(); it != mset.end(); ++it) {
            Xapian::Document doc = it.get_document();
            Result<Record> stored = ReadStoredRecord(doc.get_data());
            Hit hit;
            hit.id = doc.get_value(fmt::kId);
            if (stored.ok()) {
                hit.record = std::move(stored).value();
            } else {
                hit.record.id = hit.id;  // unreadable data: the id at least
            }
            hit.score = browse ? 0 : it.get_weight();
            if (geo) hit.distance_km = geo->Distance(doc);
            result.hits.push_back(std::move(hit));
        }
        if (by_name) {
            PreferNameMatches(
                *analyzer, text,
                {request.lang, builder->weights().name_coverage, request.offset, request.limit},
                result.hits);
        }
        // Unreadable records have no text, so no highlights.
        for (Hit& hit : result.hits)
            hit.highlights = Highlight(*analyzer, hit.record, request.lang, marks);
        break;
    }
    return result;
}

Result<SearchResult> Searcher::Impl::SearchOnce(const SearchRequest& request) {
    const int32_t today = TodayInHelsinki();
    TextQuery text = builder->Text(request.q, request.lang, &db);
    Filters filters = builder->BuildFilters(request, today);
    Filters national_filters = filters;
    if (!request.include_national) {
        SearchRequest with_national = request;
        with_national.include_national = true;
        national_filters = builder->BuildFilters(with_national, today);
    }
    std::optional<GeoFilter> geo;
    if (request.near) geo.emplace(*request.near, request.radius_km);
    const GeoFilter* g = geo ? &*geo : nullptr;

    bool used_any = false;
    SearchResult result = Run(request, text, filters, national_filters, g, &used_any);
    // What every word together found (the OR fallback finds something for a typo too).
    const uint64_t found = used_any ? 0 : result.total;
    if (text.empty() || found >= kFewResults) return result;

    // Few results: would the query with its spelling corrected find more?
    auto corrected = CorrectSpelling(db, text, request.lang);
    if (!corrected) return result;
    std::string q = JoinWords(*corrected);
    TextQuery corrected_text = builder->Text(text.prefix_last ? q : q + " ", request.lang, &db);
    uint64_t n = Count(corrected_text.all, filters, g);
    if (n <= found) return result;
    if (found == 0) {
        // Nothing found as typed: show what the correction finds.
        result = Run(request, corrected_text, filters, national_filters, g, nullptr);
    }
    result.did_you_mean = q;
    return result;
}

// ---------------------------------------------------------------------------------------
// Searcher

Searcher::Searcher(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Searcher::~Searcher() = default;

Result<std::unique_ptr<Searcher>> Searcher::Open(const SearcherOptions& options) {
    auto impl = std::make_unique<Impl>();
    impl->options = options;
    impl->vocab = options.vocab;
    if (!impl->vocab) {
        TRY_ASSIGN(impl->vocab, Vocabulary::LoadEmbedded());
    }
    TRY_ASSIGN(impl->analyzer, Analyzer::Create(options.analyzer));
    impl->builder = std::make_unique<QueryBuilder>(*impl->analyzer, *impl->vocab);
    if (!options.synonyms_path.empty()) {
        TRY_ASSIGN(impl->synonyms, SynonymsFile::Open(options.synonyms_path));
        impl->builder->SetSynonyms(impl->synonyms->current());
    }
    impl->stub_path = (fs::path(options.index_dir) / "CURRENT").string();
    TRY_STATUS(impl->OpenDatabase());
    return std::unique_ptr<Searcher>(new Searcher(std::move(impl)));
}

Result<SearchResult> Searcher::Search(const SearchRequest& request) {
    TRY_STATUS(CheckRequest(request));
    return impl_->Guarded("search",
                          [&]() -> Result<SearchResult> { return impl_->SearchOnce(request); });
}

Result<Record> Searcher::Get(const std::string& id) {
    return impl_->Guarded("get", [&]() -> Result<Record> {
        const std::string term = fmt::kIdPrefix + id;
        auto post = impl_->db.postlist_begin(term);
        if (id.empty() || post == impl_->db.postlist_end(term)) {
            return Status::NotFound("no record with id '" + id + "'");
        }
        Result<Record> stored = ReadStoredRecord(impl_->db.get_document(*post).get_data());
        if (!stored.ok())
            return stored.status().WithContext("record '" + id + "' in the index is unreadable");
        return std::move(stored).value();
    });
}

Result<std::vector<Suggestion>> Searcher::Suggest(const std::string& prefix, Lang lang,
                                                  size_t limit) {
    return impl_->Guarded("suggest", [&]() -> Result<std::vector<Suggestion>> {
        return SuggestCompletions(impl_->db, *impl_->builder, prefix, lang, limit);
    });
}

Status Searcher::Refresh() {
    Status index = impl_->Refresh();
    if (!impl_->synonyms) return index;
    auto before = impl_->synonyms->current();
    Status synonyms = impl_->synonyms->Refresh();
    if (impl_->synonyms->current() != before)
        impl_->builder->SetSynonyms(impl_->synonyms->current());
    return index.ok() ? synonyms : index;
}

IndexInfo Searcher::Info() const {
    return impl_->info;
}

// ---------------------------------------------------------------------------------------
// SearcherPool

Result<std::unique_ptr<SearcherPool>> SearcherPool::Open(const SearcherOptions& options,
                                                         size_t size) {
    if (size == 0) return Status::InvalidArgument("a searcher pool needs at least one searcher");
    SearcherOptions shared = options;
    if (!shared.vocab) {
        TRY_ASSIGN(shared.vocab, Vocabulary::LoadEmbedded());
    }
    auto pool = std::unique_ptr<SearcherPool>(new SearcherPool());
    for (size_t i = 0; i < size; ++i) {
        TRY_ASSIGN(auto searcher, Searcher::Open(shared));
        pool->idle_.push_back(std::move(searcher));
    }
    pool->size_ = size;
    return pool;
}

SearcherPool::Lease::Lease(SearcherPool* pool, std::unique_ptr<Searcher> searcher)
    : pool_(pool), searcher_(std::move(searcher)) {}

SearcherPool::Lease::~Lease() {
    if (pool_ && searcher_) pool_->Return(std::move(searcher_));
}

Result<SearcherPool::Lease> SearcherPool::Borrow(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    if (!available_.wait_for(lock, timeout, [&] { return !idle_.empty(); })) {
        return Status::Unavailable("all " + std::to_string(size_) + " searchers are busy");
    }
    std::unique_ptr<Searcher> searcher = std::move(idle_.back());
    idle_.pop_back();
    return Lease(this, std::move(searcher));
}

void SearcherPool::Return(std::unique_ptr<Searcher> searcher) {
    {
        std::lock_guard lock(mutex_);
        idle_.push_back(std::move(searcher));
    }
    available_.notify_one();
}

}  // namespace tnohaku
