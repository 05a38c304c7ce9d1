// Api: the route table and the request pipeline of tnohaku-server, on plain structs.
//
// Handle() is everything between the socket and the searcher:
//   1. route lookup in ONE table (regex paths; 404 JSON for unknown paths)
//   2. OPTIONS → CORS preflight (204); other methods than GET/HEAD → 405 JSON
//   3. the route's handler (server/handlers.cpp): parameters (server/params.h) → a
//      borrowed Searcher → JSON (server/json_writer.h); errors via ErrorResponse
//   4. conditional GET: ETag (index generation + request), If-None-Match → 304
//   5. CORS and security headers on every response, metrics, access log
//
// Routes (documented in server/openapi.json):
//   GET /v1/search  /v1/records/{id}  /v1/facets  /v1/suggest
//   GET /health  /ready  /metrics  /openapi.json  and static files (--web-dir)
//
// Hot reload: each borrowed Searcher is Refresh()ed when `refresh_interval` has passed
// since its last refresh, so that requests follow the indexer's generation switches, and
// at once when it is behind the newest generation another searcher has answered from, so
// that answers never go back to an older generation. (Should CURRENT be pointed back at
// an older generation, the searchers then check for changes on every borrow, a stat each.)
//
// Thread safety: Handle may be called from many threads at once; the Api keeps no
// per-request state.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/lru_cache.h"
#include "core/searcher.h"
#include "core/vocab.h"
#include "server/access_log.h"
#include "server/api.h"
#include "server/content_coding.h"
#include "server/json_writer.h"
#include "server/metrics.h"
#include "server/static_files.h"

namespace tnohaku::server {

struct ApiOptions {
    std::vector<std::string> cors_origins = {"*"};   // "*" = any origin
    std::string web_dir;                             // empty: no static files
    std::chrono::milliseconds borrow_timeout{2000};  // then 503
    std::chrono::milliseconds refresh_interval{100};
    std::string cache_control = "public, max-age=60";  // index-backed responses
    // Recent search results kept for repeated requests (a portal's first page, popular
    // searches, the same keystrokes), by AnswerKey: an index update or a synonyms edit
    // changes the key, so nothing stale is served. Not used over parts in other
    // processes (remote shards). 0: off.
    size_t result_cache_bytes = 32u << 20;
};

// What the Api uses but does not own; each must outlive it.
struct ApiDeps {
    SearcherPool* pool = nullptr;  // nullptr: index routes answer 503 (unit tests)
    std::shared_ptr<const Vocabulary> vocab;
    Metrics* metrics = nullptr;                // required
    AccessLog* access_log = nullptr;           // optional
    ZeroResultLog* zero_result_log = nullptr;  // optional
};

// Everything an index-backed answer depends on, as one string: the route, the query
// parameters, the index state (IndexInfo: generation, revision, synonyms, ...) and
// today's date (status= depends on it). Equal keys, equal answers: the result cache's
// key, and what the ETag hashes.
std::string AnswerKey(std::string_view route, const ParamMap& params, const IndexInfo& index,
                      int32_t today);
// A weak ETag for an index-backed response: a hash of AnswerKey.
std::string MakeETag(std::string_view route, const ParamMap& params, const IndexInfo& index,
                     int32_t today);
// The same from an AnswerKey already built (`generation`: that of the key's IndexInfo),
// for a handler that needs the key too.
std::string ETagOfKey(std::string_view key, uint64_t generation);
// Whether an If-None-Match header value ("*", or a list of tags) matches `etag`, by weak
// comparison.
bool IfNoneMatchMatches(std::string_view header, std::string_view etag);

class Api {
  public:
    Api(ApiOptions options, ApiDeps deps);
    ApiResponse Handle(const ApiRequest& request);
    // The answer to a request the transport cannot take on (every worker busy and the
    // queue full): 503 {"error": {"code": "unavailable"}} with Retry-After and
    // Connection: close, counted under the route "shed".
    ApiResponse Shed(const ApiRequest& request);

  private:
    struct Call {
        const ApiRequest& request;
        std::smatch match;  // the route's regex captures
    };
    using Handler = ApiResponse (Api::*)(const Call&);
    struct Route {
        std::string name;  // metrics label and log name
        std::regex pattern;
        Handler handler;
    };

    ApiResponse Dispatch(const ApiRequest& request);
    const Route* FindRoute(const std::string& path) const;
    ApiResponse Preflight(const ApiRequest& request) const;
    void AddCommonHeaders(const ApiRequest& request, ApiResponse& response) const;
    void RecordRequest(const ApiRequest& request, const ApiResponse& response, double seconds);

    // Handlers (server/handlers.cpp).
    ApiResponse Search(const Call& call);
    // A search answer as the result cache keeps it: gzip-compressed but for its took_ms.
    struct KeptAnswer {
        GzipHead gzip;
        uint64_t total = 0;
    };
    // A search answer: one kept in the result cache, a new search's, or both (a new
    // one just kept).
    struct SearchAnswer {
        std::shared_ptr<const KeptAnswer> kept;   // null: not kept
        std::optional<SearchResponseBody> fresh;  // none: a cache hit
        uint64_t total() const { return fresh ? fresh->total() : kept->total; }
    };
    // The answer kept under `key` (null: none is kept), else the searcher's.
    Result<SearchAnswer> FindOrSearch(Searcher& searcher, const SearchRequest& request,
                                      const std::string* key);
    // Keeps a new answer under `key` in the result cache (logged and left out if it
    // cannot be compressed).
    void Keep(const std::string& key, SearchAnswer& answer);
    // The response for `answer` finished with `took_ms`: gzip from the kept answer when
    // the client takes gzip (Api::Handle then leaves it as it is), else plain.
    ApiResponse AnswerResponse(const ApiRequest& request, const SearchAnswer& answer,
                               double took_ms) const;
    ApiResponse GetRecord(const Call& call);
    ApiResponse Facets(const Call& call);
    ApiResponse Suggest(const Call& call);
    ApiResponse Health(const Call& call);
    ApiResponse Ready(const Call& call);
    ApiResponse MetricsText(const Call& call);
    ApiResponse OpenApi(const Call& call);
    ApiResponse Static(const Call& call);

    // A searcher, refreshed when due; kUnavailable when none is free in time.
    Result<SearcherPool::Lease> Borrow(std::chrono::milliseconds timeout);
    // Refreshes `searcher` when its interval is up, or at once when `now_due`; true when
    // it did (a failure is logged, the open generation kept).
    bool RefreshIfDue(Searcher& searcher, bool now_due);
    // Raises newest_generation_ to `generation` (never lowers it).
    void NoteGeneration(uint64_t generation);
    // 304 when the request's If-None-Match matches `etag`, else nullopt; sets the caching
    // headers on `response` for the 200 case.
    std::optional<ApiResponse> CheckNotModified(const Call& call, const std::string& etag) const;
    void SetCaching(ApiResponse& response, const std::string& etag) const;

    ApiOptions options_;
    ApiDeps deps_;
    std::vector<Route> routes_;
    std::unique_ptr<StaticFiles> static_files_;
    std::mutex refresh_mutex_;
    std::unordered_map<const Searcher*, std::chrono::steady_clock::time_point> last_refresh_;
    std::string last_refresh_error_;  // logged once, not per request
    // The newest generation a searcher has answered from: one behind it refreshes at once.
    std::atomic<uint64_t> newest_generation_{0};
    LruCache<KeptAnswer> results_;  // by AnswerKey
};

}  // namespace tnohaku::server
