#include "core/searcher.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>

#include <xapian.h>

#include "core/column_store.h"
#include "core/database_set.h"
#include "core/dates.h"
#include "core/geo.h"
#include "core/index_format.h"
#include "core/name_match.h"
#include "core/organisation_names.h"
#include "core/query_builder.h"
#include "core/search_run.h"
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
// Times the columns of a revision are read again when commits overtook the reading (the
// build reads every document, so back-to-back commits can overtake it more than once).
constexpr int kColumnReadAttempts = 8;
// Paging beyond this many results is refused (deep paging is what filters are for).
constexpr uint64_t kMaxWindow = 100000;

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
    std::vector<DatabasePart> parts;         // of options.index_dir (core/database_set.h)
    std::optional<DatabaseSet> set;
    Xapian::Database db;        // set->db(): the parts as one database
    Xapian::Database spelling;  // set->spelling(): the spelling table
    IndexInfo info;
    // The columns of db's revision (null when options.column_search is off).
    std::shared_ptr<const ColumnStore> columns;
    // Per database revision.
    std::shared_ptr<const OrganisationNames> organisations;
    std::optional<std::vector<std::string>> overlap_regions;

    Status OpenDatabase();
    Status ReadMetadata();
    Status ReadMetadataOnce();
    Status Refresh();
    void ClearCaches() {
        organisations.reset();
        overlap_regions.reset();
    }

    // Runs `f`, turning Xapian exceptions into a Status; a database that changed under
    // the reader is reopened and `f` retried once.
    template <typename F>
    auto Guarded(const std::string& what, F&& f) -> decltype(f());

    Result<SearchResult> SearchOnce(const SearchRequest& request);
    SearchRun MakeRun(const SearchRequest& request, const Filters& filters,
                      const Filters& national_filters, const GeoFilter* geo);
    SearchResult Run(const SearchRun& run, const TextQuery& text, bool* used_any);
    std::shared_ptr<const OrganisationNames> Organisations();
    const std::vector<std::string>& OverlapRegions();
};

// ---------------------------------------------------------------------------------------
// Opening and refreshing

Status Searcher::Impl::OpenDatabase() {
    TRY_ASSIGN(DatabaseSet opened, DatabaseSet::Open(parts, options.remote));
    set = std::move(opened);
    db = set->db();
    spelling = set->spelling();
    ClearCaches();
    return ReadMetadata();
}

// Reading the columns reads every document; a commit in place meanwhile can discard the
// revision being read (DatabaseModifiedError inside ColumnStore::Build). When a reopen
// then finds a newer revision, that is what happened: read that one instead.
Status Searcher::Impl::ReadMetadata() {
    for (int attempt = 1;; ++attempt) {
        Status s = ReadMetadataOnce();
        if (s.ok() || attempt == kColumnReadAttempts) return s;
        bool newer = false;
        try {
            newer = set->Reopen();
        } catch (const Xapian::Error&) {
            return s;
        }
        if (!newer) return s;
        ClearCaches();
    }
}

Status Searcher::Impl::ReadMetadataOnce() {
    TRY_STATUS(set->RereadInfo());
    info.generation = set->generation();
    info.created = set->created();
    try {
        info.doc_count = db.get_doccount();
        info.revision = set->revision();
        info.out_of_process = set->out_of_process();
    } catch (const Xapian::Error& e) {
        return FromXapianError(e, "cannot read index '" + options.index_dir + "'");
    }
    // The columns need one local database (their docids, a custom PostingSource); a set
    // of parts is searched with Xapian's built-in match spies, which remote shards run.
    if (!options.column_search || !set->single_local()) {
        columns.reset();
        return Status::Ok();
    }
    auto store = options.column_cache->Get(db, *vocab);
    if (!store.ok()) return store.status().WithContext("index '" + options.index_dir + "'");
    columns = std::move(store).value();
    return Status::Ok();
}

Status Searcher::Impl::Refresh() {
    if (set->StubsChanged()) {
        // Another generation (or a stub rewritten): open it; keep the old one on failure.
        std::optional<DatabaseSet> old_set = set;
        IndexInfo old_info = info;
        std::shared_ptr<const ColumnStore> old_columns = columns;
        Status s = OpenDatabase();
        if (!s.ok()) {
            set = std::move(old_set);
            db = set->db();
            spelling = set->spelling();
            info = old_info;
            columns = old_columns;
            return s;
        }
        return Status::Ok();
    }
    try {
        if (set->Reopen()) {
            ClearCaches();
            return ReadMetadata();
        }
    } catch (const Xapian::Error& e) {
        // The generation being read may be gone, or a remote shard: open every part afresh.
        Status s = OpenDatabase();
        if (!s.ok()) return s.WithContext(FromXapianError(e, "reopen").message());
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
            return FromXapianError(e, what);
        } catch (const Xapian::NetworkError& e) {
            // A remote shard went away (or came back after a restart): its connection is
            // dead for good, so connect every part anew; failing that, name the part.
            if (attempt == 0) {
                if (Status s = OpenDatabase(); !s.ok()) return s.WithContext(what);
                continue;
            }
            return FromXapianError(e, what);
        } catch (const Xapian::DatabaseError& e) {
            // E.g. the generation was removed under this reader: reopen and retry once.
            if (attempt == 0) {
                if (Status s = Refresh(); !s.ok()) return s;
                continue;
            }
            return FromXapianError(e, what);
        } catch (const Xapian::Error& e) {
            return FromXapianError(e, what);
        } catch (const std::exception& e) {
            return Status::Internal(what + ": " + e.what());
        }
    }
}

// ---------------------------------------------------------------------------------------
// Caches

std::shared_ptr<const OrganisationNames> Searcher::Impl::Organisations() {
    if (!organisations)
        organisations = std::make_shared<const OrganisationNames>(OrganisationNames::Read(db));
    return organisations;
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

SearchRun Searcher::Impl::MakeRun(const SearchRequest& request, const Filters& filters,
                                  const Filters& national_filters, const GeoFilter* geo) {
    SearchRun run;
    run.db = &db;
    run.analyzer = analyzer.get();
    run.vocab = vocab;
    run.columns = columns.get();
    run.generation = info.generation;
    run.request = &request;
    run.filters = &filters;
    run.national_filters = &national_filters;
    run.geo = geo;
    run.name_coverage = builder->weights().name_coverage;
    run.term_scoring = options.term_scoring;
    run.count_apart = db.size() > 1;
    if (request.WantsFacet(SearchFacet::kOrganisation)) run.organisations = Organisations();
    run.overlap_regions = [this] { return OverlapRegions(); };
    return run;
}

SearchResult Searcher::Impl::Run(const SearchRun& run, const TextQuery& text, bool* used_any) {
    return run.columns ? RunWithColumns(run, text, used_any) : RunWithSpies(run, text, used_any);
}

Result<SearchResult> Searcher::Impl::SearchOnce(const SearchRequest& request) {
    const int32_t today = TodayInHelsinki();
    TextQuery text = builder->Text(request.q, request.lang, &spelling);
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

    const SearchRun run = MakeRun(request, filters, national_filters, g);
    bool used_any = false;
    SearchResult result = Run(run, text, &used_any);
    // What every word together found (the OR fallback finds something for a typo too).
    const uint64_t found = used_any ? 0 : result.total;
    if (text.empty() || found >= kFewResults) return result;

    // Few results: would the query with its spelling corrected find more?
    auto corrected = CorrectSpelling({db, spelling}, text, request.lang);
    if (!corrected) return result;
    std::string q = JoinWords(*corrected);
    TextQuery corrected_text =
        builder->Text(text.prefix_last ? q : q + " ", request.lang, &spelling);
    uint64_t n = CountMatches(run, corrected_text.all);
    if (n <= found) return result;
    if (found == 0) {
        // Nothing found as typed: show what the correction finds.
        result = Run(run, corrected_text, nullptr);
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
    if (!impl->options.column_cache)
        impl->options.column_cache = std::make_shared<ColumnStoreCache>();
    impl->vocab = options.vocab;
    if (!impl->vocab) {
        TRY_ASSIGN(impl->vocab, Vocabulary::LoadEmbedded());
    }
    TRY_ASSIGN(impl->analyzer, Analyzer::Create(options.analyzer));
    impl->builder = std::make_unique<QueryBuilder>(*impl->analyzer, *impl->vocab);
    impl->builder->SetTermDatabase(&impl->db);  // db is reassigned in place on reopening
    if (!options.synonyms_path.empty()) {
        TRY_ASSIGN(impl->synonyms, SynonymsFile::Open(options.synonyms_path));
        impl->builder->SetSynonyms(impl->synonyms->current());
    }
    TRY_ASSIGN(impl->parts, ParseDatabaseList(options.index_dir, options.side_dir));
    TRY_STATUS(impl->OpenDatabase());
    return std::unique_ptr<Searcher>(new Searcher(std::move(impl)));
}

Result<SearchResult> Searcher::Search(const SearchRequest& request) {
    TRY_STATUS(CheckRequest(request));
    if (request.near && impl_->set->out_of_process()) {
        // The radius filter and the distance sort are our own MatchDecider and KeyMaker,
        // which Xapian 1.4's remote backend cannot run.
        return Status::InvalidArgument(
            "near: not available on this server, whose index has remote shards or several "
            "local ones (Xapian's remote backend cannot filter or sort by distance); search "
            "without near=");
    }
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
    IndexInfo info = impl_->info;
    if (impl_->synonyms) info.synonyms = impl_->synonyms->current()->fingerprint();
    return info;
}

}  // namespace tnohaku
