// The real tnohaku-index binary: killed in the middle of a rebuild, run while another
// holds the lock, and its exit codes for usage errors.
#include <signal.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include <doctest/doctest.h>

#include "core/index_store.h"
#include "indexer/indexer_test_support.h"

namespace tnohaku {
namespace {

namespace fs = std::filesystem;
using namespace testing;
using namespace indexer;

const std::string kTiny = SourcePath("tests/fixtures/tiny.jsonl");

uint64_t FolderBytes(const std::string& dir) {
    uint64_t total = 0;
    std::error_code ec;
    for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        if (it->is_regular_file(ec)) total += it->file_size(ec);
    }
    return total;
}

std::vector<std::string> TmpEntries(const std::string& dir) {
    std::vector<std::string> out;
    for (const auto& entry : fs::directory_iterator(dir)) {
        if (entry.path().extension() == ".tmp") out.push_back(entry.path().filename().string());
    }
    return out;
}

TEST_CASE("SIGKILL during a rebuild leaves the served index intact; the next run cleans up") {
    TempDir tmp;
    const std::string db = tmp / "db";
    RunOutput first = RunIndexBinary({"--db", db, kTiny}, tmp);
    REQUIRE_MESSAGE(first.exit_code == kExitOk, first.err);
    const auto before = Documents(db + "/CURRENT");
    REQUIRE(before.size() == 13);
    WriteFile(tmp / "big.jsonl", GenerateRecords(20000));

    pid_t pid =
        SpawnIndexBinary({"--quiet", "--db", db, tmp / "big.jsonl"}, tmp / "killed-output.txt");
    REQUIRE(pid > 0);
    // Wait until it has written a good part of the new generation (about 8 of its 40 MB),
    // or at most twenty seconds.
    const std::string building = db + "/gen-000002.tmp";
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    int status = 0;
    bool exited = false;
    while (std::chrono::steady_clock::now() < deadline) {
        if (::waitpid(pid, &status, WNOHANG) == pid) {
            exited = true;
            break;
        }
        if (fs::exists(building) && FolderBytes(building) > 8 * 1024 * 1024) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    REQUIRE_MESSAGE(!exited, "the indexer finished before it could be killed: "
                                 << ReadFile(tmp / "killed-output.txt"));
    REQUIRE(fs::exists(building));
    ::kill(pid, SIGKILL);
    REQUIRE(::waitpid(pid, &status, 0) == pid);
    CHECK(WIFSIGNALED(status));

    CHECK(ReadFile(db + "/CURRENT") == "auto gen-000001\n");
    CHECK(Documents(db + "/CURRENT") == before);
    CHECK(TmpEntries(db) == std::vector<std::string>{"gen-000002.tmp"});

    RunOutput after = RunIndexBinary({"--db", db, kTiny}, tmp);
    CHECK_MESSAGE(after.exit_code == kExitOk, after.err);
    CHECK(TmpEntries(db).empty());
    CHECK(ReadFile(db + "/CURRENT") == "auto gen-000002\n");
    CHECK(Documents(db + "/CURRENT") == before);
    CHECK(fs::exists(db + "/gen-000001"));  // the previous generation, kept for a grace period
}

TEST_CASE("a full disk discards the new generation and leaves CURRENT alone") {
    TempDir tmp;
    const std::string db = tmp / "db";
    REQUIRE(RunIndexBinary({"-q", "--db", db, kTiny}, tmp).exit_code == kExitOk);
    const auto before = Documents(db + "/CURRENT");
    WriteFile(tmp / "big.jsonl", GenerateRecords(3000));
    // No file may grow beyond 1 MiB: Xapian's writes fail as on a full disk.
    RunOutput run = RunIndexBinary({"-q", "--db", db, tmp / "big.jsonl"}, tmp, 1 << 20);
    CHECK(run.exit_code == kExitFailure);
    CHECK(run.err.find("tnohaku-index: error: ") != std::string::npos);
    CHECK(run.err.find("File too large") != std::string::npos);
    CHECK(ReadFile(db + "/CURRENT") == "auto gen-000001\n");
    CHECK(TmpEntries(db).empty());
    CHECK(Documents(db + "/CURRENT") == before);
}

TEST_CASE("a second indexer on the same folder fails with a clear message") {
    TempDir tmp;
    const std::string db = tmp / "db";
    REQUIRE(RunIndexBinary({"-q", "--db", db, kTiny}, tmp).exit_code == kExitOk);
    auto lock = IndexLock::Acquire(db);
    REQUIRE(lock.ok());
    RunOutput run = RunIndexBinary({"--db", db, kTiny}, tmp);
    CHECK(run.exit_code == kExitFailure);
    CHECK(run.err.find("tnohaku-index: error: another tnohaku-index is writing " + db) !=
          std::string::npos);
    CHECK(ReadFile(db + "/CURRENT") == "auto gen-000001\n");
    CHECK(TmpEntries(db).empty());
}

TEST_CASE("exit codes of the binary: --help 0, unknown flags 1, rejected records 2") {
    TempDir tmp;
    RunOutput help = RunIndexBinary({"--help"}, tmp);
    CHECK(help.exit_code == kExitOk);
    CHECK(help.err.find("--strict") != std::string::npos);
    RunOutput unknown = RunIndexBinary({"--db", tmp / "db", "--colour", kTiny}, tmp);
    CHECK(unknown.exit_code == kExitFailure);
    CHECK(unknown.err.find("unknown option '--colour'") != std::string::npos);
    RunOutput bad = RunIndexBinary(
        {"-q", "--db", tmp / "db", SourcePath("tests/fixtures/bad_records.jsonl")}, tmp);
    CHECK(bad.exit_code == kExitRejected);
    CHECK(bad.err.find("bad_records.jsonl:2: id=kept-json: field '(record)': invalid JSON") !=
          std::string::npos);
}

}  // namespace
}  // namespace tnohaku
