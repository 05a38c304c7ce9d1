// End-to-end: the real tnohaku-server binary on 127.0.0.1 (a free port) against an index
// built by the real tnohaku-index, queried with httplib::Client.
#include <algorithm>
#include <atomic>
#include <filesystem>
#include <thread>

#include <doctest/doctest.h>
#include <httplib.h>
#include <rapidjson/document.h>

#include "server/server_process.h"
#include "test_support.h"

namespace tnohaku::testing {
namespace {

rapidjson::Document Json(const std::string& body) {
    rapidjson::Document doc;
    doc.Parse(body.data(), body.size());
    return doc;
}

std::string Str(const rapidjson::Value& v) {
    return v.IsString() ? std::string(v.GetString(), v.GetStringLength()) : "";
}

std::vector<std::string> HitIds(const rapidjson::Document& doc) {
    std::vector<std::string> ids;
    if (!doc.IsObject() || !doc.HasMember("hits")) return ids;
    for (const auto& hit : doc["hits"].GetArray()) ids.push_back(Str(hit["id"]));
    return ids;
}

// A search response without its "took_ms" (the last member), which differs between two
// answers to the same request.
std::string WithoutTook(const std::string& body) {
    return body.substr(0, body.rfind("\"took_ms\":"));
}

bool Contains(const std::vector<std::string>& ids, const std::string& id) {
    return std::find(ids.begin(), ids.end(), id) != ids.end();
}

struct Server {
    TempDir dir;
    std::string db = BuildFixtureIndex(dir.path().string());
    std::unique_ptr<ServerProcess> process;
    std::unique_ptr<httplib::Client> client;

    explicit Server(std::vector<std::string> extra = {}) {
        std::filesystem::create_directories(dir.path() / "web");
        WriteFile(dir / "web/index.html", "<!doctype html><title>tnohaku</title>");
        WriteFile(dir / "secret.txt", "SECRET");
        extra.push_back("--web-dir");
        extra.push_back(dir / "web");
        process = std::make_unique<ServerProcess>(db, dir / "server.log", extra);
        REQUIRE_MESSAGE(process->started(), process->Log());
        client = std::make_unique<httplib::Client>("127.0.0.1", process->port());
        client->set_read_timeout(10, 0);
    }
    httplib::Result Get(const std::string& path, const httplib::Params& params = {},
                        const httplib::Headers& headers = {}) {
        return client->Get(path, params, headers);
    }
};

TEST_CASE("health, readiness, search, records, facets and suggestions over HTTP") {
    Server s;
    auto health = s.Get("/health");
    REQUIRE(health);
    CHECK(health->status == 200);

    auto ready = s.Get("/ready");
    REQUIRE(ready);
    CHECK(ready->status == 200);
    auto ready_doc = Json(ready->body);
    CHECK(ready_doc["documents"].GetUint64() == 5);
    CHECK(ready_doc["generation"].GetUint64() == 1);

    auto search = s.Get("/v1/search", {{"q", "ohjaamo"}});
    REQUIRE(search);
    CHECK(search->status == 200);
    CHECK(search->get_header_value("Content-Type") == "application/json");
    auto doc = Json(search->body);
    REQUIRE_FALSE(doc.HasParseError());
    REQUIRE(Contains(HitIds(doc), "ohjaamo-oulu"));
    const auto& hit = doc["hits"][0];
    CHECK(Str(hit["name"]) == "Ohjaamo Oulu &lt;nuoret&gt; &amp; ohjaus");
    CHECK(Str(hit["url"]) == "https://example.org/ohjaamo?a=1&amp;b=2");
    CHECK(Str(hit["summary"]).find("<b>") == std::string::npos);
    CHECK(doc["generation"].GetUint64() == 1);
    CHECK(doc["facets"].HasMember("area"));
    CHECK(doc["facets"].HasMember("theme"));

    // '+' in a query string is a space; comma lists and repeats combine.
    s.client->set_url_encode(false);  // send the '+' as it is
    auto plus =
        s.client->Get("/v1/search?q=ohjaamo+oulu&municipality=564,244&type=service&type=project");
    s.client->set_url_encode(true);
    REQUIRE(plus);
    CHECK(plus->status == 200);
    CHECK(Str(Json(plus->body)["query"]["q"]) == "ohjaamo oulu");

    auto oulu = Json(s.Get("/v1/search", {{"municipality", "564"}, {"limit", "100"}})->body);
    CHECK(Contains(HitIds(oulu), "ohjaamo-oulu"));
    CHECK(Contains(HitIds(oulu), "valtakunnallinen-chat"));  // national records count everywhere
    CHECK_FALSE(Contains(HitIds(oulu), "helsinki-ura"));
    auto local =
        Json(s.Get("/v1/search", {{"municipality", "564"}, {"national", "exclude"}})->body);
    CHECK_FALSE(Contains(HitIds(local), "valtakunnallinen-chat"));

    auto near = Json(
        s.Get("/v1/search", {{"near", "65.0,25.5"}, {"radius_km", "100"}, {"sort", "distance"}})
            ->body);
    REQUIRE(near["hits"].Size() >= 2);
    CHECK(Contains(HitIds(near), "kempele-hanke"));
    CHECK_FALSE(Contains(HitIds(near), "helsinki-ura"));
    CHECK(near["hits"][0].HasMember("distance_km"));

    auto record = s.Get("/v1/records/ohjaamo-oulu");
    REQUIRE(record);
    CHECK(record->status == 200);
    auto record_doc = Json(record->body);
    CHECK(Str(record_doc["id"]) == "ohjaamo-oulu");
    CHECK(Str(record_doc["name"]["fi"]) == "Ohjaamo Oulu &lt;nuoret&gt; &amp; ohjaus");
    auto missing = s.Get("/v1/records/no-such-record");
    REQUIRE(missing);
    CHECK(missing->status == 404);
    CHECK(Str(Json(missing->body)["error"]["code"]) == "not_found");

    auto facets = s.Get("/v1/facets", {{"lang", "sv"}});
    REQUIRE(facets);
    CHECK(facets->status == 200);
    auto facets_doc = Json(facets->body);
    CHECK(facets_doc["total"].GetUint64() == 5);
    CHECK(facets_doc["facets"]["area"].Size() > 0);

    auto suggest = s.Get("/v1/suggest", {{"q", "ohj"}});
    REQUIRE(suggest);
    CHECK(suggest->status == 200);
    auto suggest_doc = Json(suggest->body);
    REQUIRE(suggest_doc["suggestions"].IsArray());
    CHECK(suggest_doc["suggestions"].Size() <= 10);

    auto unknown = s.Get("/v1/nothing");
    REQUIRE(unknown);
    CHECK(unknown->status == 404);
    CHECK(Json(unknown->body).HasMember("error"));

    auto page = s.Get("/");
    REQUIRE(page);
    CHECK(page->status == 200);
    CHECK(page->get_header_value("Content-Security-Policy").find("default-src") !=
          std::string::npos);
    CHECK(page->get_header_value("X-Content-Type-Options") == "nosniff");

    CHECK(s.process->Stop() == 0);
    std::string log = s.process->Log();
    CHECK(log.find("GET search 200") != std::string::npos);
    CHECK(log.find("ohjaamo") == std::string::npos);  // no query text in the access log
    CHECK(log.find("65.0") == std::string::npos);     // nor coordinates
}

TEST_CASE("the shared fixture tests/fixtures/tiny.jsonl is served whole") {
    TempDir dir;
    std::string fixture = SourcePath("tests/fixtures/tiny.jsonl");
    std::string text = ReadFile(fixture);
    uint64_t lines = static_cast<uint64_t>(std::count(text.begin(), text.end(), '\n'));
    REQUIRE(lines > 0);
    std::string log;
    REQUIRE_MESSAGE(RunIndexer(dir / "idx", fixture, &log) == 0, log);
    ServerProcess server(dir / "idx", dir / "server.log");
    REQUIRE_MESSAGE(server.started(), server.Log());
    httplib::Client client("127.0.0.1", server.port());
    auto ready = client.Get("/ready");
    REQUIRE(ready);
    CHECK(Json(ready->body)["documents"].GetUint64() == lines);
    auto browse = client.Get("/v1/search?limit=100&facets=none");
    REQUIRE(browse);
    auto doc = Json(browse->body);
    CHECK(doc["total"].GetUint64() == lines);
    CHECK(doc["hits"].Size() == lines);
    for (const auto& hit : doc["hits"].GetArray()) {
        auto record = client.Get("/v1/records/" + Str(hit["id"]));
        REQUIRE(record);
        CHECK(record->status == 200);
    }
    CHECK(server.Stop() == 0);
}

// The defining property of the facet counts: a value's count is the total the search gives
// when that value is the only one selected in its facet, every other filter kept. Checked
// for every value of every facet (area regions and municipalities included) over the
// shared fixture, with national records included and excluded and other filters applied.
TEST_CASE("every facet count is what clicking that value gives") {
    TempDir dir;
    std::string log;
    REQUIRE_MESSAGE(RunIndexer(dir / "idx", SourcePath("tests/fixtures/tiny.jsonl"), &log) == 0,
                    log);
    ServerProcess server(dir / "idx", dir / "server.log");
    REQUIRE_MESSAGE(server.started(), server.Log());
    httplib::Client client("127.0.0.1", server.port());
    auto total_of = [&](const httplib::Params& params) -> uint64_t {
        auto res = client.Get("/v1/search", params, httplib::Headers{});
        REQUIRE(res);
        REQUIRE_MESSAGE(res->status == 200, res->body);
        return Json(res->body)["total"].GetUint64();
    };
    const std::vector<httplib::Params> bases = {
        {},
        {{"national", "exclude"}},
        {{"type", "project"}},
        {{"region", "17"}, {"national", "exclude"}},
        {{"target_group", "KR1"}, {"channel", "online"}},
    };
    size_t checked = 0;
    for (const auto& base : bases) {
        httplib::Params params = base;
        params.emplace("limit", "1");
        auto res = client.Get("/v1/search", params, httplib::Headers{});
        REQUIRE(res);
        auto doc = Json(res->body);
        REQUIRE(doc.HasMember("facets"));
        for (const auto& facet : doc["facets"].GetObject()) {
            std::string name = facet.name.GetString();
            if (name == "national") continue;  // no filter parameter; checked below
            for (const auto& value : facet.value.GetArray()) {
                auto click = [&](const std::string& param, const rapidjson::Value& v) {
                    httplib::Params clicked;
                    for (const auto& [k, val] : base) {
                        bool same_facet =
                            name == "area" ? (k == "region" || k == "municipality") : k == name;
                        if (!same_facet) clicked.emplace(k, val);
                    }
                    clicked.emplace(param, Str(v["code"]));
                    CAPTURE(name);
                    CAPTURE(Str(v["code"]));
                    CHECK(total_of(clicked) == v["count"].GetUint64());
                    ++checked;
                };
                click(name == "area" ? "region" : name, value);
                if (name == "area" && value.HasMember("children")) {
                    for (const auto& child : value["children"].GetArray()) {
                        if (child["count"].GetUint64() > 0) click("municipality", child);
                    }
                }
            }
        }
        // National and local together are every result while national records are included.
        if (doc["facets"].HasMember("national") && !base.count("national")) {
            uint64_t sum = 0;
            for (const auto& v : doc["facets"]["national"].GetArray())
                sum += v["count"].GetUint64();
            CHECK(sum == doc["total"].GetUint64());
        }
    }
    CHECK(checked > 40);
    CHECK(server.Stop() == 0);
}

TEST_CASE("every 400 over HTTP names its parameter") {
    Server s;
    const std::pair<httplib::Params, const char*> cases[] = {
        {{{"q", std::string(501, 'a')}}, "q"},
        {{{"lang", "de"}}, "lang"},
        {{{"region", "99"}}, "region"},
        {{{"municipality", "000"}}, "municipality"},
        {{{"target_group", "x"}}, "target_group"},
        {{{"theme", "x"}}, "theme"},
        {{{"service_class", "x"}}, "service_class"},
        {{{"type", "x"}}, "type"},
        {{{"channel", "x"}}, "channel"},
        {{{"service_language", "x"}}, "service_language"},
        {{{"funding", "x"}}, "funding"},
        {{{"organisation", "Not An Id"}}, "organisation"},
        {{{"national", "x"}}, "national"},
        {{{"active_on", "2024-02-30"}}, "active_on"},
        {{{"status", "x"}}, "status"},
        {{{"near", "x"}}, "near"},
        {{{"near", "25.47,65.01"}}, "near"},
        {{{"near", "65,25"}, {"radius_km", "2000"}}, "radius_km"},
        {{{"sort", "distance"}}, "sort"},
        {{{"sort", "x"}}, "sort"},
        {{{"limit", "101"}}, "limit"},
        {{{"offset", "10001"}}, "offset"},
        {{{"facets", "x"}}, "facets"},
        {{{"facet_limit", "x"}}, "facet_limit"},
    };
    for (const auto& [params, parameter] : cases) {
        CAPTURE(parameter);
        auto r = s.Get("/v1/search", params);
        REQUIRE(r);
        CHECK(r->status == 400);
        auto doc = Json(r->body);
        REQUIRE(doc.HasMember("error"));
        CHECK(Str(doc["error"]["code"]) == "invalid_argument");
        CHECK(Str(doc["error"]["parameter"]) == parameter);
    }
    auto suggest = s.Get("/v1/suggest", {{"limit", "11"}});
    REQUIRE(suggest);
    CHECK(suggest->status == 400);
    auto tracking = s.Get("/v1/search", {{"utm_source", "portal"}, {"fbclid", "x"}});
    REQUIRE(tracking);
    CHECK(tracking->status == 200);
}

TEST_CASE("CORS preflight, ETag and 304, gzip, HEAD, 405") {
    Server s({"--cors-origins", "https://portal.example"});
    auto preflight = s.client->Options("/v1/search", {{"Origin", "https://portal.example"},
                                                      {"Access-Control-Request-Method", "GET"}});
    REQUIRE(preflight);
    CHECK(preflight->status == 204);
    CHECK(preflight->get_header_value("Access-Control-Allow-Origin") == "https://portal.example");
    CHECK(preflight->get_header_value("Access-Control-Allow-Methods").find("GET") !=
          std::string::npos);
    CHECK_FALSE(preflight->get_header_value("Access-Control-Max-Age").empty());
    auto other = s.Get("/health", {}, {{"Origin", "https://other.example"}});
    REQUIRE(other);
    CHECK(other->get_header_value("Access-Control-Allow-Origin").empty());

    auto first = s.Get("/v1/search", {{"q", "ohjaus"}});
    REQUIRE(first);
    std::string etag = first->get_header_value("ETag");
    REQUIRE_FALSE(etag.empty());
    CHECK(first->get_header_value("Cache-Control").find("max-age") != std::string::npos);
    auto second = s.Get("/v1/search", {{"q", "ohjaus"}}, {{"If-None-Match", etag}});
    REQUIRE(second);
    CHECK(second->status == 304);
    CHECK(second->body.empty());
    auto changed =
        s.Get("/v1/search", {{"q", "ohjaus"}, {"lang", "sv"}}, {{"If-None-Match", etag}});
    REQUIRE(changed);
    CHECK(changed->status == 200);

    s.client->set_decompress(false);
    auto gzip = s.Get("/v1/search", {{"limit", "100"}}, {{"Accept-Encoding", "gzip"}});
    REQUIRE(gzip);
    CHECK(gzip->status == 200);
    CHECK(gzip->get_header_value("Content-Encoding") == "gzip");
    REQUIRE(gzip->body.size() > 2);
    CHECK(static_cast<unsigned char>(gzip->body[0]) == 0x1f);
    CHECK(static_cast<unsigned char>(gzip->body[1]) == 0x8b);
    auto plain = s.Get("/v1/search", {{"limit", "100"}});
    REQUIRE(plain);
    CHECK(plain->get_header_value("Content-Encoding").empty());
    CHECK(plain->body.size() > gzip->body.size());
    // What browsers send. The answer is kept in the result cache as gzip, so it comes as
    // gzip to every client that takes it, compressed once (by the Api, not again by
    // httplib); other responses come as brotli.
    s.client->set_decompress(true);
    for (const char* path : {"/v1/search", "/openapi.json"}) {
        CAPTURE(path);
        const bool search = std::string(path) == "/v1/search";
        auto browser = s.Get(path, {{"limit", "100"}}, {{"Accept-Encoding", "gzip, deflate, br"}});
        REQUIRE(browser);
        CHECK(browser->status == 200);
        CHECK(browser->get_header_value("Content-Encoding") == (search ? "gzip" : "br"));
        if (search) CHECK(WithoutTook(browser->body) == WithoutTook(plain->body));
    }
    // A new answer (not yet kept) for a gzip client and then, kept, for a plain one.
    auto fresh = s.Get("/v1/search", {{"limit", "99"}}, {{"Accept-Encoding", "gzip"}});
    auto kept = s.Get("/v1/search", {{"limit", "99"}});
    REQUIRE(fresh);
    REQUIRE(kept);
    CHECK(fresh->get_header_value("Content-Encoding") == "gzip");
    CHECK(kept->get_header_value("Content-Encoding").empty());
    CHECK(WithoutTook(fresh->body) == WithoutTook(kept->body));
    s.client->set_decompress(false);

    auto head = s.client->Head("/v1/search?q=ohjaus");
    REQUIRE(head);
    CHECK(head->status == 200);
    CHECK(head->body.empty());

    auto post = s.client->Post("/v1/search", "q=ohjaus", "application/x-www-form-urlencoded");
    REQUIRE(post);
    CHECK(post->status == 405);
    CHECK(post->get_header_value("Allow") == "GET, HEAD, OPTIONS");
    CHECK(s.process->Stop() == 0);
}

TEST_CASE("no path leaves the web folder") {
    Server s;
    const char* attempts[] = {
        "/../secret.txt",         "/../../../../etc/passwd",
        "/%2e%2e/secret.txt",     "/%2E%2E/%2E%2E/etc/passwd",
        "/%252e%252e/secret.txt", "/..%2fsecret.txt",
        "/%2e%2e%2fsecret.txt",   "/..%5csecret.txt",
        "/.%2e/secret.txt",       "/%c0%ae%c0%ae/secret.txt",
    };
    for (const char* path : attempts) {
        CAPTURE(path);
        std::string answer =
            RawHttp(s.process->port(), std::string("GET ") + path +
                                           " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        REQUIRE_FALSE(answer.empty());
        bool refused = answer.rfind("HTTP/1.1 400", 0) == 0 || answer.rfind("HTTP/1.1 404", 0) == 0;
        CHECK(refused);
        CHECK(answer.find("SECRET") == std::string::npos);
        CHECK(answer.find("root:") == std::string::npos);
    }
    CHECK(s.process->Stop() == 0);
}

TEST_CASE("/openapi.json and /metrics") {
    Server s;
    auto openapi = s.Get("/openapi.json");
    REQUIRE(openapi);
    CHECK(openapi->status == 200);
    auto doc = Json(openapi->body);
    REQUIRE_FALSE(doc.HasParseError());
    CHECK(doc.HasMember("paths"));

    s.Get("/v1/search", {{"q", "ohjaus"}});
    s.Get("/v1/search", {{"q", "zzqxyvv"}});
    s.Get("/v1/search", {{"limit", "x"}});
    auto metrics = s.Get("/metrics");
    REQUIRE(metrics);
    CHECK(metrics->status == 200);
    const std::string& text = metrics->body;
    CHECK(text.find("tnohaku_http_requests_total{route=\"search\",status=\"200\"} 2") !=
          std::string::npos);
    CHECK(text.find("tnohaku_http_requests_total{route=\"search\",status=\"400\"} 1") !=
          std::string::npos);
    CHECK(
        text.find("tnohaku_http_request_duration_seconds_bucket{route=\"search\",le=\"+Inf\"} 3") !=
        std::string::npos);
    CHECK(text.find("tnohaku_search_zero_results_total 1") != std::string::npos);
    CHECK(text.find("tnohaku_index_documents 5") != std::string::npos);
    CHECK(text.find("tnohaku_index_generation 1") != std::string::npos);
    CHECK(s.process->Stop() == 0);
}

TEST_CASE("the zero-result log gets text and filters") {
    TempDir logs;
    std::string zero = logs / "zero.jsonl";
    Server s({"--zero-result-log", zero});
    s.Get("/v1/search", {{"q", "zzqxyvv"}, {"region", "17"}, {"near", "65.0123,25.4567"}});
    s.Get("/v1/search", {{"q", "ohjaamo"}});
    CHECK(s.process->Stop() == 0);
    std::string text = ReadFile(zero);
    CHECK(std::count(text.begin(), text.end(), '\n') == 1);
    CHECK(text.find("zzqxyvv") != std::string::npos);
    CHECK(text.find("\"17\"") != std::string::npos);
    CHECK(text.find("65.0123") == std::string::npos);
}

TEST_CASE("a missing index or bad flags stop the server with a clear message") {
    TempDir dir;
    ServerProcess missing(dir / "no-index", dir / "missing.log");
    CHECK_FALSE(missing.started());
    std::string log = ReadFile(dir / "missing.log");
    CHECK(log.find("cannot open the index") != std::string::npos);

    std::filesystem::create_directories(dir.path() / "corrupt");
    WriteFile(dir / "corrupt/CURRENT", "auto gen-000009\n");
    ServerProcess corrupt(dir / "corrupt", dir / "corrupt.log");
    CHECK_FALSE(corrupt.started());
    CHECK(ReadFile(dir / "corrupt.log").find("cannot open the index") != std::string::npos);

    Server running;  // a second server on its port must not start (no SO_REUSEPORT sharing)
    ServerProcess second(running.db, dir / "second.log",
                         {"--port", std::to_string(running.process->port())});
    CHECK_FALSE(second.started());
    CHECK(ReadFile(dir / "second.log").find("cannot listen") != std::string::npos);
    CHECK(running.Get("/health"));

    ServerProcess bad_flag(dir / "no-index", dir / "flags.log", {"--port", "x"});
    CHECK_FALSE(bad_flag.started());
    CHECK(ReadFile(dir / "flags.log").find("--port") != std::string::npos);
}

TEST_CASE("a generation switch under concurrent requests fails none and never goes back") {
    Server s;
    std::string second = s.dir / "second.jsonl";
    WriteFile(
        second,
        std::string(kServerFixtureJsonl) +
            R"({"id":"uusi-palvelu","type":"service","name":{"fi":"Uusi ohjauspalvelu"},"area":{"national":true}})"
            "\n");
    std::atomic<bool> stop{false};
    std::atomic<int> requests{0}, failures{0}, went_back{0};
    std::atomic<uint64_t> newest{0};  // the newest generation any client has been answered from
    std::vector<std::thread> clients;
    for (int t = 0; t < 4; ++t) {
        clients.emplace_back([&, t] {
            httplib::Client client("127.0.0.1", s.process->port());
            client.set_read_timeout(10, 0);
            const char* queries[] = {"ohjaus", "ohjaamo", "", "palvelu"};
            while (!stop.load()) {
                // Sent after an answer from generation `floor`: must not come from an older one.
                const uint64_t floor = newest.load();
                auto r = client.Get("/v1/search",
                                    httplib::Params{{"q", queries[t]}, {"limit", "20"}}, {});
                ++requests;
                if (!r || r->status != 200) {
                    ++failures;
                    continue;
                }
                const uint64_t generation = Json(r->body)["generation"].GetUint64();
                if (generation < floor) ++went_back;
                uint64_t seen = newest.load();
                while (seen < generation && !newest.compare_exchange_weak(seen, generation)) {
                }
            }
        });
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    // Three switches: the third removes generation 1, which searchers may still have open.
    for (int i = 0; i < 3; ++i) {
        CHECK(RunIndexer(s.db, i % 2 == 0 ? second : s.dir / "records.jsonl") == 0);
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
    }
    CHECK(RunIndexer(s.db, second) == 0);  // generation 5 holds uusi-palvelu
    bool switched = false;
    for (int attempt = 0; attempt < 100 && !switched; ++attempt) {
        auto r = s.Get("/v1/search", {{"q", "uusi ohjauspalvelu"}});
        if (r && r->status == 200) {
            auto doc = Json(r->body);
            switched = doc["generation"].GetUint64() == 5 && Contains(HitIds(doc), "uusi-palvelu");
        }
        if (!switched) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    stop.store(true);
    for (auto& c : clients) c.join();
    std::string server_log = s.process->Log();
    INFO(server_log.substr(server_log.size() > 3000 ? server_log.size() - 3000 : 0));
    CHECK(switched);
    CHECK(requests.load() > 20);
    CHECK(failures.load() == 0);
    CHECK(went_back.load() == 0);
    auto metrics = s.Get("/metrics");
    REQUIRE(metrics);
    CHECK(metrics->body.find("tnohaku_index_generation 5") != std::string::npos);
    CHECK(s.process->Stop() == 0);
}

uint64_t CacheHits(Server& s) {
    auto metrics = s.Get("/metrics");
    if (!metrics) return 0;
    const std::string name = "\ntnohaku_search_result_cache_hits_total ";
    size_t at = metrics->body.find(name);
    return at == std::string::npos ? 0 : std::stoull(metrics->body.substr(at + name.size()));
}

TEST_CASE("repeated searches come from the result cache; an update in place is never stale") {
    Server s;
    const httplib::Params params = {{"q", "kempeleen"}};
    auto first = s.Get("/v1/search", params);
    REQUIRE(first);
    REQUIRE(first->status == 200);
    const uint64_t hits_before = CacheHits(s);
    auto again = s.Get("/v1/search", params);
    REQUIRE(again);
    CHECK(again->status == 200);
    CHECK(CacheHits(s) == hits_before + 1);
    auto a = Json(first->body), b = Json(again->body);
    CHECK(HitIds(a) == HitIds(b));
    CHECK(a["total"].GetUint64() == b["total"].GetUint64());
    CHECK(first->get_header_value("ETag") == again->get_header_value("ETag"));

    // The same id with a new name, same number of records, same generation: only the
    // database revision tells the answers apart.
    std::string update = s.dir / "update.jsonl";
    WriteFile(update,
              R"({"id":"kempele-hanke","type":"project","name":{"fi":"Kempeleen lumipallohanke"},)"
              R"("area":{"municipalities":["244"]}})"
              "\n");
    std::string log;
    REQUIRE_MESSAGE(RunIndexer(s.db, update, &log, {"--update"}) == 0, log);
    std::string name;
    for (int attempt = 0; attempt < 100 && name.find("lumipallo") == std::string::npos; ++attempt) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        auto r = s.Get("/v1/search", params);
        REQUIRE(r);
        auto doc = Json(r->body);
        if (r->status == 200 && doc["hits"].Size() > 0) name = Str(doc["hits"][0]["name"]);
    }
    CHECK(name == "Kempeleen lumipallohanke");
    CHECK(s.process->Stop() == 0);
}

}  // namespace
}  // namespace tnohaku::testing
