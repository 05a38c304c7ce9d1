// AccessLog: one line per request (on stderr in the server), and ZeroResultLog: the
// searches that found nothing, for regional coordinators.
//
// Privacy: an access log line holds the time, method, route name, status and duration;
// never the client's address, and the request target (query text, coordinates) only
// when the operator asks for it with --log-queries. The zero-result log holds the query
// text and filters of searches that found nothing: no address, no coordinates, no time
// finer than the second.
//
// Thread safety: Write may be called from any thread; lines never interleave.
#pragma once

#include <cstdio>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "core/search.h"
#include "core/status.h"

namespace tnohaku::server {

struct AccessLogOptions {
    bool json = false;         // JSON lines instead of plain text
    bool log_queries = false;  // add the request target (path and query string)
};

struct AccessEntry {
    std::string_view method;
    std::string_view route;
    int status = 0;
    double ms = 0;
    std::string_view target;  // path?query; written only with log_queries
};

class AccessLog {
  public:
    // `out` is not owned (stderr in the server, a temporary file in tests).
    AccessLog(std::FILE* out, AccessLogOptions options) : out_(out), options_(options) {}
    void Write(const AccessEntry& entry);
    // The line Write would write, without the newline.
    std::string Format(const AccessEntry& entry) const;

  private:
    std::FILE* out_;
    AccessLogOptions options_;
    std::mutex mutex_;
};

class ZeroResultLog {
  public:
    // Opens the file for appending (created when missing).
    static Result<std::unique_ptr<ZeroResultLog>> Open(const std::string& path);
    ~ZeroResultLog();
    ZeroResultLog(const ZeroResultLog&) = delete;
    ZeroResultLog& operator=(const ZeroResultLog&) = delete;

    // Appends {"time", "q", "lang", "filters": {...}, "national", "active_on", "status"}.
    void Write(const SearchRequest& request);
    static std::string Format(const SearchRequest& request, std::string_view time);

  private:
    explicit ZeroResultLog(std::FILE* file) : file_(file) {}
    std::FILE* file_;
    std::mutex mutex_;
};

}  // namespace tnohaku::server
