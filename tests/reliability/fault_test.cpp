// Faults with a real server serving: tnohaku-index killed at random points, a full disk
// during indexing, and a broken or missing index at server start.
#include <sys/mount.h>
#include <unistd.h>
#include <cstdlib>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <random>
#include <thread>

#include <doctest/doctest.h>
#include <httplib.h>
#include <rapidjson/document.h>
#include <xapian.h>

#include "reliability/reliability_support.h"
#include "server/server_process.h"
#include "test_support.h"

namespace tnohaku::testing {
namespace {

namespace fs = std::filesystem;

struct SearchAnswer {
    int status = 0;  // 0: no answer
    uint64_t generation = 0;
    uint64_t total = 0;
};

SearchAnswer Search(httplib::Client& client, const std::string& q) {
    SearchAnswer answer;
    auto r = client.Get("/v1/search", httplib::Params{{"q", q}, {"facets", "none"}}, {});
    if (!r) return answer;
    answer.status = r->status;
    rapidjson::Document doc;
    doc.Parse(r->body.data(), r->body.size());
    if (r->status == 200 && doc.IsObject() && doc.HasMember("generation")) {
        answer.generation = doc["generation"].GetUint64();
        answer.total = doc["total"].GetUint64();
    }
    return answer;
}

// Clients searching without pause; every answer must be a 200 from a generation in
// [oldest, newest]: never one older than what was already served, never one that no
// finished indexer run switched to.
struct SteadyClients {
    AnswerLog answers;
    std::atomic<uint64_t> oldest, newest;
    RequestLoops loops;

    SteadyClients(int port, uint64_t expected_generation)
        : oldest(expected_generation),
          newest(expected_generation),
          loops(4, [this, port](int, uint64_t i) {
              thread_local httplib::Client client("127.0.0.1", port);
              client.set_read_timeout(10, 0);
              // The lower bound is what had been served when the request was sent (an
              // answer under way may be older than what is served when it arrives); the
              // upper bound what a run may have switched to by the time it arrives.
              const uint64_t floor = oldest.load();
              SearchAnswer a = Search(client, i % 2 ? "ohjaus" : "nuorten palvelut");
              const bool expected =
                  a.status == 200 && a.generation >= floor && a.generation <= newest.load();
              answers.Record(a.status, expected,
                             "search (generation " + std::to_string(a.generation) + ")");
          }) {}
};

// The generation DIR/CURRENT names ("auto gen-000007" → 7); 0 when unreadable.
uint64_t CurrentGeneration(const std::string& db) {
    const std::string text = ReadFile(db + "/CURRENT");
    const std::string prefix = "auto gen-";
    if (text.rfind(prefix, 0) != 0) return 0;
    return std::strtoull(text.c_str() + prefix.size(), nullptr, 10);
}

uint64_t WaitForGeneration(httplib::Client& client, uint64_t generation) {
    uint64_t seen = 0;
    for (int attempt = 0; attempt < 200 && seen != generation; ++attempt) {
        seen = Search(client, "ohjaus").generation;
        if (seen != generation) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return seen;
}

constexpr int kIndexerRuns = 6;

// When to kill indexer run `run` of kIndexerRuns: a random point in its own slice of
// 5 %-115 % of `full_run`, so the kills spread from startup over the commits and the
// switch to just after the end, however fast this machine indexes the corpus (fixed
// times missed every run on a fast machine).
std::chrono::microseconds KillDelay(int run, std::chrono::steady_clock::duration full_run,
                                    std::mt19937& random) {
    const double slice = 1.1 / kIndexerRuns;
    std::uniform_real_distribution<double> within(0.0, slice);
    const double fraction = 0.05 + run * slice + within(random);
    return std::chrono::duration_cast<std::chrono::microseconds>(full_run * fraction);
}

TEST_CASE("tnohaku-index killed at random points never harms the served index") {
    TempDir dir;
    WriteShippedCorpus(dir / "corpus.jsonl");
    const std::string db = dir / "db";
    std::string log;
    REQUIRE_MESSAGE(RunIndexer(db, dir / "corpus.jsonl", &log) == 0, log);
    ServerProcess server(db, dir / "server.log");
    REQUIRE_MESSAGE(server.started(), server.Log());
    httplib::Client client("127.0.0.1", server.port());
    client.set_read_timeout(10, 0);
    const SearchAnswer before = Search(client, "ohjaus");
    REQUIRE(before.status == 200);
    REQUIRE(before.generation == 1);

    const unsigned seed = std::random_device{}();
    INFO("kill times from seed " << seed);
    std::mt19937 random(seed);
    int interrupted = 0;
    {
        SteadyClients clients(server.port(), 1);
        // One run to the end, beside the clients as the killed runs will be: how long a
        // full run takes here, and a switch under load.
        clients.newest.store(2);
        const auto start = std::chrono::steady_clock::now();
        IndexerProcess full(db, dir / "corpus.jsonl", dir / "indexer.log");
        REQUIRE(full.started());
        REQUIRE(full.Wait(std::chrono::seconds(120)) == 0);
        const auto full_run = std::chrono::steady_clock::now() - start;
        INFO("a full run beside the clients took "
             << std::chrono::duration<double>(full_run).count() << " s");
        CHECK(WaitForGeneration(client, 2) == 2);
        uint64_t served = 2;
        clients.oldest.store(served);
        for (int run = 0; run < kIndexerRuns; ++run) {
            clients.newest.store(served + 1);  // this run may switch to one new generation
            IndexerProcess indexer(db, dir / "corpus.jsonl", dir / "indexer.log");
            REQUIRE(indexer.started());
            std::this_thread::sleep_for(KillDelay(run, full_run, random));
            const bool killed = indexer.Kill();
            // CURRENT names the previous generation, or the new one when the run had
            // switched to it before the kill (or finished): nothing in between.
            const uint64_t now = CurrentGeneration(db);
            CHECK((now == served || now == served + 1));
            if (killed && now == served) ++interrupted;
            if (now > served) {
                // Answers already under way may still come from the previous generation.
                CHECK(WaitForGeneration(client, now) == now);
                served = now;
            }
            clients.oldest.store(served);
            clients.newest.store(served);
            // The server answers from the old generation (or a completed new one).
            SearchAnswer during = Search(client, "ohjaus");
            CHECK(during.status == 200);
            CHECK(during.total == before.total);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        clients.loops.Stop();
        CHECK(clients.answers.total() > 0);
        CHECK(clients.answers.unexpected() == 0);
        for (const auto& example : clients.answers.unexpected_examples()) MESSAGE(example);
    }
    MESSAGE(interrupted << " of " << kIndexerRuns << " indexer runs killed before they finished");
    CHECK(interrupted > 0);

    // The next run cleans up and succeeds; the server switches to it.
    const uint64_t served = Search(client, "ohjaus").generation;
    REQUIRE_MESSAGE(RunIndexer(db, dir / "corpus.jsonl", &log) == 0, log);
    CHECK(WaitForGeneration(client, served + 1) == served + 1);
    for (const auto& entry : fs::directory_iterator(db)) {
        CHECK(entry.path().extension() != ".tmp");
    }
    CHECK(Search(client, "ohjaus").total == before.total);
    CHECK(server.Stop() == 0);
}

// A tmpfs of `megabytes` mounted at `path` for the life of the object (root only).
class SmallDisk {
  public:
    SmallDisk(const std::string& path, int megabytes) : path_(path) {
        fs::create_directories(path);
        std::string options = "size=" + std::to_string(megabytes) + "m";
        mounted_ = ::mount("tmpfs", path.c_str(), "tmpfs", 0, options.c_str()) == 0;
        if (!mounted_) error_ = std::strerror(errno);
    }
    ~SmallDisk() {
        if (mounted_) ::umount2(path_.c_str(), MNT_DETACH);
    }
    SmallDisk(const SmallDisk&) = delete;
    SmallDisk& operator=(const SmallDisk&) = delete;
    bool mounted() const { return mounted_; }
    const std::string& error() const { return error_; }

  private:
    std::string path_;
    bool mounted_ = false;
    std::string error_;
};

TEST_CASE("a full disk during indexing leaves the old index serving and says why") {
    TempDir dir;
    SmallDisk disk(dir / "disk", 3);  // the fixture's index fits, the corpus's (~5 MB) not
    if (!disk.mounted()) {
        MESSAGE("SKIPPED: cannot mount a tmpfs here (" << disk.error()
                                                       << "); needs root and mount permission");
        return;
    }
    const std::string db = dir / "disk/db";
    WriteFile(dir / "fixture.jsonl", kServerFixtureJsonl);
    std::string log;
    REQUIRE_MESSAGE(RunIndexer(db, dir / "fixture.jsonl", &log) == 0, log);
    ServerProcess server(db, dir / "server.log");
    REQUIRE_MESSAGE(server.started(), server.Log());
    httplib::Client client("127.0.0.1", server.port());
    client.set_read_timeout(10, 0);
    const SearchAnswer before = Search(client, "ohjaus");
    REQUIRE(before.status == 200);

    WriteShippedCorpus(dir / "corpus.jsonl");
    {
        SteadyClients clients(server.port(), before.generation);
        CHECK(RunIndexer(db, dir / "corpus.jsonl", &log) == 1);
        clients.loops.Stop();
        CHECK(clients.answers.unexpected() == 0);
    }
    INFO(log);
    CHECK(log.find("tnohaku-index: error: ") != std::string::npos);
    CHECK(log.find("No space left on device") != std::string::npos);
    CHECK(ReadFile(db + "/CURRENT") == "auto gen-000001\n");
    for (const auto& entry : fs::directory_iterator(db)) {
        CHECK(entry.path().extension() != ".tmp");  // the failed build is gone: space is back
    }
    SearchAnswer after = Search(client, "ohjaus");
    CHECK(after.status == 200);
    CHECK(after.generation == before.generation);
    CHECK(after.total == before.total);
    CHECK(server.Stop() == 0);
}

// Starts a server on `db` and returns what it said; it must exit 1 before listening.
std::string FailedStart(const std::string& db, const std::string& log_path) {
    ServerProcess server(db, log_path);
    CHECK_FALSE(server.started());
    CHECK(server.exit_code_before_listening() == 1);
    return ReadFile(log_path);
}

TEST_CASE("a missing, corrupt or foreign index at start: a clear message and exit code 1") {
    TempDir dir;
    WriteFile(dir / "fixture.jsonl", kServerFixtureJsonl);
    auto fresh_index = [&](const std::string& name) {
        std::string db = dir / name;
        REQUIRE(RunIndexer(db, dir / "fixture.jsonl") == 0);
        return db;
    };
    SUBCASE("missing folder") {
        std::string said = FailedStart(dir / "nothing-here", dir / "missing.log");
        CHECK(said.find("cannot open the index in " + (dir / "nothing-here")) != std::string::npos);
    }
    SUBCASE("an empty CURRENT") {
        std::string db = fresh_index("empty-current");
        WriteFile(db + "/CURRENT", "");
        CHECK(FailedStart(db, dir / "empty.log").find("cannot open the index") !=
              std::string::npos);
    }
    SUBCASE("CURRENT names a generation that was removed") {
        std::string db = fresh_index("removed");
        fs::remove_all(db + "/gen-000001");
        CHECK(FailedStart(db, dir / "removed.log").find("cannot open the index") !=
              std::string::npos);
    }
    SUBCASE("the generation's files are overwritten with garbage") {
        std::string db = fresh_index("garbage");
        for (const auto& entry : fs::directory_iterator(db + "/gen-000001")) {
            WriteFile(entry.path().string(), std::string(4096, '\x5a'));
        }
        CHECK(FailedStart(db, dir / "garbage.log").find("cannot open the index") !=
              std::string::npos);
    }
    SUBCASE("the generation's files are cut short") {
        std::string db = fresh_index("truncated");
        for (const auto& entry : fs::directory_iterator(db + "/gen-000001")) {
            fs::resize_file(entry.path(), fs::file_size(entry.path()) / 3);
        }
        CHECK(FailedStart(db, dir / "truncated.log").find("cannot open the index") !=
              std::string::npos);
    }
    SUBCASE("an index of another format version") {
        std::string db = fresh_index("foreign");
        {
            Xapian::WritableDatabase writable(db + "/gen-000001", Xapian::DB_OPEN);
            writable.set_metadata("tnohaku.format", "99");
            writable.commit();
        }
        CHECK(FailedStart(db, dir / "foreign.log").find("cannot open the index") !=
              std::string::npos);
    }
}

}  // namespace
}  // namespace tnohaku::testing
