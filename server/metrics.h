// Metrics: the server's counters, rendered in the Prometheus text format for /metrics.
//
// Requests are counted by route name (a fixed set: "search", "record", ... never request
// data) and HTTP status, with a latency histogram per route. Also counted: searches that
// found nothing, searcher borrows that timed out, and the newest index generation served
// with its document count.
//
// Thread safety: every method may be called from any thread.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

namespace tnohaku::server {

class Metrics {
  public:
    // Upper bounds of the latency histogram buckets, in seconds (+Inf is implied).
    static constexpr std::array<double, 12> kBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                        0.1,   0.25,   0.5,   1,    2.5,   5};

    void RecordRequest(std::string_view route, int status, double seconds);
    void RecordZeroResults() { zero_results_.fetch_add(1, std::memory_order_relaxed); }
    void RecordBorrowTimeout() { borrow_timeouts_.fetch_add(1, std::memory_order_relaxed); }
    void RecordResultCacheHit() { cache_hits_.fetch_add(1, std::memory_order_relaxed); }
    // Reports the generation a searcher serves. Only a newer (or the same) generation
    // replaces the gauges: during a switch the searchers refresh one by one, and one still
    // on the old generation must not set the gauge back.
    void SetIndex(uint64_t generation, uint64_t documents);
    uint64_t generation() const { return generation_.load(std::memory_order_relaxed); }

    // Prometheus text exposition format 0.0.4.
    std::string Render() const;
    static constexpr const char* kContentType = "text/plain; version=0.0.4; charset=utf-8";

  private:
    struct Latency {
        std::array<uint64_t, kBuckets.size()> buckets{};  // non-cumulative
        uint64_t count = 0;
        double sum = 0;
    };
    mutable std::mutex mutex_;
    std::map<std::pair<std::string, int>, uint64_t> requests_;
    std::map<std::string, Latency> latency_;
    std::atomic<uint64_t> zero_results_{0}, borrow_timeouts_{0}, cache_hits_{0};
    std::atomic<uint64_t> generation_{0}, documents_{0};
};

}  // namespace tnohaku::server
