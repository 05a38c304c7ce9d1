#include "server/options.h"

#include <charconv>
#include <functional>
#include <map>
#include <string_view>

#include "server/http_server.h"

namespace tnohaku::server {

namespace {

Status ParseCount(std::string_view flag, const std::string& text, size_t min, size_t max,
                  size_t& out) {
    size_t value = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || error != std::errc() || end != text.data() + text.size() || value < min ||
        value > max) {
        return Status::InvalidArgument(std::string(flag) + ": expected a whole number from " +
                                       std::to_string(min) + " to " + std::to_string(max) +
                                       ", got '" + text + "'");
    }
    out = value;
    return Status::Ok();
}

std::vector<std::string> SplitList(const std::string& text) {
    std::vector<std::string> out;
    size_t start = 0;
    while (start <= text.size()) {
        size_t comma = text.find(',', start);
        if (comma == std::string::npos) comma = text.size();
        std::string item = text.substr(start, comma - start);
        while (!item.empty() && item.front() == ' ') item.erase(0, 1);
        while (!item.empty() && item.back() == ' ') item.pop_back();
        if (!item.empty()) out.push_back(item);
        start = comma + 1;
    }
    return out;
}

using ValueSetter = std::function<Status(ServerOptions&, const std::string&)>;

const std::map<std::string, ValueSetter, std::less<>>& ValueFlags() {
    static const std::map<std::string, ValueSetter, std::less<>> flags = {
        {"--db",
         [](ServerOptions& o, const std::string& v) {
             o.db = v;
             return Status::Ok();
         }},
        {"--side",
         [](ServerOptions& o, const std::string& v) {
             o.side = v;
             return Status::Ok();
         }},
        {"--host",
         [](ServerOptions& o, const std::string& v) {
             o.host = v;
             return Status::Ok();
         }},
        {"--port",
         [](ServerOptions& o, const std::string& v) {
             size_t port = 0;
             TRY_STATUS(ParseCount("--port", v, 0, 65535, port));
             o.port = static_cast<int>(port);
             return Status::Ok();
         }},
        {"--threads",
         [](ServerOptions& o, const std::string& v) {
             return ParseCount("--threads", v, 1, 834, o.threads);
         }},
        {"--queue", [](ServerOptions& o,
                       const std::string& v) { return ParseCount("--queue", v, 1, 833, o.queue); }},
        {"--searchers",
         [](ServerOptions& o, const std::string& v) {
             return ParseCount("--searchers", v, 1, 1024, o.searchers);
         }},
        {"--result-cache-mb",
         [](ServerOptions& o, const std::string& v) {
             return ParseCount("--result-cache-mb", v, 0, 4096, o.result_cache_mb);
         }},
        {"--synonyms",
         [](ServerOptions& o, const std::string& v) {
             o.synonyms = v;
             return Status::Ok();
         }},
        {"--web-dir",
         [](ServerOptions& o, const std::string& v) {
             o.web_dir = v;
             return Status::Ok();
         }},
        {"--cors-origins",
         [](ServerOptions& o, const std::string& v) {
             o.cors_origins = SplitList(v);
             if (o.cors_origins.empty())
                 return Status::InvalidArgument("--cors-origins: give * or a list of origins");
             return Status::Ok();
         }},
        {"--zero-result-log",
         [](ServerOptions& o, const std::string& v) {
             o.zero_result_log = v;
             return Status::Ok();
         }},
    };
    return flags;
}

}  // namespace

Result<ServerOptions> ParseServerOptions(int argc, const char* const* argv) {
    ServerOptions options;
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        if (arg == "--help" || arg == "-h") {
            options.help = true;
            continue;
        }
        if (arg == "--log-json") {
            options.log_json = true;
            continue;
        }
        if (arg == "--log-queries") {
            options.log_queries = true;
            continue;
        }
        std::string name = arg, value;
        bool has_value = false;
        if (size_t eq = arg.find('='); arg.rfind("--", 0) == 0 && eq != std::string::npos) {
            name = arg.substr(0, eq);
            value = arg.substr(eq + 1);
            has_value = true;
        }
        auto flag = ValueFlags().find(name);
        if (flag == ValueFlags().end())
            return Status::InvalidArgument("unknown argument '" + arg + "'");
        if (!has_value) {
            if (i + 1 >= argc) return Status::InvalidArgument(name + ": missing value");
            value = argv[++i];
        }
        TRY_STATUS(flag->second(options, value));
    }
    if (!options.help && options.db.empty()) return Status::InvalidArgument("--db DIR is required");
    constexpr size_t kShedLane = kShedThreads + kShedQueue;
    if (options.threads + options.queue + kShedLane > kMaxHeldConnections) {
        return Status::InvalidArgument("--threads + --queue: at most " +
                                       std::to_string(kMaxHeldConnections - kShedLane) +
                                       " together (cpp-httplib's select(2) limit)");
    }
    return options;
}

std::string ServerUsage() {
    return R"(Usage: tnohaku-server --db DIR|LIST [--side DIR] [flags]

Serves a tnohaku index over HTTP: the JSON API under /v1 (see /openapi.json), /health,
/ready, /metrics and, with --web-dir, the search page.

Flags:
  --db DIR               the index folder written by tnohaku-index (required), or a
                         shard set folder (tnohaku-index --shards N), or a list of
                         parts separated by commas: index folders, Xapian databases
                         (e.g. xapian-replicate replicas) and remote shards
                         tcp://HOST:PORT served by xapian-tcpsrv, searched as one
                         index (a shard down answers 503 until it is back)
  --side DIR             the side index (DIR/side of the shard set): spelling and
                         did-you-mean for a list of several parts (required then,
                         unless the list names the shard set folder itself)
  --host HOST            address to listen on (default 127.0.0.1)
  --port N               port (default 8080; 0 = pick a free port, printed when listening)
  --threads N            HTTP worker threads; each open keep-alive connection holds one
                         (default 64)
  --queue N              accepted connections that may wait for a free worker thread
                         (default 256); beyond that new connections are answered 503
                         and closed by two shedding threads (SECURITY.md)
  --searchers N          searchers shared by the requests (default: one per CPU core);
                         a search waiting over 2 s for one is answered 503
  --result-cache-mb N    memory for recent search results, answered again without
                         searching until the index or the synonyms change (default 32;
                         0 = off)
  --web-dir DIR          serve the page and widget from DIR at / (default: no page)
  --synonyms FILE        synonyms and abbreviations applied to queries, reread when
                         the file changes (schema/synonyms/README.md; default: none)
  --cors-origins LIST    origins allowed to call the API from a browser, comma separated,
                         or * for any (default *)
  --log-json             access log as JSON lines (default: plain text)
  --log-queries          add the request path and query string to the access log (by
                         default it holds no query text, coordinates or client address)
  --zero-result-log FILE append searches that found nothing (query text and filters only)
                         to FILE as JSON lines
  --help                 this text

The access log goes to stderr, one line per request. "listening on http://HOST:PORT" is
printed to stderr when the server is ready. SIGTERM or SIGINT stops it gracefully: no new
connections, requests in flight are answered.

Exit codes: 0 stopped normally (or --help), 1 the index, the port or a file could not be
opened, 2 bad flags.
)";
}

}  // namespace tnohaku::server
