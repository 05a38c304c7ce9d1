#include "reliability/reliability_support.h"

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <fcntl.h>
#include <fstream>
#include <sstream>

#include "test_support.h"

extern char** environ;

namespace tnohaku::testing {

void WriteShippedCorpus(const std::string& path) {
    WriteFile(path, ReadFile(SourcePath("corpus/seeds.jsonl")) +
                        ReadFile(SourcePath("corpus/ptv.jsonl")));
}

IndexerProcess::IndexerProcess(const std::string& db, const std::string& jsonl,
                               const std::string& log_path) {
    std::vector<std::string> args = {BinaryPath("indexer/tnohaku-index"), "-q", "--db", db, jsonl};
    std::vector<char*> argv;
    for (auto& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND,
                                     0644);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    if (posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), environ) != 0) pid_ = -1;
    posix_spawn_file_actions_destroy(&actions);
}

IndexerProcess::~IndexerProcess() {
    if (pid_ > 0) Kill();
}

bool IndexerProcess::Kill() {
    if (pid_ <= 0) return false;
    int status = 0;
    bool running = waitpid(pid_, &status, WNOHANG) == 0;
    if (running) {
        kill(pid_, SIGKILL);
        waitpid(pid_, &status, 0);
    }
    pid_ = -1;
    return running;
}

int IndexerProcess::Wait(std::chrono::seconds timeout) {
    if (pid_ <= 0) return -1;
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        int status = 0;
        if (waitpid(pid_, &status, WNOHANG) == pid_) {
            pid_ = -1;
            return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return -1;
}

std::optional<long> PeakResidentKib(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6));
    }
    return std::nullopt;
}

void AnswerLog::Record(int status, bool expected, const std::string& what) {
    std::lock_guard lock(mutex_);
    ++by_status_[status];
    if (expected) return;
    ++unexpected_;
    if (examples_.size() < 20) examples_.push_back(std::to_string(status) + " for " + what);
}

std::map<int, uint64_t> AnswerLog::by_status() const {
    std::lock_guard lock(mutex_);
    return by_status_;
}

uint64_t AnswerLog::total() const {
    std::lock_guard lock(mutex_);
    uint64_t sum = 0;
    for (const auto& [status, count] : by_status_) sum += count;
    return sum;
}

uint64_t AnswerLog::unexpected() const {
    std::lock_guard lock(mutex_);
    return unexpected_;
}

std::vector<std::string> AnswerLog::unexpected_examples() const {
    std::lock_guard lock(mutex_);
    return examples_;
}

RequestLoops::RequestLoops(int count, std::function<void(int, uint64_t)> request) {
    for (int t = 0; t < count; ++t) {
        threads_.emplace_back([this, t, request] {
            for (uint64_t i = 0; !stop_.load(); ++i) request(t, i);
        });
    }
}

RequestLoops::~RequestLoops() {
    Stop();
}

void RequestLoops::Stop() {
    stop_.store(true);
    for (auto& thread : threads_)
        if (thread.joinable()) thread.join();
}

}  // namespace tnohaku::testing
