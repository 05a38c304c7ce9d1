// Helpers of the reliability tests: the real tnohaku-index started and killed at will,
// the shipped corpus as one input file, a server's peak memory, and request loops that
// count every answer.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace tnohaku::testing {

// corpus/seeds.jsonl and corpus/ptv.jsonl (the shipped corpus) in one file at `path`.
void WriteShippedCorpus(const std::string& path);

// tnohaku-index --db `db` `jsonl` started in the background, stdout and stderr in
// `log_path`. The process is killed (SIGKILL) if still running when the object goes.
class IndexerProcess {
  public:
    IndexerProcess(const std::string& db, const std::string& jsonl, const std::string& log_path);
    ~IndexerProcess();
    IndexerProcess(const IndexerProcess&) = delete;
    IndexerProcess& operator=(const IndexerProcess&) = delete;

    bool started() const { return pid_ > 0; }
    // SIGKILL and reap; true when it was still running (so the kill interrupted it).
    bool Kill();
    // Waits up to `timeout`; the exit code, 128+N when killed by signal N, -1 on timeout.
    int Wait(std::chrono::seconds timeout);

  private:
    pid_t pid_ = -1;
};

// VmHWM (peak resident memory) of a running process in KiB; nullopt when unreadable.
std::optional<long> PeakResidentKib(pid_t pid);

// What request loops saw: counts by HTTP status (0 = no answer) and the first few
// answers that were not what the request expected.
class AnswerLog {
  public:
    void Record(int status, bool expected, const std::string& what);
    std::map<int, uint64_t> by_status() const;
    uint64_t total() const;
    uint64_t unexpected() const;
    // Up to 20 descriptions of unexpected answers.
    std::vector<std::string> unexpected_examples() const;

  private:
    mutable std::mutex mutex_;
    std::map<int, uint64_t> by_status_;
    uint64_t unexpected_ = 0;
    std::vector<std::string> examples_;
};

// `count` threads that each call `request(thread index, iteration)` until Stop() (or the
// object goes away).
class RequestLoops {
  public:
    RequestLoops(int count, std::function<void(int, uint64_t)> request);
    ~RequestLoops();
    RequestLoops(const RequestLoops&) = delete;
    RequestLoops& operator=(const RequestLoops&) = delete;
    void Stop();

  private:
    std::atomic<bool> stop_{false};
    std::vector<std::thread> threads_;
};

}  // namespace tnohaku::testing
