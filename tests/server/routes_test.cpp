// The request pipeline on plain structs: routing, errors, CORS, conditional GET, static
// files, metrics, logs and flags. No sockets, no index (index routes answer 503).
#include "server/routes.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>

#include <doctest/doctest.h>
#include <rapidjson/document.h>

#include "server/openapi.h"
#include "server/options.h"
#include "test_support.h"

namespace tnohaku::server {
namespace {

using testing::TempDir;
using testing::WriteFile;

rapidjson::Document Parse(const std::string& json) {
    rapidjson::Document doc;
    doc.Parse(json.data(), json.size());
    return doc;
}

std::string ErrorCode(const ApiResponse& response) {
    auto doc = Parse(response.body);
    if (doc.HasParseError() || !doc.HasMember("error")) return "(no JSON error)";
    return doc["error"]["code"].GetString();
}

std::string ErrorParameter(const ApiResponse& response) {
    auto doc = Parse(response.body);
    if (doc.HasParseError() || !doc.HasMember("error") || doc["error"]["parameter"].IsNull())
        return "";
    return doc["error"]["parameter"].GetString();
}

ApiRequest Get(std::string path, ParamMap params = {}) {
    ApiRequest request;
    request.method = "GET";
    request.path = std::move(path);
    request.params = std::move(params);
    return request;
}

struct Fixture {
    Metrics metrics;
    std::shared_ptr<const Vocabulary> vocab = Vocabulary::LoadEmbedded().value();
    Api api;
    explicit Fixture(ApiOptions options = {})
        : api(std::move(options), ApiDeps{nullptr, vocab, &metrics}) {}
};

TEST_CASE("Status codes map to HTTP statuses in one place") {
    CHECK(HttpStatusFor(Status::Code::kInvalidArgument) == 400);
    CHECK(HttpStatusFor(Status::Code::kNotFound) == 404);
    CHECK(HttpStatusFor(Status::Code::kUnavailable) == 503);
    CHECK(HttpStatusFor(Status::Code::kInternal) == 500);
    CHECK(HttpStatusFor(Status::Code::kCorruption) == 500);
    CHECK(HttpStatusFor(Status::Code::kIoError) == 500);
    ApiResponse r = ErrorResponse(Status::InvalidArgument("limit: too <big>"), "limit");
    CHECK(r.status == 400);
    CHECK(r.content_type == "application/json");
    CHECK(
        r.body ==
        R"({"error":{"code":"invalid_argument","message":"limit: too &lt;big&gt;","parameter":"limit"}})");
    CHECK(ErrorResponse(Status::NotFound("x")).body ==
          R"({"error":{"code":"not_found","message":"x","parameter":null}})");
}

TEST_CASE("unknown paths are 404 JSON; wrong methods are 405 with Allow") {
    Fixture f;
    for (const char* path : {"/v1/nothing", "/v1/", "/v1", "/v1/records/", "/v1/search/extra"}) {
        CAPTURE(path);
        ApiResponse r = f.api.Handle(Get(path));
        CHECK(r.status == 404);
        CHECK(ErrorCode(r) == "not_found");
        CHECK(r.content_type == "application/json");
    }
    ApiResponse page = f.api.Handle(Get("/"));  // no --web-dir
    CHECK(page.status == 404);
    CHECK(ErrorCode(page) == "not_found");
    for (const char* method : {"POST", "PUT", "DELETE", "PATCH"}) {
        ApiRequest request = Get("/v1/search");
        request.method = method;
        ApiResponse r = f.api.Handle(request);
        CHECK(r.status == 405);
        CHECK(ErrorCode(r) == "method_not_allowed");
        CHECK(r.Header("Allow") == "GET, HEAD, OPTIONS");
    }
}

TEST_CASE("bad parameters are 400 before the index is needed; a missing index is 503") {
    Fixture f;
    ApiResponse bad = f.api.Handle(Get("/v1/search", {{"limit", "1000"}}));
    CHECK(bad.status == 400);
    CHECK(ErrorParameter(bad) == "limit");
    CHECK(bad.route == "search");
    CHECK(f.api.Handle(Get("/v1/suggest", {{"lang", "de"}})).status == 400);
    CHECK(f.api.Handle(Get("/v1/facets", {{"lang", "de"}})).status == 400);
    ApiResponse unavailable = f.api.Handle(Get("/v1/search", {{"q", "ohjaus"}}));
    CHECK(unavailable.status == 503);
    CHECK(ErrorCode(unavailable) == "unavailable");
    CHECK(f.api.Handle(Get("/v1/records/ohjaamo-oulu")).status == 503);
    CHECK(f.api.Handle(Get("/v1/records/NOT_AN_ID")).status == 404);
    CHECK(f.api.Handle(Get("/ready")).status == 503);
    ApiResponse health = f.api.Handle(Get("/health"));
    CHECK(health.status == 200);
    CHECK(health.body == R"({"status":"ok"})");
}

TEST_CASE("CORS: preflight and allowed origins") {
    SUBCASE("any origin by default") {
        Fixture f;
        ApiRequest preflight = Get("/v1/search");
        preflight.method = "OPTIONS";
        preflight.headers = {{"Origin", "https://portal.example"},
                             {"Access-Control-Request-Method", "GET"}};
        ApiResponse r = f.api.Handle(preflight);
        CHECK(r.status == 204);
        CHECK(r.body.empty());
        CHECK(r.Header("Access-Control-Allow-Origin") == "*");
        CHECK(r.Header("Access-Control-Allow-Methods") == "GET, HEAD, OPTIONS");
        CHECK(r.Header("Access-Control-Allow-Headers").find("If-None-Match") != std::string::npos);
        CHECK(r.Header("Access-Control-Max-Age") == "86400");
        ApiRequest get = Get("/health");
        get.headers = {{"origin", "https://portal.example"}};
        CHECK(f.api.Handle(get).Header("Access-Control-Allow-Origin") == "*");
    }
    SUBCASE("a configured list") {
        ApiOptions options;
        options.cors_origins = {"https://a.example", "https://b.example"};
        Fixture f(options);
        ApiRequest get = Get("/health");
        get.headers = {{"Origin", "https://b.example"}};
        ApiResponse allowed = f.api.Handle(get);
        CHECK(allowed.Header("Access-Control-Allow-Origin") == "https://b.example");
        CHECK(allowed.Header("Vary").find("Origin") != std::string::npos);
        get.headers = {{"Origin", "https://evil.example"}};
        CHECK(f.api.Handle(get).Header("Access-Control-Allow-Origin").empty());
    }
    SUBCASE("preflight of an unknown path is 404") {
        Fixture f;
        ApiRequest preflight = Get("/v1/nothing");
        preflight.method = "OPTIONS";
        CHECK(f.api.Handle(preflight).status == 404);
    }
}

TEST_CASE("every response carries nosniff") {
    Fixture f;
    for (const char* path : {"/health", "/v1/nothing", "/openapi.json", "/metrics"}) {
        CHECK(f.api.Handle(Get(path)).Header("X-Content-Type-Options") == "nosniff");
    }
}

TEST_CASE("ETags change with the index and the request; If-None-Match compares weakly") {
    IndexInfo one, two;
    one.generation = 1;
    one.doc_count = 10;
    one.created = "2024-05-01T00:00:00Z";
    two = one;
    two.generation = 2;
    two.created = "2024-05-02T00:00:00Z";
    ParamMap params = {{"q", "ohjaus"}};
    std::string etag = MakeETag("search", params, one, 19000);
    CHECK(etag.rfind("W/\"g1-", 0) == 0);
    CHECK(etag == MakeETag("search", params, one, 19000));
    CHECK(etag == ETagOfKey(AnswerKey("search", params, one, 19000), one.generation));
    CHECK(etag != MakeETag("search", params, two, 19000));
    CHECK(etag != MakeETag("search", {{"q", "ohjaus"}, {"lang", "sv"}}, one, 19000));
    CHECK(etag != MakeETag("search", params, one, 19001));
    CHECK(etag != MakeETag("facets", params, one, 19000));
    IndexInfo updated = one;
    updated.doc_count = 11;  // --update in place keeps the generation number
    CHECK(etag != MakeETag("search", params, updated, 19000));
    IndexInfo revised = one;
    revised.revision = "uuid:8";  // a record replaced in place: same count, same generation
    CHECK(etag != MakeETag("search", params, revised, 19000));
    IndexInfo synonyms = one;
    synonyms.synonyms = 42;  // another synonyms file
    CHECK(etag != MakeETag("search", params, synonyms, 19000));
    CHECK(AnswerKey("search", params, one, 19000) != AnswerKey("search", params, revised, 19000));
    // Parts are delimited: moving text from a name to its value gives another key.
    CHECK(AnswerKey("search", {{"q", "ab"}}, one, 19000) !=
          AnswerKey("search", {{"qa", "b"}}, one, 19000));

    CHECK(IfNoneMatchMatches(etag, etag));
    CHECK(IfNoneMatchMatches("\"x\", " + etag, etag));
    CHECK(IfNoneMatchMatches(etag.substr(2), etag));  // strong form of the same tag
    CHECK(IfNoneMatchMatches("*", etag));
    CHECK_FALSE(IfNoneMatchMatches("", etag));
    CHECK_FALSE(IfNoneMatchMatches("W/\"g1-0000\"", etag));
}

TEST_CASE("/openapi.json parses, has an ETag and answers 304 to it") {
    Fixture f;
    ApiResponse r = f.api.Handle(Get("/openapi.json"));
    CHECK(r.status == 200);
    CHECK(r.content_type == "application/json");
    auto doc = Parse(r.body);
    REQUIRE_FALSE(doc.HasParseError());
    CHECK(std::string(doc["openapi"].GetString()).rfind("3.", 0) == 0);
    std::string etag = r.Header("ETag");
    REQUIRE_FALSE(etag.empty());
    ApiRequest again = Get("/openapi.json");
    again.headers = {{"If-None-Match", etag}};
    ApiResponse not_modified = f.api.Handle(again);
    CHECK(not_modified.status == 304);
    CHECK(not_modified.body.empty());
}

TEST_CASE("/metrics counts requests by route and status") {
    Fixture f;
    f.api.Handle(Get("/health"));
    f.api.Handle(Get("/health"));
    f.api.Handle(Get("/v1/search", {{"limit", "x"}}));
    f.metrics.RecordZeroResults();
    f.metrics.SetIndex(4, 13);
    ApiResponse r = f.api.Handle(Get("/metrics"));
    CHECK(r.status == 200);
    CHECK(r.content_type.rfind("text/plain", 0) == 0);
    CHECK(r.body.find("tnohaku_http_requests_total{route=\"health\",status=\"200\"} 2") !=
          std::string::npos);
    CHECK(r.body.find("tnohaku_http_requests_total{route=\"search\",status=\"400\"} 1") !=
          std::string::npos);
    CHECK(r.body.find(
              "tnohaku_http_request_duration_seconds_bucket{route=\"health\",le=\"+Inf\"} 2") !=
          std::string::npos);
    CHECK(r.body.find("tnohaku_http_request_duration_seconds_count{route=\"health\"} 2") !=
          std::string::npos);
    CHECK(r.body.find("tnohaku_search_zero_results_total 1") != std::string::npos);
    CHECK(r.body.find("tnohaku_index_generation 4") != std::string::npos);
    CHECK(r.body.find("tnohaku_index_documents 13") != std::string::npos);
}

TEST_CASE("the index gauges show the newest generation served, never an older one") {
    // During a switch the searchers refresh one by one: one still serving the old
    // generation reports it after another already serves the new one.
    Metrics m;
    m.SetIndex(4, 13);
    m.SetIndex(5, 14);
    m.SetIndex(4, 13);
    std::string text = m.Render();
    CHECK(text.find("tnohaku_index_generation 5\n") != std::string::npos);
    CHECK(text.find("tnohaku_index_documents 14\n") != std::string::npos);
    CHECK(m.generation() == 5);
}

TEST_CASE("the latency histogram is cumulative") {
    Metrics m;
    m.RecordRequest("search", 200, 0.0005);
    m.RecordRequest("search", 200, 0.03);
    m.RecordRequest("search", 200, 60);
    std::string text = m.Render();
    CHECK(text.find("le=\"0.001\"} 1\n") != std::string::npos);
    CHECK(text.find("le=\"0.05\"} 2\n") != std::string::npos);
    CHECK(text.find("le=\"5\"} 2\n") != std::string::npos);
    CHECK(text.find("le=\"+Inf\"} 3\n") != std::string::npos);
}

TEST_CASE("static files: the page, content types, and no way out of the folder") {
    TempDir dir;
    std::filesystem::create_directories(dir.path() / "web" / "js");
    WriteFile(dir / "web/index.html", "<!doctype html><title>t</title>");
    WriteFile(dir / "web/js/app.js", "console.log(1)");
    WriteFile(dir / "web/.env", "SECRET");
    WriteFile(dir / "secret.txt", "SECRET");
    std::filesystem::create_symlink(dir / "secret.txt", dir.path() / "web" / "link.txt");
    ApiOptions options;
    options.web_dir = dir / "web";
    Fixture f(options);

    ApiResponse page = f.api.Handle(Get("/"));
    CHECK(page.status == 200);
    CHECK(page.content_type == "text/html; charset=utf-8");
    CHECK(page.Header("Content-Security-Policy").find("default-src 'self'") != std::string::npos);
    CHECK(page.Header("X-Content-Type-Options") == "nosniff");
    CHECK(page.body.find("<title>t</title>") != std::string::npos);
    ApiResponse js = f.api.Handle(Get("/js/app.js"));
    CHECK(js.status == 200);
    CHECK(js.content_type == "application/javascript");
    CHECK(js.Header("Content-Security-Policy").empty());
    ApiRequest conditional = Get("/js/app.js");
    conditional.headers = {{"If-None-Match", js.Header("ETag")}};
    CHECK(f.api.Handle(conditional).status == 304);

    // Paths as httplib hands them over, i.e. percent-decoded once.
    for (const char* path :
         {"/../secret.txt", "/js/../../secret.txt", "/..", "/%2e%2e/secret.txt",
          "/%252e%252e/secret.txt", "/js/..%2fsecret.txt", "/..\\secret.txt", "//etc/passwd"}) {
        CAPTURE(path);
        ApiResponse r = f.api.Handle(Get(path));
        CHECK(r.status == 400);
        CHECK(r.body.find("SECRET") == std::string::npos);
    }
    for (const char* path : {"/.env", "/link.txt", "/missing.html", "/js", "/js/"}) {
        CAPTURE(path);
        ApiResponse r = f.api.Handle(Get(path));
        CHECK(r.status == 404);
        CHECK(ErrorCode(r) == "not_found");
        CHECK(r.body.find("SECRET") == std::string::npos);
    }
}

TEST_CASE("the access log holds no query text unless asked") {
    TempDir dir;
    std::string path = dir / "access.log";
    std::FILE* file = std::fopen(path.c_str(), "w");
    REQUIRE(file);
    AccessEntry entry{"GET", "search", 200, 1.5, "/v1/search?q=secret&near=65.0,25.4"};
    SUBCASE("plain") {
        AccessLog log(file, {});
        std::string line = log.Format(entry);
        CHECK(line.find("GET search 200 1.50ms") != std::string::npos);
        CHECK(line.find("secret") == std::string::npos);
        CHECK(line.find("65.0") == std::string::npos);
    }
    SUBCASE("JSON") {
        AccessLog log(file, {true, false});
        auto doc = Parse(log.Format(entry));
        REQUIRE_FALSE(doc.HasParseError());
        CHECK(std::string(doc["route"].GetString()) == "search");
        CHECK(doc["status"].GetInt() == 200);
        CHECK(doc["ms"].GetDouble() == doctest::Approx(1.5));
        CHECK_FALSE(doc.HasMember("target"));
    }
    SUBCASE("with --log-queries") {
        AccessLog log(file, {true, true});
        auto doc = Parse(log.Format(entry));
        CHECK(std::string(doc["target"].GetString()) == entry.target);
        log.Write(entry);
        std::fflush(file);
        CHECK(testing::ReadFile(path).find("secret") != std::string::npos);
    }
    std::fclose(file);
}

TEST_CASE("with --log-queries every request stays one log line") {
    TempDir dir;
    std::string path = dir / "access.log";
    std::FILE* file = std::fopen(path.c_str(), "w");
    REQUIRE(file);
    Metrics metrics;
    AccessLog log(file, {false, true});
    Api api(ApiOptions{}, ApiDeps{nullptr, Vocabulary::LoadEmbedded().value(), &metrics, &log});
    api.Handle(Get("/v1/search", {{"q", "a\nb c&d=e"}, {"x\r\n", "y"}}));
    api.Handle(Get("/health"));
    std::fclose(file);
    std::string text = testing::ReadFile(path);
    CHECK(std::count(text.begin(), text.end(), '\n') == 2);
    CHECK(text.find("/v1/search?q=a%0Ab%20c%26d%3De&x%0D%0A=y") != std::string::npos);
}

TEST_CASE("the zero-result log holds text and filters, not coordinates") {
    SearchRequest r;
    r.q = "ohjaus \"x\"";
    r.regions = {"17"};
    r.filters[SearchFacet::kTheme] = {"digital"};
    r.near = GeoPoint{65.0123, 25.4567};
    auto doc = Parse(ZeroResultLog::Format(r, "2024-05-01T00:00:00Z"));
    REQUIRE_FALSE(doc.HasParseError());
    CHECK(std::string(doc["q"].GetString()) == "ohjaus \"x\"");
    CHECK(std::string(doc["filters"]["region"][0].GetString()) == "17");
    CHECK(std::string(doc["filters"]["theme"][0].GetString()) == "digital");
    CHECK_FALSE(doc.HasMember("near"));
    CHECK(ZeroResultLog::Format(r, "t").find("65.01") == std::string::npos);

    TempDir dir;
    auto log = ZeroResultLog::Open(dir / "zero.jsonl");
    REQUIRE(log.ok());
    (*log)->Write(r);
    (*log)->Write(r);
    std::string text = testing::ReadFile(dir / "zero.jsonl");
    CHECK(std::count(text.begin(), text.end(), '\n') == 2);
    CHECK_FALSE(ZeroResultLog::Open(dir / "no/such/folder/zero.jsonl").ok());
}

TEST_CASE("flags") {
    SUBCASE("defaults and every flag") {
        const char* argv[] = {"tnohaku-server",
                              "--db",
                              "/x",
                              "--host=0.0.0.0",
                              "--port",
                              "0",
                              "--threads",
                              "8",
                              "--queue=16",
                              "--searchers=3",
                              "--web-dir",
                              "web",
                              "--cors-origins",
                              "https://a.fi, https://b.fi",
                              "--log-json",
                              "--log-queries",
                              "--zero-result-log",
                              "z.jsonl"};
        auto o = ParseServerOptions(static_cast<int>(std::size(argv)), argv);
        REQUIRE(o.ok());
        CHECK(o->db == "/x");
        CHECK(o->host == "0.0.0.0");
        CHECK(o->port == 0);
        CHECK(o->threads == 8);
        CHECK(o->queue == 16);
        CHECK(o->searchers == 3);
        CHECK(o->web_dir == "web");
        CHECK(o->cors_origins == std::vector<std::string>{"https://a.fi", "https://b.fi"});
        CHECK(o->log_json);
        CHECK(o->log_queries);
        CHECK(o->zero_result_log == "z.jsonl");
        const char* minimal[] = {"tnohaku-server", "--db", "/x"};
        auto d = ParseServerOptions(3, minimal);
        REQUIRE(d.ok());
        CHECK(d->host == "127.0.0.1");
        CHECK(d->port == 8080);
        CHECK(d->threads == 64);
        CHECK(d->queue == 256);
        CHECK(d->cors_origins == std::vector<std::string>{"*"});
        CHECK_FALSE(d->log_queries);
    }
    SUBCASE("errors name the flag") {
        const std::vector<std::vector<const char*>> bad = {
            {"tnohaku-server"},
            {"tnohaku-server", "--db"},
            {"tnohaku-server", "--db", "/x", "--port", "70000"},
            {"tnohaku-server", "--db", "/x", "--threads", "0"},
            {"tnohaku-server", "--db", "/x", "--queue", "0"},
            // select(2) in cpp-httplib: the held connections stay under 1024 sockets.
            {"tnohaku-server", "--db", "/x", "--threads", "600", "--queue", "300"},
            {"tnohaku-server", "--db", "/x", "--searchers", "many"},
            {"tnohaku-server", "--db", "/x", "--colour"},
            {"tnohaku-server", "--db", "/x", "--cors-origins", ","},
        };
        for (const auto& argv : bad) {
            auto o = ParseServerOptions(static_cast<int>(argv.size()), argv.data());
            CHECK_FALSE(o.ok());
        }
        const char* help[] = {"tnohaku-server", "--help"};
        auto h = ParseServerOptions(2, help);
        REQUIRE(h.ok());
        CHECK(h->help);
        for (const char* flag : {"--db", "--host", "--port", "--threads", "--queue", "--searchers",
                                 "--web-dir", "--cors-origins", "--log-json", "--log-queries",
                                 "--zero-result-log", "--help", "Exit codes"}) {
            CHECK(ServerUsage().find(flag) != std::string::npos);
        }
    }
}

}  // namespace
}  // namespace tnohaku::server
