// The handlers of the route table in server/routes.cpp: one function per endpoint, each
// parameters → searcher → JSON. Errors leave through ErrorResponse (server/api.h).
#include <cstdio>

#include "core/dates.h"
#include "server/content_coding.h"
#include "server/json_writer.h"
#include "server/openapi.h"
#include "server/params.h"
#include "server/routes.h"

namespace tnohaku::server {

namespace {

constexpr std::chrono::milliseconds kProbeTimeout{200};  // /ready and /metrics

bool IsRecordId(std::string_view id) {
    if (id.empty() || id.size() > 100 || id[0] == '-') return false;
    for (char c : id) {
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
    }
    return true;
}

// Searches, and once more after a refresh when the index was unavailable (e.g. the
// generation it had open was just removed by the indexer).
Result<SearchResult> SearchWithRetry(Searcher& searcher, const SearchRequest& request) {
    Result<SearchResult> result = searcher.Search(request);
    if (result.ok() || result.status().code() != Status::Code::kUnavailable) return result;
    if (!searcher.Refresh().ok()) return result;
    return searcher.Search(request);
}

double MillisecondsSince(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
        .count();
}

ApiResponse NoStore(ApiResponse response) {
    response.SetHeader("Cache-Control", "no-store");
    return response;
}

}  // namespace

Result<SearcherPool::Lease> Api::Borrow(std::chrono::milliseconds timeout) {
    if (!deps_.pool) return Status::Unavailable("the index is not open");
    Result<SearcherPool::Lease> lease = deps_.pool->Borrow(timeout);
    if (!lease.ok()) {
        if (deps_.metrics) deps_.metrics->RecordBorrowTimeout();
        return lease.status();
    }
    Searcher& searcher = **lease;
    IndexInfo info = searcher.Info();
    // A searcher behind the newest generation served refreshes now, not when its interval
    // is up: otherwise the searchers would switch one by one, up to refresh_interval
    // apart, and a client could get an older generation's answer after a newer one's.
    const bool behind = info.generation < newest_generation_.load();
    if (RefreshIfDue(searcher, behind)) info = searcher.Info();
    NoteGeneration(info.generation);
    if (deps_.metrics) deps_.metrics->SetIndex(info.generation, info.doc_count);
    return lease;
}

void Api::NoteGeneration(uint64_t generation) {
    uint64_t newest = newest_generation_.load();
    while (newest < generation && !newest_generation_.compare_exchange_weak(newest, generation)) {
    }
}

bool Api::RefreshIfDue(Searcher& searcher, bool now_due) {
    auto now = std::chrono::steady_clock::now();
    {
        std::lock_guard lock(refresh_mutex_);
        auto [it, inserted] = last_refresh_.try_emplace(&searcher, now);
        if (!inserted && !now_due && now - it->second < options_.refresh_interval) return false;
        it->second = now;
    }
    Status status = searcher.Refresh();  // the searcher is ours alone while leased
    std::lock_guard lock(refresh_mutex_);
    if (!status.ok() && status.message() != last_refresh_error_) {
        std::fprintf(
            stderr, "tnohaku-server: index refresh failed, still serving the open generation: %s\n",
            status.message().c_str());
    }
    last_refresh_error_ = status.ok() ? std::string() : status.message();
    return true;
}

Result<Api::SearchAnswer> Api::FindOrSearch(Searcher& searcher, const SearchRequest& request,
                                            const std::string* key) {
    if (auto kept = key ? results_.Find(*key) : nullptr) {
        if (deps_.metrics) deps_.metrics->RecordResultCacheHit();
        return SearchAnswer{std::move(kept), std::nullopt};
    }
    Result<SearchResult> result = SearchWithRetry(searcher, request);
    if (!result.ok()) return result.status();
    return SearchAnswer{
        nullptr, SearchResponseBody::Of(*result, SearchResponseContext{request, *deps_.vocab})};
}

void Api::Keep(const std::string& key, SearchAnswer& answer) {
    Result<GzipHead> gzip = GzipHead::Of(answer.fresh->head());
    if (!gzip.ok()) {
        std::fprintf(stderr, "tnohaku-server: an answer is not kept: %s\n",
                     gzip.status().message().c_str());
        return;
    }
    const size_t bytes = gzip->size();
    answer.kept = std::make_shared<const KeptAnswer>(
        KeptAnswer{std::move(gzip).value(), answer.fresh->total()});
    results_.Insert(key, answer.kept, bytes);
}

ApiResponse Api::AnswerResponse(const ApiRequest& request, const SearchAnswer& answer,
                                double took_ms) const {
    const bool as_gzip = answer.kept && AcceptsContentCoding(request.Header("Accept-Encoding"),
                                                             ContentCoding::kGzip);
    if (!as_gzip && answer.fresh) return JsonResponse(answer.fresh->Finish(took_ms));
    const std::string ending = SearchResponseBody::Ending(took_ms);
    if (as_gzip) {
        Result<std::string> gzip = answer.kept->gzip.Finish(ending);
        if (!gzip.ok()) return ErrorResponse(gzip.status());
        ApiResponse response = JsonResponse(std::move(gzip).value());
        response.SetHeader("Content-Encoding", "gzip");
        return response;
    }
    Result<std::string> head = answer.kept->gzip.Inflate();
    if (!head.ok()) return ErrorResponse(head.status());
    return JsonResponse(std::move(head).value() + ending);
}

ApiResponse Api::Search(const Call& call) {
    Parsed<SearchRequest> parsed = ParseSearchParams(call.request.params, *deps_.vocab);
    if (!parsed.ok()) return ErrorResponse(parsed.status, parsed.parameter);
    auto lease = Borrow(options_.borrow_timeout);
    if (!lease.ok()) return ErrorResponse(lease.status());
    Searcher& searcher = **lease;
    const int32_t today = TodayInHelsinki();
    const ParamMap& params = call.request.params;
    IndexInfo info = searcher.Info();
    // Built once: the ETag hashes the key the result cache is keyed by.
    std::string key = AnswerKey("search", params, info, today);
    std::string etag = ETagOfKey(key, info.generation);
    if (auto not_modified = CheckNotModified(call, etag)) return *not_modified;

    // Answers of parts in other processes are not kept: a shard may change or go away
    // unnoticed until the searcher asks it.
    const bool keep = !info.out_of_process && options_.result_cache_bytes > 0;
    auto start = std::chrono::steady_clock::now();
    auto found = FindOrSearch(searcher, parsed.value, keep ? &key : nullptr);
    if (!found.ok()) return ErrorResponse(found.status());
    const double took_ms = MillisecondsSince(start);
    IndexInfo now = searcher.Info();
    if (now.generation != info.generation || now.revision != info.revision) {
        // Reopened while searching: the answer is the newer revision's.
        NoteGeneration(now.generation);
        key = AnswerKey("search", params, now, today);
        etag = ETagOfKey(key, now.generation);
    }
    if (keep && !found->kept) Keep(key, *found);
    if (found->total() == 0) {
        if (deps_.metrics) deps_.metrics->RecordZeroResults();
        if (deps_.zero_result_log) deps_.zero_result_log->Write(parsed.value);
    }
    ApiResponse response = AnswerResponse(call.request, *found, took_ms);
    SetCaching(response, etag);
    return response;
}

ApiResponse Api::GetRecord(const Call& call) {
    std::string id = call.match[1].str();
    if (!IsRecordId(id))
        return ErrorResponse(Status::NotFound("no record has the id " + Excerpt(id, 100)));
    auto lease = Borrow(options_.borrow_timeout);
    if (!lease.ok()) return ErrorResponse(lease.status());
    Searcher& searcher = **lease;
    std::string etag = MakeETag("record/" + id, call.request.params, searcher.Info(), 0);
    if (auto not_modified = CheckNotModified(call, etag)) return *not_modified;
    Result<Record> record = searcher.Get(id);
    if (!record.ok()) return ErrorResponse(record.status());
    ApiResponse response = JsonResponse(WriteRecordResponse(*record));
    SetCaching(response, etag);
    return response;
}

ApiResponse Api::Facets(const Call& call) {
    Parsed<Lang> lang = ParseLangParam(call.request.params);
    if (!lang.ok()) return ErrorResponse(lang.status, lang.parameter);
    auto lease = Borrow(options_.borrow_timeout);
    if (!lease.ok()) return ErrorResponse(lease.status());
    Searcher& searcher = **lease;
    std::string etag = MakeETag("facets", call.request.params, searcher.Info(), 0);
    if (auto not_modified = CheckNotModified(call, etag)) return *not_modified;
    SearchRequest request;
    request.lang = lang.value;
    request.limit = 0;
    request.facets.assign(std::begin(kAllSearchFacets), std::end(kAllSearchFacets));
    Result<SearchResult> result = SearchWithRetry(searcher, request);
    if (!result.ok()) return ErrorResponse(result.status());
    ApiResponse response = JsonResponse(WriteFacetsResponse(*result, lang.value, *deps_.vocab));
    SetCaching(response, etag);
    return response;
}

ApiResponse Api::Suggest(const Call& call) {
    Parsed<SuggestRequest> parsed = ParseSuggestParams(call.request.params);
    if (!parsed.ok()) return ErrorResponse(parsed.status, parsed.parameter);
    const SuggestRequest& request = parsed.value;
    if (request.q.find_first_not_of(" \t") == std::string::npos) {
        return JsonResponse(WriteSuggestResponse(request.q, {}));
    }
    auto lease = Borrow(options_.borrow_timeout);
    if (!lease.ok()) return ErrorResponse(lease.status());
    Searcher& searcher = **lease;
    std::string etag = MakeETag("suggest", call.request.params, searcher.Info(), 0);
    if (auto not_modified = CheckNotModified(call, etag)) return *not_modified;
    Result<std::vector<Suggestion>> suggestions =
        searcher.Suggest(request.q, request.lang, request.limit);
    if (!suggestions.ok()) return ErrorResponse(suggestions.status());
    if (suggestions->size() > request.limit) suggestions->resize(request.limit);
    ApiResponse response = JsonResponse(WriteSuggestResponse(request.q, *suggestions));
    SetCaching(response, etag);
    return response;
}

ApiResponse Api::Health(const Call&) {
    return NoStore(JsonResponse(R"({"status":"ok"})"));
}

ApiResponse Api::Ready(const Call&) {
    if (!deps_.pool) return ErrorResponse(Status::Unavailable("the index is not open"));
    auto lease = Borrow(kProbeTimeout);
    // Every searcher busy means loaded, not broken: still ready.
    uint64_t generation = deps_.metrics ? deps_.metrics->generation() : 0;
    uint64_t documents = 0;
    if (lease.ok()) {
        IndexInfo info = (*lease)->Info();
        generation = info.generation;
        documents = info.doc_count;
    }
    std::string body = R"({"status":"ready","generation":)" + std::to_string(generation) +
                       R"(,"documents":)" + std::to_string(documents) + "}";
    return NoStore(JsonResponse(std::move(body)));
}

ApiResponse Api::MetricsText(const Call&) {
    if (deps_.pool) Borrow(kProbeTimeout);  // refreshes the index gauges when a searcher is free
    ApiResponse response;
    response.content_type = Metrics::kContentType;
    response.body = deps_.metrics ? deps_.metrics->Render() : std::string();
    return NoStore(std::move(response));
}

ApiResponse Api::OpenApi(const Call&) {
    ApiResponse response = JsonResponse(std::string(OpenApiDocument()));
    response.SetHeader("ETag", OpenApiETag());
    response.SetHeader("Cache-Control", "public, max-age=300");
    return response;
}

ApiResponse Api::Static(const Call& call) {
    if (!static_files_)
        return ErrorResponse(404, "not_found", "no web page is served (start with --web-dir)");
    return static_files_->Serve(call.request.path);
}

}  // namespace tnohaku::server
