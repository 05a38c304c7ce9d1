#include "server/metrics.h"

#include <cstdio>

namespace tnohaku::server {

namespace {

std::string FormatDouble(double value) {
    char text[32];
    std::snprintf(text, sizeof text, "%.6g", value);
    return text;
}

void Header(std::string& out, const char* name, const char* type, const char* help) {
    out += "# HELP ";
    out += name;
    out += ' ';
    out += help;
    out += "\n# TYPE ";
    out += name;
    out += ' ';
    out += type;
    out += '\n';
}

}  // namespace

void Metrics::RecordRequest(std::string_view route, int status, double seconds) {
    std::lock_guard lock(mutex_);
    ++requests_[{std::string(route), status}];
    Latency& latency = latency_[std::string(route)];
    ++latency.count;
    latency.sum += seconds;
    for (size_t i = 0; i < kBuckets.size(); ++i) {
        if (seconds <= kBuckets[i]) {
            ++latency.buckets[i];
            break;
        }
    }
}

void Metrics::SetIndex(uint64_t generation, uint64_t documents) {
    // One lock so that the two gauges always describe the same generation.
    std::lock_guard lock(mutex_);
    if (generation < generation_.load(std::memory_order_relaxed)) return;
    generation_.store(generation, std::memory_order_relaxed);
    documents_.store(documents, std::memory_order_relaxed);
}

std::string Metrics::Render() const {
    std::string out;
    std::lock_guard lock(mutex_);
    Header(out, "tnohaku_http_requests_total", "counter", "HTTP requests by route and status.");
    for (const auto& [key, count] : requests_) {
        out += "tnohaku_http_requests_total{route=\"" + key.first + "\",status=\"" +
               std::to_string(key.second) + "\"} " + std::to_string(count) + "\n";
    }
    Header(out, "tnohaku_http_request_duration_seconds", "histogram",
           "Time to answer a request, by route.");
    for (const auto& [route, latency] : latency_) {
        uint64_t cumulative = 0;
        for (size_t i = 0; i < kBuckets.size(); ++i) {
            cumulative += latency.buckets[i];
            out += "tnohaku_http_request_duration_seconds_bucket{route=\"" + route + "\",le=\"" +
                   FormatDouble(kBuckets[i]) + "\"} " + std::to_string(cumulative) + "\n";
        }
        out += "tnohaku_http_request_duration_seconds_bucket{route=\"" + route +
               "\",le=\"+Inf\"} " + std::to_string(latency.count) + "\n";
        out += "tnohaku_http_request_duration_seconds_sum{route=\"" + route + "\"} " +
               FormatDouble(latency.sum) + "\n";
        out += "tnohaku_http_request_duration_seconds_count{route=\"" + route + "\"} " +
               std::to_string(latency.count) + "\n";
    }
    Header(out, "tnohaku_search_zero_results_total", "counter", "Searches that found no record.");
    out += "tnohaku_search_zero_results_total " + std::to_string(zero_results_.load()) + "\n";
    Header(out, "tnohaku_search_result_cache_hits_total", "counter",
           "Searches answered from the result cache.");
    out += "tnohaku_search_result_cache_hits_total " + std::to_string(cache_hits_.load()) + "\n";
    Header(out, "tnohaku_searcher_borrow_timeouts_total", "counter",
           "Requests answered 503 because every searcher stayed busy.");
    out +=
        "tnohaku_searcher_borrow_timeouts_total " + std::to_string(borrow_timeouts_.load()) + "\n";
    Header(out, "tnohaku_index_generation", "gauge", "The newest index generation served.");
    out += "tnohaku_index_generation " + std::to_string(generation_.load()) + "\n";
    Header(out, "tnohaku_index_documents", "gauge", "Records in the index being served.");
    out += "tnohaku_index_documents " + std::to_string(documents_.load()) + "\n";
    return out;
}

}  // namespace tnohaku::server
