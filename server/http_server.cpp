// The one file of tnohaku that includes <httplib.h>.
#include "server/http_server.h"

#include <atomic>
#include <chrono>
#include <exception>
#include <thread>

#include <sys/socket.h>

#include <httplib.h>

namespace tnohaku::server {

namespace {

constexpr time_t kTimeoutSeconds = 5;
constexpr size_t kMaxBodyBytes = 4096;
constexpr size_t kKeepAliveMaxRequests = 1000;

ApiRequest ToApiRequest(const httplib::Request& req) {
    ApiRequest request;
    request.method = req.method;
    request.path = req.path;
    request.params.insert(req.params.begin(), req.params.end());
    request.headers.assign(req.headers.begin(), req.headers.end());
    return request;
}

void FromApiResponse(ApiResponse response, httplib::Response& res) {
    res.status = response.status;
    for (auto& [name, value] : response.headers) res.set_header(name, value);
    if (!response.content_type.empty() && response.status != 204 && response.status != 304) {
        res.set_content(std::move(response.body), response.content_type);
    }
}

std::string TransportErrorMessage(int status) {
    switch (status) {
        case 400:
            return "malformed HTTP request";
        case 413:
            return "request body too large (the API takes GET requests only)";
        case 414:
            return "request URI too long";
        default:
            return "the HTTP request was rejected (status " + std::to_string(status) + ")";
    }
}

}  // namespace

struct HttpServer::Impl {
    Api& api;
    HttpServerOptions options;
    httplib::Server server;
    std::atomic<bool> stop_requested{false};
    std::atomic<bool> finished{false};

    Impl(Api& a, HttpServerOptions o) : api(a), options(std::move(o)) {}
    void Configure();
};

void HttpServer::Impl::Configure() {
    size_t threads = options.threads;
    server.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
    server.set_tcp_nodelay(true);
    // httplib's default sets SO_REUSEPORT, which lets a second server bind the same port and
    // silently share its connections. SO_REUSEADDR alone still allows a quick restart.
    server.set_socket_options([](socket_t sock) {
        int yes = 1;
        setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    });
    server.set_read_timeout(kTimeoutSeconds, 0);
    server.set_write_timeout(kTimeoutSeconds, 0);
    server.set_keep_alive_timeout(kTimeoutSeconds);
    server.set_keep_alive_max_count(kKeepAliveMaxRequests);
    server.set_payload_max_length(kMaxBodyBytes);
    server.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
        FromApiResponse(api.Handle(ToApiRequest(req)), res);
        return httplib::Server::HandlerResponse::Handled;
    });
    // Errors httplib raises by itself (bad request line, 413, 414, ...): the API's JSON body.
    server.set_error_handler(
        httplib::Server::HandlerWithResponse([](const httplib::Request&, httplib::Response& res) {
            if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
            FromApiResponse(
                ErrorResponse(res.status, "http_error", TransportErrorMessage(res.status)), res);
            return httplib::Server::HandlerResponse::Handled;
        }));
    server.set_exception_handler(
        [](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
            FromApiResponse(ErrorResponse(Status::Internal("unexpected error")), res);
        });
}

HttpServer::HttpServer(Api& api, HttpServerOptions options)
    : impl_(std::make_unique<Impl>(api, std::move(options))) {
    impl_->Configure();
}

HttpServer::~HttpServer() = default;

Result<int> HttpServer::Bind() {
    const HttpServerOptions& o = impl_->options;
    if (o.port == 0) {
        int port = impl_->server.bind_to_any_port(o.host);
        if (port <= 0) return Status::IoError("cannot listen on " + o.host + " (any port)");
        return port;
    }
    if (!impl_->server.bind_to_port(o.host, o.port)) {
        return Status::IoError("cannot listen on " + o.host + ":" + std::to_string(o.port) +
                               " (in use, or not an address of this machine)");
    }
    return o.port;
}

Status HttpServer::Run() {
    bool ok = true;
    if (!impl_->stop_requested.load()) ok = impl_->server.listen_after_bind();
    impl_->finished.store(true);
    return ok ? Status::Ok() : Status::IoError("the listening socket failed");
}

void HttpServer::Stop() {
    impl_->stop_requested.store(true);
    // Run() may be between its check and the start of listening: keep stopping until it
    // has returned.
    while (!impl_->finished.load()) {
        if (impl_->server.is_running()) impl_->server.stop();
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
}

}  // namespace tnohaku::server
