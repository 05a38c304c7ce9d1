// tnohaku-index --shards N: every record in the shard of its id (ShardOf), spelling in
// the side index only, --update and --delete reaching the record's shard without
// --shards, and a shard count that would move records refused.
#include <doctest/doctest.h>
#include <xapian.h>

#include <string>

#include "core/shard_set.h"
#include "indexer/indexer_test_support.h"
#include "server/server_process.h"

namespace tnohaku {
namespace {

const char* const kIds[] = {"ohjaamo-oulu", "kempele-hanke", "valtakunnallinen-chat",
                            "helsinki-ura", "paattynyt-hanke"};

// Which shards of the set hold the record (by its id term).
std::vector<uint32_t> ShardsHolding(const ShardSet& set, const std::string& id) {
    std::vector<uint32_t> out;
    for (uint32_t k = 0; k < set.shards; ++k) {
        Xapian::Database db(set.ShardDir(k) + "/CURRENT");
        if (db.term_exists("Q" + id)) out.push_back(k);
    }
    return out;
}

uint64_t Documents(const ShardSet& set) {
    uint64_t n = 0;
    for (uint32_t k = 0; k < set.shards; ++k)
        n += Xapian::Database(set.ShardDir(k) + "/CURRENT").get_doccount();
    return n;
}

// The fixture's Helsinki record under another id and name.
std::string NewRecord() {
    std::string line = testing::kServerFixtureJsonl;
    size_t start = line.find("{\"id\":\"helsinki-ura\"");
    line = line.substr(start, line.find('\n', start) - start);
    line.replace(line.find("helsinki-ura"), 12, "uusi-urapalvelu");
    line.replace(line.find("Urapalvelu Helsinki"), 19, "Uusi urapalvelu");
    return line + "\n";
}

TEST_CASE("--shards 3 routes records, updates and deletes to the shard of the id") {
    testing::TempDir tmp;
    const std::string jsonl = tmp / "records.jsonl";
    testing::WriteFile(jsonl, testing::kServerFixtureJsonl);
    const ShardSet set{tmp / "set", 3};
    auto run = testing::RunIndex({"--db", set.dir, "--shards", "3", "--quiet", jsonl});
    REQUIRE_MESSAGE(run.exit_code == 0, run.err);
    REQUIRE(ReadShardCount(set.dir).ok());
    CHECK(*ReadShardCount(set.dir).value() == 3);

    std::set<uint32_t> used;
    for (const char* id : kIds) {
        CHECK(ShardsHolding(set, id) == std::vector<uint32_t>{ShardOf(id, 3)});
        used.insert(ShardOf(id, 3));
    }
    CHECK(used.size() > 1);  // the fixture really spreads over shards
    Xapian::Database side(set.SideDir() + "/CURRENT");
    CHECK(side.get_doccount() == 0);
    CHECK(side.get_spelling_suggestion("ohjamo") == "ohjaamo");
    CHECK(Xapian::Database(set.ShardDir(ShardOf("ohjaamo-oulu", 3)) + "/CURRENT")
              .get_spelling_suggestion("ohjamo")
              .empty());

    const std::string update = tmp / "update.jsonl";
    testing::WriteFile(update, NewRecord());
    run = testing::RunIndex({"--db", set.dir, "--update", "--quiet", update});
    REQUIRE_MESSAGE(run.exit_code == 0, run.err);
    CHECK(ShardsHolding(set, "uusi-urapalvelu") ==
          std::vector<uint32_t>{ShardOf("uusi-urapalvelu", 3)});
    CHECK(Documents(set) == 6);

    run = testing::RunIndex({"--db", set.dir, "--quiet", "--delete", "kempele-hanke"});
    REQUIRE_MESSAGE(run.exit_code == 0, run.err);
    CHECK(ShardsHolding(set, "kempele-hanke").empty());
    CHECK(Documents(set) == 5);

    run = testing::RunIndex({"--db", set.dir, "--shards", "2", "--quiet", jsonl});
    CHECK(run.exit_code == indexer::kExitFailure);
    CHECK_MESSAGE(run.err.find("is a set of 3 shards") != std::string::npos, run.err);
    CHECK(Documents(set) == 5);  // unchanged

    const std::string single = tmp / "single";
    REQUIRE(testing::RunIndex({"--db", single, "--quiet", jsonl}).exit_code == 0);
    run = testing::RunIndex({"--db", single, "--shards", "2", "--quiet", jsonl});
    CHECK(run.exit_code == indexer::kExitFailure);
    CHECK_MESSAGE(run.err.find("unsharded") != std::string::npos, run.err);
}

TEST_CASE("a bad SHARDS manifest names the file and line") {
    testing::TempDir tmp;
    testing::WriteFile(tmp / "SHARDS", "tnohaku-shards 1\nshards many\nhash fnv1a64\n");
    auto count = ReadShardCount(tmp.path().string());
    REQUIRE_FALSE(count.ok());
    CHECK(count.status().message().find("SHARDS:2:") != std::string::npos);
}

}  // namespace
}  // namespace tnohaku
