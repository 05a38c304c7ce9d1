// Replication with Xapian's own tools on 127.0.0.1: tnohaku-index --changesets writes
// changesets, xapian-replicate-server serves the index folder's generations, and
// xapian-replicate keeps a replica in step; a server on the replica sees each revision.
#include <doctest/doctest.h>

#include <chrono>
#include <thread>

#include "cluster/cluster_support.h"
#include "server/server_process.h"
#include "test_support.h"

namespace tnohaku {
namespace {

using testing::BinaryPath;

int Index(const std::vector<std::string>& args, const std::string& log) {
    std::vector<std::string> all{BinaryPath("indexer/tnohaku-index"), "--changesets", "10",
                                 "--quiet"};
    all.insert(all.end(), args.begin(), args.end());
    return testing::RunProgram(all, log);
}

// GET path on the server until its status line has `status` (up to 10 s).
bool AnswersWithin(int port, const std::string& path, const std::string& status) {
    const std::string request =
        "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < deadline) {
        if (testing::RawHttp(port, request).rfind("HTTP/1.1 " + status, 0) == 0) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
}

TEST_CASE("a replica catches up after an update, by changesets, and its server sees it") {
    testing::TempDir tmp;
    const std::string jsonl = tmp / "records.jsonl";
    testing::WriteFile(jsonl, testing::kServerFixtureJsonl);
    const std::string master = tmp / "master", replica = tmp / "replica";
    const std::string log = tmp / "programs.log";
    REQUIRE(Index({"--db", master, jsonl}, log) == 0);

    const int port = testing::FreePort();
    testing::PortServer replicate_server;
    REQUIRE(replicate_server.Start({"/usr/bin/xapian-replicate-server", "--interface", "127.0.0.1",
                                    "--port", std::to_string(port), master},
                                   port, log));
    const std::string replicate_log = tmp / "replicate.log";
    auto replicate = [&] {
        testing::WriteFile(replicate_log, "");
        return testing::RunProgram(
            {"/usr/bin/xapian-replicate", "-v", "-o", "-r", "0", "-h", "127.0.0.1", "-p",
             std::to_string(port), "-m", "gen-000001", replica},
            replicate_log);
    };
    REQUIRE_MESSAGE(replicate() == 0, testing::ReadFile(replicate_log));

    testing::ServerProcess server(replica, tmp / "server.log");
    REQUIRE_MESSAGE(server.started(), server.Log());
    CHECK(AnswersWithin(server.port(), "/v1/records/kempele-hanke", "200"));
    CHECK(AnswersWithin(server.port(), "/v1/records/paattynyt-hanke", "200"));

    REQUIRE(Index({"--db", master, "--delete", "paattynyt-hanke"}, log) == 0);
    REQUIRE_MESSAGE(replicate() == 0, testing::ReadFile(replicate_log));
    // The update travelled as a changeset, not as a copy of the database.
    const std::string said = testing::ReadFile(replicate_log);
    CHECK_MESSAGE(said.find("0 copies, 1 changesets") != std::string::npos, said);
    CHECK(AnswersWithin(server.port(), "/v1/records/paattynyt-hanke", "404"));
    CHECK(AnswersWithin(server.port(), "/v1/records/kempele-hanke", "200"));
}

}  // namespace
}  // namespace tnohaku
