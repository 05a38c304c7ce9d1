// Helpers of the shard and replication tests: Xapian's own servers (xapian-tcpsrv,
// xapian-replicate-server) and client (xapian-replicate) run as child processes on
// 127.0.0.1, on free ports, stopped when the objects go away.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace tnohaku::testing {

// A port nothing listens on now (bound to port 0 and released: another process could
// take it in between, which on a test machine does not happen in practice).
int FreePort();
// Whether 127.0.0.1:port accepts connections within `timeout_ms`.
bool WaitForPort(int port, int timeout_ms);

// A child process serving on a port, in a process group of its own (xapian-tcpsrv and
// xapian-replicate-server pass SIGTERM on to their group): started by Start, stopped
// (SIGTERM, then SIGKILL) by Stop or the destructor.
class PortServer {
  public:
    PortServer() = default;
    ~PortServer() { Stop(); }
    PortServer(const PortServer&) = delete;
    PortServer& operator=(const PortServer&) = delete;

    // Runs args (args[0]: the program's path) with its output in `log_path` and waits up to
    // 10 s for `port` to accept connections. False when it did not.
    bool Start(const std::vector<std::string>& args, int port, const std::string& log_path);
    void Stop();
    bool running() const { return pid_ > 0; }

  private:
    pid_t pid_ = -1;
};

// xapian-tcpsrv serving the Xapian database at `path` (a stub file such as an index
// folder's CURRENT works) on 127.0.0.1:port.
bool StartTcpServer(PortServer& server, const std::string& path, int port,
                    const std::string& log_path);

// Runs a program to its end (up to 60 s); its exit code (128+N when killed by signal N).
int RunProgram(const std::vector<std::string>& args, const std::string& log_path);

}  // namespace tnohaku::testing
