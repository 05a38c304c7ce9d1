#include "server/app.h"

#include <signal.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <thread>

#include "core/searcher.h"
#include "core/vocab.h"
#include "server/access_log.h"
#include "server/http_server.h"
#include "server/metrics.h"
#include "server/routes.h"

namespace tnohaku::server {

namespace {

int Fail(const std::string& message) {
    std::fprintf(stderr, "tnohaku-server: %s\n", message.c_str());
    return kExitFailure;
}

// SIGTERM and SIGINT are blocked in every thread (those started later inherit the mask)
// and taken by one thread with sigtimedwait, which stops the server.
sigset_t StopSignals() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    return set;
}

void WaitForStopSignal(HttpServer& http, const std::atomic<bool>& done) {
    sigset_t set = StopSignals();
    timespec poll{0, 200 * 1000 * 1000};
    while (!done.load()) {
        int sig = sigtimedwait(&set, nullptr, &poll);
        if (sig == SIGTERM || sig == SIGINT) {
            std::fprintf(stderr, "tnohaku-server: %s received, finishing requests in flight\n",
                         sig == SIGTERM ? "SIGTERM" : "SIGINT");
            http.Stop();
            return;
        }
    }
}

void ReportIndex(SearcherPool& pool, Metrics& metrics, const std::string& db) {
    auto lease = pool.Borrow(std::chrono::seconds(5));
    if (!lease.ok()) return;
    IndexInfo info = (*lease)->Info();
    metrics.SetIndex(info.generation, info.doc_count);
    std::fprintf(stderr, "tnohaku-server: serving %s, generation %llu, %llu records\n", db.c_str(),
                 static_cast<unsigned long long>(info.generation),
                 static_cast<unsigned long long>(info.doc_count));
}

}  // namespace

int RunServer(const ServerOptions& options) {
    sigset_t stop_signals = StopSignals();
    pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
    signal(SIGPIPE, SIG_IGN);

    auto vocab = Vocabulary::LoadEmbedded();
    if (!vocab.ok()) return Fail("cannot load the vocabularies: " + vocab.status().message());
    std::error_code ec;
    if (!options.web_dir.empty() && !std::filesystem::is_directory(options.web_dir, ec)) {
        return Fail("--web-dir " + options.web_dir + " is not a folder");
    }
    std::unique_ptr<ZeroResultLog> zero_result_log;
    if (!options.zero_result_log.empty()) {
        auto log = ZeroResultLog::Open(options.zero_result_log);
        if (!log.ok()) return Fail(log.status().message());
        zero_result_log = std::move(log).value();
    }
    size_t searchers =
        options.searchers ? options.searchers : std::max(1u, std::thread::hardware_concurrency());
    SearcherOptions searcher_options;
    searcher_options.index_dir = options.db;
    searcher_options.side_dir = options.side;
    searcher_options.vocab = *vocab;
    searcher_options.synonyms_path = options.synonyms;
    auto pool = SearcherPool::Open(searcher_options, searchers);
    if (!pool.ok())
        return Fail("cannot open the index in " + options.db + ": " + pool.status().message());

    Metrics metrics;
    ReportIndex(**pool, metrics, options.db);
    AccessLog access_log(stderr, AccessLogOptions{options.log_json, options.log_queries});
    ApiOptions api_options;
    api_options.cors_origins = options.cors_origins;
    api_options.web_dir = options.web_dir;
    api_options.result_cache_bytes = options.result_cache_mb << 20;
    Api api(api_options,
            ApiDeps{pool->get(), *vocab, &metrics, &access_log, zero_result_log.get()});
    HttpServer http(api,
                    HttpServerOptions{options.host, options.port, options.threads, options.queue});
    Result<int> port = http.Bind();
    if (!port.ok()) return Fail(port.status().message());
    std::fprintf(stderr, "listening on http://%s:%d\n", options.host.c_str(), *port);
    std::fflush(stderr);

    std::atomic<bool> done{false};
    std::thread signal_thread([&] { WaitForStopSignal(http, done); });
    Status served = http.Run();
    done.store(true);
    signal_thread.join();
    if (!served.ok()) return Fail(served.message());
    std::fprintf(stderr, "tnohaku-server: stopped\n");
    return kExitOk;
}

}  // namespace tnohaku::server
