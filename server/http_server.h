// HttpServer: the HTTP transport, and the ONLY place in tnohaku that uses cpp-httplib.
//
// Every request goes through httplib's pre-routing hook into Api::Handle (server/routes.h)
// as a plain ApiRequest; httplib's own routing is not used. httplib answers by itself only
// what never reaches the Api (malformed request lines, oversized headers or bodies); those
// errors get the API's JSON error body too.
//
// Settings: TCP_NODELAY (else every response waits ~40 ms for a delayed ACK), 5 s read and
// write timeouts, 5 s keep-alive (at most 1000 requests per connection), 4 KiB maximum
// body (the API has only GET), a pool of `threads` workers (httplib keeps one per open
// connection) with a bounded queue (httplib's own ThreadPool queues without bound). Bodies
// come compressed from the Api (server/content_coding.h); httplib's own compression is
// kept out of it (it would pick brotli at its slowest quality).
//
// Thread safety: Stop() may be called from any thread (a signal-handling thread); the
// other methods from the thread that owns the server.
#pragma once

#include <memory>
#include <string>

#include "core/status.h"
#include "server/routes.h"

namespace tnohaku::server {

struct HttpServerOptions {
    std::string host = "127.0.0.1";
    int port = 8080;  // 0: any free port
    size_t threads = 64;
    // Accepted connections waiting for a worker. Beyond that, a connection goes to one of
    // kShedThreads shedding threads, which answer its request 503 (Api::Shed) and close
    // it; with those busy too, accepting pauses (the kernel's listen backlog waits).
    size_t queue = 256;
};
inline constexpr size_t kShedThreads = 2;
inline constexpr size_t kShedQueue = 64;  // connections waiting for a shedding thread

class HttpServer {
  public:
    // `api` must outlive the server.
    HttpServer(Api& api, HttpServerOptions options);
    ~HttpServer();
    HttpServer(const HttpServer&) = delete;
    HttpServer& operator=(const HttpServer&) = delete;

    // Binds the listening socket; returns the port (the chosen one when options.port is 0).
    Result<int> Bind();
    // Serves until Stop(); returns once the requests in flight are answered.
    Status Run();
    // Stops accepting connections and makes Run() return; waits until it has (or until
    // Run() is known not to start). Safe to call more than once.
    void Stop();

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace tnohaku::server
