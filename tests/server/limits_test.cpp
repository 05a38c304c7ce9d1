// End-to-end: every limit of the server (SECURITY.md, "Limits") answered with a clear 4xx
// or 503 over real sockets, never a crash; the server serves on afterwards.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include <doctest/doctest.h>
#include <httplib.h>

#include "core/searcher.h"
#include "server/metrics.h"
#include "server/params.h"
#include "server/routes.h"
#include "server/server_process.h"
#include "test_support.h"

namespace tnohaku::testing {
namespace {

using Clock = std::chrono::steady_clock;

struct LimitsServer {
    TempDir dir;
    std::string db = BuildFixtureIndex(dir.path().string());
    std::unique_ptr<ServerProcess> process;

    explicit LimitsServer(std::vector<std::string> extra = {}) {
        std::filesystem::create_directories(dir.path() / "web");
        WriteFile(dir / "web/index.html", "<!doctype html><title>tnohaku</title>");
        WriteFile(dir / "secret.txt", "SECRET");
        extra.insert(extra.end(), {"--web-dir", dir / "web"});
        process = std::make_unique<ServerProcess>(db, dir / "server.log", extra);
        REQUIRE_MESSAGE(process->started(), process->Log());
    }
    int port() const { return process->port(); }
    httplib::Result Get(const std::string& path, const httplib::Params& params = {}) {
        httplib::Client client("127.0.0.1", port());
        client.set_read_timeout(10, 0);
        return client.Get(path, params, {});
    }
    bool Healthy() {
        auto r = Get("/health");
        return r && r->status == 200;
    }
};

// "HTTP/1.1 414" → 414; 0 when there is no status line.
int StatusOf(const std::string& answer) {
    if (answer.rfind("HTTP/1.", 0) != 0 || answer.size() < 12) return 0;
    return std::stoi(answer.substr(9, 3));
}

std::string Body(const std::string& answer) {
    size_t end = answer.find("\r\n\r\n");
    return end == std::string::npos ? std::string() : answer.substr(end + 4);
}

// A TCP connection that sends nothing (or only `bytes`) and keeps its socket open.
class IdleConnection {
  public:
    IdleConnection(int port, const std::string& bytes = {}) {
        fd_ = socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(static_cast<uint16_t>(port));
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        connected_ = connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
        if (connected_ && !bytes.empty()) send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    }
    ~IdleConnection() { close(fd_); }
    IdleConnection(const IdleConnection&) = delete;
    IdleConnection& operator=(const IdleConnection&) = delete;
    bool connected() const { return connected_; }
    // Seconds until the server closed the connection (reads what it sends); -1 when it
    // was still open after `limit_seconds`.
    double SecondsUntilClosed(int limit_seconds) {
        timeval timeout{1, 0};
        setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
        auto start = Clock::now();
        char buffer[4096];
        while (Clock::now() - start < std::chrono::seconds(limit_seconds)) {
            ssize_t n = recv(fd_, buffer, sizeof buffer, 0);
            if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK))
                return std::chrono::duration<double>(Clock::now() - start).count();
        }
        return -1;
    }

  private:
    int fd_ = -1;
    bool connected_ = false;
};

std::string Get(const std::string& target) {
    return "GET " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
}

TEST_CASE("an oversized request line is 414 and an oversized header 400, as JSON") {
    LimitsServer s;
    // cpp-httplib's compiled-in limits: 8192 bytes for the request line and for a header.
    std::string long_target = "/v1/search?q=" + std::string(9000, 'a');
    std::string answer = RawHttp(s.port(), Get(long_target), 10);
    CHECK(StatusOf(answer) == 414);
    CHECK(Body(answer).find(R"("code":"http_error")") != std::string::npos);

    answer = RawHttp(s.port(),
                     "GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(9000, 'b') +
                         "\r\nConnection: close\r\n\r\n",
                     10);
    CHECK(StatusOf(answer) == 400);
    CHECK(Body(answer).find("malformed HTTP request") != std::string::npos);

    answer = RawHttp(s.port(), "NOT AN HTTP REQUEST\r\n\r\n", 10);
    CHECK(StatusOf(answer) == 400);
    CHECK(s.Healthy());
    CHECK(s.process->Stop() == 0);
}

TEST_CASE("every parameter limit is a 400 naming the parameter, just past the limit") {
    LimitsServer s;
    using server::kMaxQueryChars;
    std::string fifty_codes;  // distinct values: the limit counts values, not parameters
    for (int i = 0; i < 50; ++i) {
        if (i) fifty_codes += ',';
        fifty_codes += "org-" + std::to_string(i);
    }
    const std::string fifty_one_codes = fifty_codes + ",org-50";
    struct Case {
        std::string path;
        httplib::Params params;
        std::string parameter;
    };
    const std::vector<Case> cases = {
        {"/v1/search", {{"q", std::string(kMaxQueryChars + 1, 'a')}}, "q"},
        {"/v1/search", {{"q", std::string(kMaxQueryChars + 1, 'x') + " ohjaus"}}, "q"},
        {"/v1/search", {{"organisation", fifty_one_codes}}, "organisation"},
        {"/v1/search", {{"limit", "101"}}, "limit"},
        {"/v1/search", {{"limit", "-1"}}, "limit"},
        {"/v1/search", {{"limit", "99999999999999999999"}}, "limit"},
        {"/v1/search", {{"offset", "10001"}}, "offset"},
        {"/v1/search", {{"facet_limit", "1001"}}, "facet_limit"},
        {"/v1/search", {{"radius_km", "1001"}, {"near", "65,25"}}, "radius_km"},
        {"/v1/search", {{"q", std::string("a\x01")}}, "q"},
        {"/v1/search", {{"q", std::string("\xff\xfe")}}, "q"},
        {"/v1/suggest", {{"q", std::string(kMaxQueryChars + 1, 'a')}}, "q"},
        {"/v1/suggest", {{"q", "ohj"}, {"limit", "11"}}, "limit"},
    };
    for (const Case& c : cases) {
        CAPTURE(c.path);
        CAPTURE(c.parameter);
        auto r = s.Get(c.path, c.params);
        REQUIRE(r);
        CHECK(r->status == 400);
        CHECK(r->body.find(R"("parameter":")" + c.parameter + "\"") != std::string::npos);
    }
    // At the limits: fine.
    auto at_limit =
        s.Get("/v1/search",
              {{"q", std::string(kMaxQueryChars, 'a')}, {"limit", "100"}, {"offset", "10000"}});
    REQUIRE(at_limit);
    CHECK(at_limit->status == 200);
    auto fifty = s.Get("/v1/search", {{"organisation", fifty_codes}});
    REQUIRE(fifty);
    CHECK(fifty->status == 200);
    CHECK(s.process->Stop() == 0);
}

TEST_CASE("a client that sends nothing or stops half-way is cut off by the read timeout") {
    LimitsServer s;
    IdleConnection silent(s.port());
    IdleConnection half_request(s.port(), "GET /v1/search?q=ohj");
    IdleConnection half_headers(s.port(), "GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: ");
    REQUIRE(silent.connected());
    CHECK(s.Healthy());  // served while the slow ones wait
    // The read timeout is 5 s; allow a loaded machine three times that.
    double silent_seconds = silent.SecondsUntilClosed(15);
    CHECK(silent_seconds >= 0);
    CHECK(half_request.SecondsUntilClosed(15) >= 0);
    CHECK(half_headers.SecondsUntilClosed(15) >= 0);
    CHECK(s.Healthy());
    CHECK(s.process->Stop() == 0);
}

TEST_CASE("a client that stops reading is cut off by the write timeout, freeing its worker") {
    LimitsServer s({"--threads", "1"});
    // Pipelined requests for a 35 KB document, never read, with a small receive buffer:
    // the one worker blocks writing until the 5 s write timeout closes the connection.
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    int small = 4096;
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(s.port()));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    const std::string request = "GET /openapi.json HTTP/1.1\r\nHost: x\r\n\r\n";
    size_t sent = 0;
    for (int i = 0; i < 5000; ++i) {
        ssize_t n = send(fd, request.data(), request.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
        if (n <= 0) break;
        sent += static_cast<size_t>(n);
    }
    CHECK(sent > 100 * request.size());  // far more answers than the socket buffers hold
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    // A second client waits in the queue until the stuck connection is cut off.
    auto start = Clock::now();
    CHECK(StatusOf(RawHttp(s.port(), Get("/health"), 20)) == 200);
    double waited = std::chrono::duration<double>(Clock::now() - start).count();
    MESSAGE("the queued request waited " << waited << " s for the stuck worker");
    CHECK(waited < 15);
    close(fd);
    CHECK(s.process->Stop() == 0);
}

TEST_CASE("with every worker busy and the queue full, a new connection gets 503 at once") {
    LimitsServer s({"--threads", "2", "--queue", "1"});
    // Two connections hold the two workers, a third waits in the queue (each until the
    // 5 s read timeout): the fourth is shed.
    std::vector<std::unique_ptr<IdleConnection>> idle;
    for (int i = 0; i < 3; ++i) idle.push_back(std::make_unique<IdleConnection>(s.port()));
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    auto start = Clock::now();
    std::string answer = RawHttp(s.port(), Get("/v1/search?q=ohjaus"), 10);
    CHECK(StatusOf(answer) == 503);
    CHECK(Body(answer).find(R"("code":"unavailable")") != std::string::npos);
    CHECK(answer.find("Retry-After: 1") != std::string::npos);
    CHECK(answer.find("Connection: close") != std::string::npos);
    CHECK(Clock::now() - start < std::chrono::seconds(4));  // not after the idle ones left
    idle.clear();                                           // the workers are free again
    bool served = false;
    for (int attempt = 0; attempt < 50 && !served; ++attempt) {
        served = StatusOf(RawHttp(s.port(), Get("/v1/search?q=ohjaus"), 10)) == 200;
        if (!served) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    CHECK(served);
    auto metrics = s.Get("/metrics");
    REQUIRE(metrics);
    CHECK(metrics->body.find(R"(route="shed",status="503")") != std::string::npos);
    CHECK(s.process->Stop() == 0);
}

TEST_CASE("every searcher busy for longer than the wait: 503 with Retry-After, then 200") {
    TempDir dir;
    std::string db = BuildFixtureIndex(dir.path().string());
    auto vocab = Vocabulary::LoadEmbedded();
    REQUIRE(vocab.ok());
    SearcherOptions searcher_options;
    searcher_options.index_dir = db;
    searcher_options.vocab = *vocab;
    auto pool = SearcherPool::Open(searcher_options, 1);
    REQUIRE(pool.ok());
    server::Metrics metrics;
    server::ApiOptions options;
    options.borrow_timeout = std::chrono::milliseconds(100);
    server::Api api(options, server::ApiDeps{pool->get(), *vocab, &metrics, nullptr, nullptr});
    server::ApiRequest search;
    search.method = "GET";
    search.path = "/v1/search";
    search.params = {{"q", "ohjaus"}};
    {
        auto held = (*pool)->Borrow(std::chrono::seconds(5));  // the only searcher
        REQUIRE(held.ok());
        server::ApiResponse busy = api.Handle(search);
        CHECK(busy.status == 503);
        CHECK(busy.body.find(R"("code":"unavailable")") != std::string::npos);
        CHECK(busy.Header("Retry-After") == "1");
    }
    CHECK(api.Handle(search).status == 200);
    CHECK(metrics.Render().find("tnohaku_searcher_borrow_timeouts_total 1") != std::string::npos);
}

TEST_CASE("no endpoint writes: other methods are 405, request bodies are never taken") {
    LimitsServer s;
    for (const char* method : {"POST", "PUT", "DELETE", "PATCH"}) {
        for (const char* path : {"/v1/search", "/v1/records/ohjaamo-oulu", "/", "/reload"}) {
            CAPTURE(method);
            CAPTURE(path);
            std::string answer = RawHttp(s.port(),
                                         std::string(method) + " " + path +
                                             " HTTP/1.1\r\nHost: x\r\nContent-Length: "
                                             "10\r\nConnection: close\r\n\r\n0123456789",
                                         10);
            int status = StatusOf(answer);
            CHECK((status == 405 || status == 404));
            CHECK(Body(answer).find(R"("error")") != std::string::npos);
        }
    }
    std::string big = RawHttp(s.port(),
                              "POST /v1/search HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n"
                              "Connection: close\r\n\r\n" +
                                  std::string(100000, 'x'),
                              10);
    int status = StatusOf(big);
    CHECK((status == 405 || status == 413));
    CHECK(s.Healthy());
    CHECK(s.process->Stop() == 0);
}

TEST_CASE("static files: no way out with backslashes, NUL, encodings or doubled slashes") {
    LimitsServer s;
    const char* attempts[] = {
        "/..\\secret.txt",          "/%5c..%5csecret.txt",
        "/%255c..%255csecret.txt",  "/index.html%00.txt",
        "/%00../secret.txt",        "//secret.txt",
        "/./../secret.txt",         "/web/../../secret.txt",
        "/%2e%2e%5csecret.txt",     "/.%252e/secret.txt",
        "/%u002e%u002e/secret.txt", "/..;/secret.txt",
        "/%c0%af../secret.txt",     "/.hidden",
        "/index.html/..",
    };
    for (const char* path : attempts) {
        CAPTURE(path);
        std::string answer = RawHttp(s.port(), Get(path), 10);
        int status = StatusOf(answer);
        CHECK((status == 400 || status == 404));
        CHECK(answer.find("SECRET") == std::string::npos);
    }
    std::string page = RawHttp(s.port(), Get("/"), 10);
    CHECK(StatusOf(page) == 200);
    CHECK(page.find("Content-Security-Policy: default-src 'self'") != std::string::npos);
    CHECK(page.find("X-Content-Type-Options: nosniff") != std::string::npos);
    CHECK(s.Healthy());
    CHECK(s.process->Stop() == 0);
}

TEST_CASE("catalogue text with <script> comes back escaped from every endpoint") {
    TempDir dir;
    const std::string hostile =
        R"({"id":"hostile-record","type":"service","name":{"fi":"Skriptiohjaus <script>alert(1)</script>","en":"<img src=x onerror=alert(1)>"},"summary":{"fi":"Ohjausta <script>alert('summary')</script> nuorille"},"description":{"fi":"Kuvaus <script>document.cookie</script> ohjaus"},"keywords":["<script>avainsana</script>"],"organisations":[{"id":"pahat-tekijat","name":"<script>org</script>","role":"provider"}],"area":{"national":true},"target_groups":["youth"],"themes":["career-guidance"],"channels":["online"],"contact":{"url":"https://example.org/?q=<script>"}})"
        "\n";
    WriteFile(dir / "hostile.jsonl", hostile);
    std::string log;
    REQUIRE_MESSAGE(RunIndexer(dir / "idx", dir / "hostile.jsonl", &log) == 0, log);
    ServerProcess server(dir / "idx", dir / "server.log");
    REQUIRE_MESSAGE(server.started(), server.Log());
    httplib::Client client("127.0.0.1", server.port());
    client.set_read_timeout(10, 0);
    const std::vector<std::pair<std::string, httplib::Params>> requests = {
        {"/v1/search", {{"q", "skriptiohjaus"}}},
        {"/v1/search", {{"q", "ohjausta script"}}},
        {"/v1/search", {{"q", "<script>alert(1)</script>"}}},
        {"/v1/search", {{"q", "kuvaus"}, {"lang", "en"}}},
        {"/v1/records/hostile-record", {}},
        {"/v1/suggest", {{"q", "skri"}}},
        {"/v1/suggest", {{"q", "<script"}}},
        {"/v1/facets", {}},
        {"/v1/search", {{"region", "<script>"}}},
    };
    for (const auto& [path, params] : requests) {
        CAPTURE(path);
        auto r = client.Get(path, params, {});
        REQUIRE(r);
        CHECK((r->status == 200 || r->status == 400));
        CHECK(r->body.find("<script") == std::string::npos);
        CHECK(r->body.find("<img") == std::string::npos);
        if (path == "/v1/search" && params.begin()->second == "skriptiohjaus") {
            CHECK(r->body.find("&lt;script&gt;") != std::string::npos);
            CHECK(r->body.find("<mark>") != std::string::npos);  // highlights survive
        }
    }
    CHECK(server.Stop() == 0);
}

}  // namespace
}  // namespace tnohaku::testing
