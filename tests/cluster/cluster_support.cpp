#include "cluster/cluster_support.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "server/server_process.h"

namespace tnohaku::testing {

namespace {

bool Accepts(int port) {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return false;
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    ::close(fd);
    return ok;
}

}  // namespace

int FreePort() {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    int port = -1;
    if (fd >= 0 && ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
        port = ntohs(addr.sin_port);
    }
    if (fd >= 0) ::close(fd);
    return port;
}

bool WaitForPort(int port, int timeout_ms) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    while (std::chrono::steady_clock::now() < deadline) {
        if (Accepts(port)) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
}

bool PortServer::Start(const std::vector<std::string>& args, int port,
                       const std::string& log_path) {
    Stop();
    pid_ = Spawn(args, log_path, true);
    if (pid_ < 0) return false;
    if (WaitForPort(port, 10000)) return true;
    Stop();
    return false;
}

void PortServer::Stop() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    if (WaitFor(pid_, std::chrono::seconds(5)) < 0) {
        ::kill(pid_, SIGKILL);
        WaitFor(pid_, std::chrono::seconds(5));
    }
    pid_ = -1;
}

bool StartTcpServer(PortServer& server, const std::string& path, int port,
                    const std::string& log_path) {
    return server.Start({"/usr/bin/xapian-tcpsrv", "--interface", "127.0.0.1", "--port",
                         std::to_string(port), path},
                        port, log_path);
}

int RunProgram(const std::vector<std::string>& args, const std::string& log_path) {
    pid_t pid = Spawn(args, log_path);
    if (pid < 0) return -1;
    int code = WaitFor(pid, std::chrono::seconds(60));
    if (code < 0) {
        ::kill(pid, SIGKILL);
        WaitFor(pid, std::chrono::seconds(5));
    }
    return code;
}

}  // namespace tnohaku::testing
