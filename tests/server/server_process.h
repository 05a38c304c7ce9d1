// Helpers of the server's end-to-end tests: a fixture index built by the real indexer, and
// the real tnohaku-server binary started on 127.0.0.1 with --port 0.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

namespace tnohaku::testing {

// Five records made for the server tests: Oulu, Kempele, national, Helsinki and an ended
// project, with HTML-special characters in the Oulu record's texts.
extern const char* const kServerFixtureJsonl;

// Runs tnohaku-index --db `db` [flags...] on `jsonl_path`; returns its exit code (stderr
// is kept in `log` when given).
int RunIndexer(const std::string& db, const std::string& jsonl_path, std::string* log = nullptr,
               const std::vector<std::string>& flags = {});

// Writes kServerFixtureJsonl into `dir`/records.jsonl and indexes it into `dir`/idx.
// Returns the index folder.
std::string BuildFixtureIndex(const std::string& dir);

// Runs a program (args[0] is its path) with stdout and stderr appended to `log_path`;
// returns its pid (-1 when it could not be started). `own_process_group`: for Xapian's
// servers, which on SIGTERM signal their whole process group (their forked children).
pid_t Spawn(const std::vector<std::string>& args, const std::string& log_path,
            bool own_process_group = false);
// Waits for a child up to `timeout`; its exit code, 128+N when killed by signal N, or -1
// when it is still running.
int WaitFor(pid_t pid, std::chrono::milliseconds timeout);

class ServerProcess {
  public:
    // Starts tnohaku-server --db db --host 127.0.0.1 --port 0 plus `extra` flags, with its
    // stderr in `log_path`, and waits (up to 20 s) for "listening on".
    ServerProcess(const std::string& db, const std::string& log_path,
                  const std::vector<std::string>& extra = {});
    // Stops the server (SIGTERM) when still running.
    ~ServerProcess();
    ServerProcess(const ServerProcess&) = delete;
    ServerProcess& operator=(const ServerProcess&) = delete;

    bool started() const { return port_ > 0; }
    int port() const { return port_; }
    pid_t pid() const { return pid_; }
    // The exit code of a server that exited before it listened (128+N when killed by
    // signal N); -1 while it runs or when it started.
    int exit_code_before_listening() const { return early_exit_code_; }
    // SIGTERM, then waits (up to 20 s, then SIGKILL); returns the exit code (-1 when it did
    // not exit by itself, 128+N when killed by signal N).
    int Stop();
    // What the server wrote to stderr so far.
    std::string Log() const;

  private:
    pid_t pid_ = -1;
    int port_ = 0;
    int early_exit_code_ = -1;
    std::string log_path_;
};

// Sends bytes over a new TCP connection to 127.0.0.1:port and returns everything the
// server answers until it closes (for requests a client library would normalise).
// Waits at most `timeout_seconds` for each read.
std::string RawHttp(int port, const std::string& request, int timeout_seconds = 5);

}  // namespace tnohaku::testing
