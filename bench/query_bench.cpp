// tnohaku-bench-query: in-process search latency over a workload file, without HTTP.
//
//   tnohaku-bench-query --db DIR --workload FILE [--passes N] [--warmup N] [--queries N]
//                       [--threads N] [--no-json] [--no-columns] [--callgrind]
//                       [--samples FILE] [--hits FILE] [--term-scoring auto|never|always]
//
// FILE holds one request a line, "CATEGORY<TAB>/v1/search?QUERY" (bench/gen_workload.py).
// Each query string goes through the server's own parameter parsing
// (server::ParseSearchParams), so the SearchRequest is exactly what tnohaku-server would
// run; then Searcher::Search, then (unless --no-json) the server's JSON writer. The
// difference to the HTTP latency of the same workload is the HTTP transport.
//
// --no-columns answers with Xapian match passes and match spies only (the path remote
// shards can run) instead of the in-memory columns, to compare the two in one run.
// --hits FILE writes, after the measured passes, each request's total and page (ids and
// scores), one line per workload line: two runs that must answer alike diff clean.
// --term-scoring: whether relevance passes score term at a time first
// (core/text_scorer.h): by the cost estimate (auto, the server's default), never, or
// wherever the query allows; to measure the choice.
// --threads N runs N threads, each with its own Searcher (as the server's pool), over the
// same list; latency percentiles are over every request of every thread.
// --callgrind collects callgrind instruction counts only around the measured passes
// (run under valgrind --tool=callgrind --collect-atstart=no).
// --samples FILE writes every measured request's latency (for comparing with the HTTP run
// over exactly the same requests).
//
// Prints one JSON object on stdout: overall and per-category p50/p95/p99/mean in ms,
// requests/s, and the split between search and JSON writing.
#include <sys/resource.h>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <string>
#include <thread>
#include <vector>

#if __has_include(<valgrind/callgrind.h>)
#include <valgrind/callgrind.h>
#define TNOHAKU_TOGGLE_COLLECT() CALLGRIND_TOGGLE_COLLECT
#else
#define TNOHAKU_TOGGLE_COLLECT() ((void)0)
#endif

#include "core/column_store.h"
#include "core/searcher.h"
#include "core/vocab.h"
#include "server/json_writer.h"
#include "server/params.h"

namespace {

using Clock = std::chrono::steady_clock;

struct Options {
    std::string db, workload;
    int passes = 1, warmup = 1, threads = 1;
    size_t queries = 0;  // 0 = all
    bool json = true, callgrind = false, columns = true;
    std::string samples;  // --samples FILE: one line per measured request
    std::string hits;     // --hits FILE: one line per workload request
    tnohaku::TermScoring term_scoring = tnohaku::TermScoring::kWhenCheaper;
};

struct Item {
    std::string category, path;
    tnohaku::SearchRequest request;
};

struct Sample {
    size_t item;
    double search_ms, json_ms;
    bool ok;
};

int HexValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// Percent-decoding as an HTTP server does for query strings ('+' is a space).
std::string Decode(std::string_view s) {
    std::string out;
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '+') {
            out += ' ';
        } else if (s[i] == '%' && i + 2 < s.size() + 0 && HexValue(s[i + 1]) >= 0 &&
                   HexValue(s[i + 2]) >= 0) {
            out += static_cast<char>(HexValue(s[i + 1]) * 16 + HexValue(s[i + 2]));
            i += 2;
        } else {
            out += s[i];
        }
    }
    return out;
}

tnohaku::server::ParamMap ParseQueryString(std::string_view path) {
    tnohaku::server::ParamMap params;
    size_t q = path.find('?');
    if (q == std::string_view::npos) return params;
    std::string_view rest = path.substr(q + 1);
    while (!rest.empty()) {
        size_t amp = rest.find('&');
        std::string_view pair = rest.substr(0, amp);
        rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
        if (pair.empty()) continue;
        size_t eq = pair.find('=');
        std::string key = Decode(pair.substr(0, eq));
        std::string value =
            eq == std::string_view::npos ? std::string() : Decode(pair.substr(eq + 1));
        params.emplace(std::move(key), std::move(value));
    }
    return params;
}

double Ms(Clock::duration d) {
    return std::chrono::duration<double, std::milli>(d).count();
}

double Percentile(std::vector<double> v, double p) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    size_t idx = static_cast<size_t>(p / 100.0 * static_cast<double>(v.size() - 1) + 0.5);
    return v[std::min(idx, v.size() - 1)];
}

std::string Stats(const std::vector<double>& v) {
    double sum = 0;
    for (double x : v) sum += x;
    char buf[256];
    std::snprintf(
        buf, sizeof buf,
        "{\"n\": %zu, \"p50\": %.3f, \"p95\": %.3f, \"p99\": %.3f, \"mean\": %.3f, \"max\": %.3f}",
        v.size(), Percentile(v, 50), Percentile(v, 95), Percentile(v, 99),
        v.empty() ? 0 : sum / v.size(), v.empty() ? 0 : *std::max_element(v.begin(), v.end()));
    return buf;
}

int Usage(const char* why) {
    std::fprintf(
        stderr,
        "tnohaku-bench-query: %s\nusage: tnohaku-bench-query --db DIR --workload FILE [--passes N] "
        "[--warmup N] [--queries N] [--threads N] [--no-json] [--no-columns] [--callgrind] "
        "[--samples FILE] [--hits FILE] [--term-scoring auto|never|always]\n",
        why);
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        auto next = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
        if (a == "--db")
            o.db = next();
        else if (a == "--workload")
            o.workload = next();
        else if (a == "--passes")
            o.passes = std::atoi(next().c_str());
        else if (a == "--warmup")
            o.warmup = std::atoi(next().c_str());
        else if (a == "--threads")
            o.threads = std::max(1, std::atoi(next().c_str()));
        else if (a == "--queries")
            o.queries = static_cast<size_t>(std::atoll(next().c_str()));
        else if (a == "--no-json")
            o.json = false;
        else if (a == "--no-columns")
            o.columns = false;
        else if (a == "--callgrind")
            o.callgrind = true;
        else if (a == "--samples")
            o.samples = next();
        else if (a == "--hits")
            o.hits = next();
        else if (a == "--term-scoring") {
            const std::string v = next();
            if (v == "auto")
                o.term_scoring = tnohaku::TermScoring::kWhenCheaper;
            else if (v == "never")
                o.term_scoring = tnohaku::TermScoring::kNever;
            else if (v == "always")
                o.term_scoring = tnohaku::TermScoring::kAlways;
            else
                return Usage("--term-scoring takes auto, never or always");
        } else
            return Usage(("unknown argument " + a).c_str());
    }
    if (o.db.empty() || o.workload.empty()) return Usage("--db and --workload are required");

    auto vocab = tnohaku::Vocabulary::LoadEmbedded();
    if (!vocab.ok()) {
        std::fprintf(stderr, "tnohaku-bench-query: %s\n", vocab.status().message().c_str());
        return 1;
    }
    std::vector<Item> items;
    {
        std::ifstream in(o.workload);
        if (!in) return Usage(("cannot read " + o.workload).c_str());
        std::string line;
        while (std::getline(in, line)) {
            if (line.empty()) continue;
            size_t tab = line.find('\t');
            Item item;
            item.category = tab == std::string::npos ? "all" : line.substr(0, tab);
            item.path = tab == std::string::npos ? line : line.substr(tab + 1);
            auto parsed = tnohaku::server::ParseSearchParams(ParseQueryString(item.path), **vocab);
            if (!parsed.ok()) {
                std::fprintf(stderr, "tnohaku-bench-query: %s: %s\n", item.path.c_str(),
                             parsed.status.message().c_str());
                return 1;
            }
            item.request = std::move(parsed.value);
            items.push_back(std::move(item));
            if (o.queries && items.size() >= o.queries) break;
        }
    }
    if (items.empty()) return Usage("the workload is empty");

    tnohaku::SearcherOptions searcher_options;
    searcher_options.index_dir = o.db;
    searcher_options.vocab = *vocab;
    searcher_options.column_search = o.columns;
    searcher_options.term_scoring = o.term_scoring;
    searcher_options.column_cache = std::make_shared<tnohaku::ColumnStoreCache>();
    std::vector<std::unique_ptr<tnohaku::Searcher>> searchers;
    for (int t = 0; t < o.threads; ++t) {
        auto s = tnohaku::Searcher::Open(searcher_options);
        if (!s.ok()) {
            std::fprintf(stderr, "tnohaku-bench-query: %s\n", s.status().message().c_str());
            return 1;
        }
        searchers.push_back(std::move(*s));
    }

    auto run_one = [&](tnohaku::Searcher& searcher, const Item& item, Sample& sample) {
        auto t0 = Clock::now();
        auto result = searcher.Search(item.request);
        auto t1 = Clock::now();
        size_t bytes = 0;
        if (result.ok() && o.json) {
            std::string body = tnohaku::server::WriteSearchResponse(
                *result,
                tnohaku::server::SearchResponseContext{item.request, **vocab, Ms(t1 - t0)});
            bytes = body.size();
        }
        auto t2 = Clock::now();
        sample.search_ms = Ms(t1 - t0);
        sample.json_ms = Ms(t2 - t1);
        sample.ok = result.ok();
        return bytes;
    };

    // Warm-up: every thread's searcher sees the workload (page cache, analyser caches).
    for (int w = 0; w < o.warmup; ++w) {
        std::vector<std::thread> pool;
        for (int t = 0; t < o.threads; ++t) {
            pool.emplace_back([&, t] {
                Sample s{};
                for (size_t i = t; i < items.size(); i += static_cast<size_t>(o.threads))
                    run_one(*searchers[t], items[i], s);
            });
        }
        for (auto& th : pool) th.join();
    }

    // Measured passes: threads take the next request from a shared counter.
    std::vector<std::vector<Sample>> samples(static_cast<size_t>(o.threads));
    std::atomic<size_t> next{0};
    const size_t total = items.size() * static_cast<size_t>(std::max(1, o.passes));
    std::atomic<uint64_t> bytes{0};
    if (o.callgrind) TNOHAKU_TOGGLE_COLLECT();
    auto cpu_seconds = [] {
        rusage ru{};
        getrusage(RUSAGE_SELF, &ru);  // every thread of the process
        return ru.ru_utime.tv_sec + ru.ru_stime.tv_sec +
               (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
    };
    const double cpu_start = cpu_seconds();
    auto start = Clock::now();
    {
        auto worker = [&](int t) {
            for (;;) {
                size_t k = next.fetch_add(1);
                if (k >= total) break;
                Sample s{};
                s.item = k % items.size();
                bytes += run_one(*searchers[t], items[s.item], s);
                samples[t].push_back(s);
            }
        };
        if (o.threads == 1) {
            worker(0);  // in this thread: callgrind's collection toggle is per thread
        } else {
            std::vector<std::thread> pool;
            for (int t = 0; t < o.threads; ++t) pool.emplace_back(worker, t);
            for (auto& th : pool) th.join();
        }
    }
    double wall_ms = Ms(Clock::now() - start);
    const double cpu_ms = (cpu_seconds() - cpu_start) * 1000;
    if (o.callgrind) TNOHAKU_TOGGLE_COLLECT();

    if (!o.samples.empty()) {
        // In request order: ITEM <TAB> CATEGORY <TAB> SEARCH_MS <TAB> JSON_MS
        std::vector<const Sample*> ordered;
        for (const auto& per_thread : samples)
            for (const Sample& s : per_thread) ordered.push_back(&s);
        std::ofstream out(o.samples);
        for (const Sample* s : ordered) {
            out << s->item << '\t' << items[s->item].category << '\t' << s->search_ms << '\t'
                << s->json_ms << '\n';
        }
    }
    if (!o.hits.empty()) {
        // ITEM <TAB> TOTAL <TAB> ID:SCORE ...
        std::ofstream out(o.hits);
        out.precision(17);
        for (size_t i = 0; i < items.size(); ++i) {
            auto result = searchers[0]->Search(items[i].request);
            out << i << '\t' << (result.ok() ? std::to_string(result->total) : "error") << '\t';
            if (result.ok()) {
                for (const auto& hit : result->hits) out << hit.id << ':' << hit.score << ' ';
            }
            out << '\n';
        }
    }
    std::vector<double> all, search, json;
    std::map<std::string, std::vector<double>> by_category;
    size_t errors = 0;
    for (const auto& per_thread : samples) {
        for (const Sample& s : per_thread) {
            if (!s.ok) ++errors;
            all.push_back(s.search_ms + s.json_ms);
            search.push_back(s.search_ms);
            json.push_back(s.json_ms);
            by_category[items[s.item].category].push_back(s.search_ms + s.json_ms);
        }
    }
    std::printf(
        "{\"requests\": %zu, \"errors\": %zu, \"threads\": %d, \"wall_s\": %.3f, \"rps\": %.1f, "
        "\"cpu_ms_per_request\": %.3f, "
        "\"mean_response_bytes\": %.0f,\n \"total\": %s,\n \"search\": %s,\n \"json\": %s,\n "
        "\"categories\": {",
        all.size(), errors, o.threads, wall_ms / 1000, all.size() / (wall_ms / 1000),
        all.empty() ? 0.0 : cpu_ms / static_cast<double>(all.size()),
        all.empty() ? 0.0 : static_cast<double>(bytes.load()) / all.size(), Stats(all).c_str(),
        Stats(search).c_str(), Stats(json).c_str());
    bool first = true;
    for (const auto& [cat, v] : by_category) {
        std::printf("%s\n  \"%s\": %s", first ? "" : ",", cat.c_str(), Stats(v).c_str());
        first = false;
    }
    std::printf("}}\n");
    return errors == 0 ? 0 : 1;
}
