// The command line of tnohaku-server: flags → ServerOptions, and the --help text.
//
// Thread safety: functions of their arguments only.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "core/status.h"

namespace tnohaku::server {

// Exit codes of tnohaku-server.
inline constexpr int kExitOk = 0;       // served and stopped on SIGTERM/SIGINT, or --help
inline constexpr int kExitFailure = 1;  // the index, the port or a log file could not be opened
inline constexpr int kExitUsage = 2;    // bad flags

// cpp-httplib 0.11.4 (Debian's) waits on sockets with select(2) and answers 500 on a
// socket numbered 1024 or above: the connections the server holds (--threads + --queue +
// the shedding lane's 66) stay below this.
inline constexpr size_t kMaxHeldConnections = 900;

struct ServerOptions {
    // --db LIST, required: an index folder (CURRENT + gen-*), a shard set folder, or a
    // comma-separated list of parts with tcp://HOST:PORT remote shards (core/database_set.h)
    std::string db;
    std::string side;  // --side DIR: the side index of a list of parts (spelling table)
    std::string host = "127.0.0.1";  // --host
    int port = 8080;                 // --port; 0 = a free port, printed when listening
    size_t threads = 64;             // --threads: HTTP worker threads (one per open connection)
    size_t queue = 256;              // --queue: accepted connections waiting for a worker
    size_t searchers = 0;            // --searchers: pooled searchers; 0 = one per core
    size_t result_cache_mb = 32;     // --result-cache-mb: recent results (ApiOptions); 0 = off
    std::string web_dir;             // --web-dir: static files for / (none when empty)
    std::string synonyms;            // --synonyms FILE: query-time synonyms (none when empty)
    std::vector<std::string> cors_origins = {"*"};  // --cors-origins a,b
    bool log_json = false;                          // --log-json
    bool log_queries = false;                       // --log-queries
    std::string zero_result_log;                    // --zero-result-log FILE
    bool help = false;                              // --help
};

// Parses argv (argv[0] is the program). Flags take "--flag VALUE" or "--flag=VALUE".
// kInvalidArgument with a message naming the flag when something is wrong.
Result<ServerOptions> ParseServerOptions(int argc, const char* const* argv);

// The --help text: usage, every flag with its default, the exit codes.
std::string ServerUsage();

}  // namespace tnohaku::server
