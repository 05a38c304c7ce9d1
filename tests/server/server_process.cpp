#include "server/server_process.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fcntl.h>
#include <chrono>
#include <regex>
#include <thread>

#include "test_support.h"

extern char** environ;

namespace tnohaku::testing {

const char* const kServerFixtureJsonl =
    R"jsonl({"id":"ohjaamo-oulu","type":"service","name":{"fi":"Ohjaamo Oulu <nuoret> & ohjaus","sv":"Navigatorn Uleåborg","en":"Ohjaamo Oulu guidance"},"summary":{"fi":"Nuorten \"maksuton\" ohjaus & neuvonta <b>Oulussa</b>.","en":"Free guidance for young people."},"organisations":[{"id":"oulun-kaupunki","name":"Oulun kaupunki & <seutu>","role":"provider"}],"area":{"municipalities":["564"]},"target_groups":["youth"],"themes":["career-guidance"],"channels":["face-to-face","online"],"service_languages":["fi","en"],"period":{"start":"2015"},"locations":[{"name":"Ohjaamo","address":"Torikatu 10","postal_code":"90100","municipality":"564","lat":65.0129,"lon":25.4713}],"contact":{"url":"https://example.org/ohjaamo?a=1&b=2"},"updated":"2024-05-01"}
{"id":"kempele-hanke","type":"project","name":{"fi":"Kempeleen työllisyyshanke"},"summary":{"fi":"Työnhakijoiden valmennus Kempeleessä."},"organisations":[{"id":"kempeleen-kunta","name":"Kempeleen kunta","role":"coordinator"}],"area":{"municipalities":["244"]},"target_groups":["unemployed"],"themes":["job-search"],"channels":["face-to-face"],"funding":["esr-plus"],"period":{"start":"2023-01","end":"2099-12"},"locations":[{"name":"Kunnantalo","municipality":"244","lat":64.9159,"lon":25.5072}],"updated":"2024-01-15"}
{"id":"valtakunnallinen-chat","type":"service","name":{"fi":"Valtakunnallinen ohjauschat","sv":"Nationell vägledningschatt"},"summary":{"fi":"Ohjausta chatissa koko Suomessa.","sv":"Vägledning i chatten i hela Finland."},"area":{"national":true},"target_groups":["youth"],"themes":["study-guidance"],"channels":["chat","online"],"service_languages":["fi","sv"],"updated":"2023-06-01"}
{"id":"helsinki-ura","type":"service","name":{"fi":"Urapalvelu Helsinki","en":"Career service Helsinki"},"summary":{"fi":"Uraohjausta aikuisille Helsingissä."},"organisations":[{"id":"helsingin-kaupunki","name":"Helsingin kaupunki","role":"provider"}],"area":{"municipalities":["091"]},"target_groups":["employed-adults"],"themes":["career-guidance"],"channels":["face-to-face"],"locations":[{"name":"Urapiste","municipality":"091","lat":60.1699,"lon":24.9384}]}
{"id":"paattynyt-hanke","type":"project","name":{"fi":"Päättynyt ohjaushanke"},"summary":{"fi":"Uudenmaan ohjauksen kehittämishanke."},"area":{"regions":["01"]},"target_groups":["guidance-staff"],"themes":["guidance-development"],"funding":["esr"],"period":{"start":"2019","end":"2020"}}
)jsonl";

pid_t Spawn(const std::vector<std::string>& args, const std::string& log_path,
            bool own_process_group) {
    posix_spawnattr_t attributes;
    posix_spawnattr_init(&attributes);
    if (own_process_group) {
        posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP);
        posix_spawnattr_setpgroup(&attributes, 0);
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND,
                                     0644);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    std::vector<char*> argv;
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    pid_t pid = -1;
    if (posix_spawn(&pid, argv[0], &actions, &attributes, argv.data(), environ) != 0) pid = -1;
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
    return pid;
}

// Waits for a child up to `timeout`; its exit code, 128+N when killed by signal N, or -1
// when it is still running.
int WaitFor(pid_t pid, std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        int status = 0;
        pid_t done = waitpid(pid, &status, WNOHANG);
        if (done == pid) return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        if (done < 0 || std::chrono::steady_clock::now() > deadline) return -1;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
}

int RunIndexer(const std::string& db, const std::string& jsonl_path, std::string* log,
               const std::vector<std::string>& flags) {
    TempDir tmp;
    std::string log_path = tmp / "indexer.log";
    std::vector<std::string> argv = {BinaryPath("indexer/tnohaku-index"), "--db", db};
    argv.insert(argv.end(), flags.begin(), flags.end());
    argv.push_back(jsonl_path);
    pid_t pid = Spawn(argv, log_path);
    if (pid < 0) return -1;
    int code = WaitFor(pid, std::chrono::seconds(120));
    if (log) *log = ReadFile(log_path);
    return code;
}

std::string BuildFixtureIndex(const std::string& dir) {
    std::string jsonl = dir + "/records.jsonl";
    WriteFile(jsonl, kServerFixtureJsonl);
    std::string db = dir + "/idx";
    RunIndexer(db, jsonl);
    return db;
}

ServerProcess::ServerProcess(const std::string& db, const std::string& log_path,
                             const std::vector<std::string>& extra)
    : log_path_(log_path) {
    std::vector<std::string> args = {BinaryPath("server/tnohaku-server"),
                                     "--db",
                                     db,
                                     "--host",
                                     "127.0.0.1",
                                     "--port",
                                     "0",
                                     "--searchers",
                                     "2"};
    args.insert(args.end(), extra.begin(), extra.end());
    pid_ = Spawn(args, log_path);
    if (pid_ < 0) return;
    static const std::regex kListening("listening on http://127\\.0\\.0\\.1:([0-9]+)");
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < deadline) {
        std::smatch m;
        std::string log = ReadFile(log_path);
        if (std::regex_search(log, m, kListening)) {
            port_ = std::stoi(m[1].str());
            return;
        }
        int status = 0;
        if (waitpid(pid_, &status, WNOHANG) == pid_) {  // exited before listening
            early_exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
            pid_ = -1;
            return;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
}

ServerProcess::~ServerProcess() {
    if (pid_ > 0) Stop();
}

int ServerProcess::Stop() {
    if (pid_ <= 0) return -1;
    kill(pid_, SIGTERM);
    int code = WaitFor(pid_, std::chrono::seconds(20));
    if (code == -1) {
        kill(pid_, SIGKILL);
        WaitFor(pid_, std::chrono::seconds(5));
    }
    pid_ = -1;
    port_ = 0;
    return code;
}

std::string ServerProcess::Log() const {
    return ReadFile(log_path_);
}

std::string RawHttp(int port, const std::string& request, int timeout_seconds) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return {};
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    timeval timeout{timeout_seconds, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    std::string answer;
    if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
        send(fd, request.data(), request.size(), MSG_NOSIGNAL) ==
            static_cast<ssize_t>(request.size())) {
        char buffer[4096];
        ssize_t n;
        while ((n = recv(fd, buffer, sizeof buffer, 0)) > 0)
            answer.append(buffer, static_cast<size_t>(n));
    }
    close(fd);
    return answer;
}

}  // namespace tnohaku::testing
