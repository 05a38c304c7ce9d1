// The one file of tnohaku that includes <httplib.h>.
#include "server/http_server.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include <sys/socket.h>

#include <httplib.h>

namespace tnohaku::server {

namespace {

constexpr time_t kTimeoutSeconds = 5;
constexpr size_t kMaxBodyBytes = 4096;
constexpr size_t kKeepAliveMaxRequests = 1000;
// httplib listens with a backlog of 5: a burst of new connections (64 clients starting at
// once) overflows it and the kernel drops their SYNs, which clients retry only after 1 s.
// Calling listen(2) again on the bound socket raises it (capped by net.core.somaxconn).
constexpr int kListenBacklog = 1024;

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

// The Api compresses bodies itself (server/content_coding.h); httplib would compress them
// again, by the request's Accept-Encoding, at brotli's slowest quality. Without the header
// it sends them as they are. The request is httplib's own object for this exchange, handed
// to the hook as const; nothing after the hook reads the header but the compression.
// Called after ToApiRequest has copied the headers.
void KeepHttplibFromCompressing(const httplib::Request& req) {
    const_cast<httplib::Request&>(req).headers.erase("Accept-Encoding");
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

// The threads of one lane of BoundedTaskQueue and its queue: room for as many jobs as
// there are threads plus `max_waiting` (counted from enqueue to the job's end, so that a
// burst of connections does not overflow before the threads wake up).
struct Lane {
    std::deque<std::function<void()>> jobs;  // not started yet
    size_t running = 0;
    size_t max_waiting = 0;
    std::vector<std::thread> threads;
    bool has_room() const { return jobs.size() + running < threads.size() + max_waiting; }
};

// httplib's TaskQueue with a bounded backlog. An accepted connection waits in the worker
// lane when there is room; else in the shedding lane, whose threads answer 503 (the
// pre-routing hook asks IsShedding); with both full, enqueue (httplib's accept loop)
// waits for room, so that new connections wait in the kernel's listen backlog.
class BoundedTaskQueue : public httplib::TaskQueue {
  public:
    BoundedTaskQueue(size_t workers, size_t max_queued) {
        work_.max_waiting = max_queued;
        shed_.max_waiting = kShedQueue;
        for (size_t i = 0; i < workers; ++i) work_.threads.emplace_back([this] { Serve(work_); });
        for (size_t i = 0; i < kShedThreads; ++i) {
            shed_.threads.emplace_back([this] { Serve(shed_); });
            shed_ids_.push_back(shed_.threads.back().get_id());
        }
    }
    ~BoundedTaskQueue() override { shutdown(); }

    void enqueue(std::function<void()> fn) override {
        std::unique_lock lock(mutex_);
        room_.wait(lock, [this] { return stopping_ || work_.has_room() || shed_.has_room(); });
        if (stopping_) {  // not reached: httplib stops accepting before it shuts us down
            lock.unlock();
            fn();  // closes the socket at once (the server is stopping)
            return;
        }
        (work_.has_room() ? work_ : shed_).jobs.push_back(std::move(fn));
        ready_.notify_all();
    }

    void shutdown() override {
        {
            std::lock_guard lock(mutex_);
            if (stopping_) return;
            stopping_ = true;
        }
        ready_.notify_all();
        room_.notify_all();
        for (Lane* lane : {&work_, &shed_}) {
            for (std::thread& thread : lane->threads) thread.join();
        }
    }

    // Whether the calling thread is a shedding thread (its requests get 503).
    bool IsShedding() const {
        auto id = std::this_thread::get_id();
        for (const auto& shed_id : shed_ids_)
            if (shed_id == id) return true;
        return false;
    }

  private:
    // Runs the lane's jobs until shutdown, finishing those already queued.
    void Serve(Lane& lane) {
        for (;;) {
            std::function<void()> job;
            {
                std::unique_lock lock(mutex_);
                ready_.wait(lock, [&] { return stopping_ || !lane.jobs.empty(); });
                if (lane.jobs.empty()) return;  // stopping, nothing left
                job = std::move(lane.jobs.front());
                lane.jobs.pop_front();
                ++lane.running;
            }
            job();
            {
                std::lock_guard lock(mutex_);
                --lane.running;
            }
            room_.notify_one();
        }
    }

    std::mutex mutex_;
    std::condition_variable ready_, room_;
    Lane work_, shed_;
    std::vector<std::thread::id> shed_ids_;  // set before any job runs, then read-only
    bool stopping_ = false;
};

}  // namespace

struct HttpServer::Impl {
    Api& api;
    HttpServerOptions options;
    httplib::Server server;
    std::atomic<bool> stop_requested{false};
    std::atomic<bool> finished{false};
    // The queue of the running listen (httplib owns and deletes it when listening ends;
    // requests are only handled while it exists).
    std::atomic<BoundedTaskQueue*> queue{nullptr};
    socket_t listen_socket = INVALID_SOCKET;  // the last socket httplib tried to bind

    Impl(Api& a, HttpServerOptions o) : api(a), options(std::move(o)) {}
    void Configure();
};

void HttpServer::Impl::Configure() {
    server.new_task_queue = [this] {
        auto* created = new BoundedTaskQueue(options.threads, options.queue);
        queue.store(created);
        return created;
    };
    server.set_tcp_nodelay(true);
    // httplib's default sets SO_REUSEPORT, which lets a second server bind the same port and
    // silently share its connections. SO_REUSEADDR alone still allows a quick restart.
    server.set_socket_options([this](socket_t sock) {
        int yes = 1;
        setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
        listen_socket = sock;
    });
    server.set_read_timeout(kTimeoutSeconds, 0);
    server.set_write_timeout(kTimeoutSeconds, 0);
    server.set_keep_alive_timeout(kTimeoutSeconds);
    server.set_keep_alive_max_count(kKeepAliveMaxRequests);
    server.set_payload_max_length(kMaxBodyBytes);
    server.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
        ApiRequest request = ToApiRequest(req);
        KeepHttplibFromCompressing(req);
        BoundedTaskQueue* running = queue.load();
        if (running && running->IsShedding()) {
            FromApiResponse(api.Shed(request), res);
            return httplib::Server::HandlerResponse::Handled;
        }
        FromApiResponse(api.Handle(request), res);
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
    int port = o.port;
    if (o.port == 0) {
        port = impl_->server.bind_to_any_port(o.host);
        if (port <= 0) return Status::IoError("cannot listen on " + o.host + " (any port)");
    } else if (!impl_->server.bind_to_port(o.host, o.port)) {
        return Status::IoError("cannot listen on " + o.host + ":" + std::to_string(o.port) +
                               " (in use, or not an address of this machine)");
    }
    if (::listen(impl_->listen_socket, kListenBacklog) != 0)
        return Status::IoError("cannot raise the listen backlog of " + o.host);
    return port;
}

Status HttpServer::Run() {
    bool ok = true;
    if (!impl_->stop_requested.load()) ok = impl_->server.listen_after_bind();
    impl_->queue.store(nullptr);  // deleted by httplib
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
