// core/index_store and core/generation_writer: generations, CURRENT, the lock, stale
// files and in-place updates.
#include "core/index_store.h"

#include <filesystem>

#include <doctest/doctest.h>

#include "core/generation_writer.h"
#include "core/index_format.h"
#include "test_support.h"

namespace tnohaku {
namespace {

namespace fs = std::filesystem;
using testing::ReadFile;
using testing::TempDir;
using testing::WriteFile;

Xapian::Document Doc(const std::string& id, const std::string& data) {
    Xapian::Document doc;
    doc.add_boolean_term("Q" + id);
    doc.set_data(data);
    return doc;
}

// Commits a new generation holding one document per id.
uint64_t CommitGeneration(const IndexStore& store, const IndexLock& lock,
                          const std::vector<std::string>& ids) {
    auto writer = store.BeginGeneration(lock);
    REQUIRE(writer.ok());
    for (const auto& id : ids)
        REQUIRE((*writer)->Put(Doc(id, "data of " + id), "Q" + id, {"ohjaus"}).ok());
    REQUIRE((*writer)->Commit().ok());
    return (*writer)->generation();
}

TEST_CASE("generation names have at least six digits") {
    CHECK(IndexStore::GenerationName(7) == "gen-000007");
    CHECK(IndexStore::GenerationName(1234567) == "gen-1234567");
    IndexStore store("/srv/index/");
    CHECK(store.GenerationPath(8) == "/srv/index/gen-000008");
    CHECK(store.CurrentPath() == "/srv/index/CURRENT");
}

TEST_CASE("an empty or missing folder has no current generation") {
    TempDir tmp;
    IndexStore missing(tmp / "nothing-here");
    REQUIRE(missing.Current().ok());
    CHECK(!missing.Current()->has_value());
    CHECK(missing.List()->empty());
    CHECK(missing.OpenCurrent().status().code() == Status::Code::kNotFound);
}

TEST_CASE("a CURRENT that names no generation is corruption") {
    TempDir tmp;
    WriteFile(tmp / "CURRENT", "auto somewhere-else\n");
    CHECK(IndexStore(tmp.path().string()).Current().status().code() == Status::Code::kCorruption);
}

TEST_CASE("committing a generation switches CURRENT to it; Xapian opens the stub") {
    TempDir tmp;
    IndexStore store(tmp / "db");
    auto lock = IndexLock::Acquire(store.dir());
    REQUIRE(lock.ok());
    CHECK(CommitGeneration(store, *lock, {"a", "b"}) == 1);
    CHECK(ReadFile(store.CurrentPath()) == "auto gen-000001\n");
    CHECK(**store.Current() == 1);
    CHECK(*store.List() == std::vector<uint64_t>{1});
    Xapian::Database via_stub(store.CurrentPath());
    CHECK(via_stub.get_doccount() == 2);
    auto opened = store.OpenCurrent();
    REQUIRE(opened.ok());
    CHECK(opened->get_metadata(index_format::kMetaFormat) == index_format::kFormatVersion);
    CHECK(opened->get_metadata(index_format::kMetaGeneration) == "1");
    std::string created = opened->get_metadata(index_format::kMetaCreated);
    CHECK(created.size() == 20);
    CHECK(created.back() == 'Z');
    CHECK(opened->get_spelling_suggestion("ohjaas") == "ohjaus");
    CHECK(!fs::exists(store.GenerationPath(1) + ".tmp"));
}

TEST_CASE("a writer that is not committed leaves nothing behind") {
    TempDir tmp;
    IndexStore store(tmp / "db");
    auto lock = IndexLock::Acquire(store.dir());
    REQUIRE(lock.ok());
    CommitGeneration(store, *lock, {"a"});
    {
        auto writer = store.BeginGeneration(*lock);
        REQUIRE(writer.ok());
        CHECK((*writer)->generation() == 2);
        CHECK((*writer)->replaced() == std::optional<uint64_t>(1));
        REQUIRE((*writer)->Put(Doc("b", "b"), "Qb", {}).ok());
        CHECK(fs::exists(store.GenerationPath(2) + ".tmp"));
    }
    CHECK(!fs::exists(store.GenerationPath(2) + ".tmp"));
    CHECK(**store.Current() == 1);
    CHECK(*store.List() == std::vector<uint64_t>{1});
}

TEST_CASE("FindPrevious reads the generation that was current, not the one being written") {
    TempDir tmp;
    IndexStore store(tmp / "db");
    auto lock = IndexLock::Acquire(store.dir());
    REQUIRE(lock.ok());
    CommitGeneration(store, *lock, {"a"});
    auto writer = store.BeginGeneration(*lock);
    REQUIRE(writer.ok());
    REQUIRE((*writer)->Put(Doc("a", "new"), "Qa", {}).ok());
    auto previous = (*writer)->FindPrevious("Qa");
    REQUIRE(previous.ok());
    REQUIRE(previous->has_value());
    CHECK((*previous)->data == "data of a");
    CHECK(!(*writer)->FindPrevious("Qzzz")->has_value());
    CHECK((*writer)->PreviousDocumentCount() == 1);
}

TEST_CASE("old generations go, the current and the one before stay") {
    TempDir tmp;
    IndexStore store(tmp / "db");
    auto lock = IndexLock::Acquire(store.dir());
    REQUIRE(lock.ok());
    for (int i = 0; i < 4; ++i) CommitGeneration(store, *lock, {"a"});
    CHECK(*store.List() == std::vector<uint64_t>{1, 2, 3, 4});
    REQUIRE(store.RemoveGenerationsExcept({4, 3}, *lock).ok());
    CHECK(*store.List() == std::vector<uint64_t>{3, 4});
    // The current generation is never removed, even when not listed.
    REQUIRE(store.RemoveGenerationsExcept({}, *lock).ok());
    CHECK(*store.List() == std::vector<uint64_t>{4});
    REQUIRE(store.SwitchCurrent(4, *lock).ok());
    CHECK(store.SwitchCurrent(9, *lock).code() == Status::Code::kNotFound);
}

TEST_CASE("RemoveStale removes the leftovers of crashed runs and nothing else") {
    TempDir tmp;
    IndexStore store(tmp / "db");
    auto lock = IndexLock::Acquire(store.dir());
    REQUIRE(lock.ok());
    CommitGeneration(store, *lock, {"a"});
    fs::create_directory(tmp / "db/gen-000005.tmp");
    WriteFile(tmp / "db/gen-000005.tmp/postlist.glass", "partial");
    WriteFile(tmp / "db/CURRENT.tmp", "auto gen-000005\n");
    WriteFile(tmp / "db/notes.tmp", "someone's file");
    REQUIRE(store.RemoveStale(*lock).ok());
    CHECK(!fs::exists(tmp / "db/gen-000005.tmp"));
    CHECK(!fs::exists(tmp / "db/CURRENT.tmp"));
    CHECK(fs::exists(tmp / "db/notes.tmp"));
    CHECK(fs::exists(store.GenerationPath(1)));
    // The next generation is numbered after the committed ones.
    CHECK(CommitGeneration(store, *lock, {"a"}) == 2);
}

TEST_CASE("only one writer holds the lock of a folder") {
    TempDir tmp;
    std::string dir = tmp / "db";
    {
        auto first = IndexLock::Acquire(dir);
        REQUIRE(first.ok());
        auto second = IndexLock::Acquire(dir);
        REQUIRE(!second.ok());
        CHECK(second.status().code() == Status::Code::kUnavailable);
        CHECK(second.status().message().find("another tnohaku-index is writing " + dir) !=
              std::string::npos);
        CHECK(second.status().message().find("pid " + std::to_string(::getpid())) !=
              std::string::npos);
        IndexLock moved = std::move(*first);
        CHECK(!IndexLock::Acquire(dir).ok());
    }
    CHECK(IndexLock::Acquire(dir).ok());
}

TEST_CASE("an in-place update is one transaction: all of it on Commit, none of it otherwise") {
    TempDir tmp;
    IndexStore store(tmp / "db");
    auto lock = IndexLock::Acquire(store.dir());
    REQUIRE(lock.ok());
    CommitGeneration(store, *lock, {"a", "b"});
    Xapian::rev revision = Xapian::Database(store.CurrentPath()).get_revision();
    {
        auto writer = store.UpdateCurrent(*lock);
        REQUIRE(writer.ok());
        CHECK((*writer)->in_place());
        REQUIRE((*writer)->Put(Doc("c", "c"), "Qc", {}).ok());
        CHECK(*(*writer)->Delete("Qa"));
        // Dropped without Commit.
    }
    CHECK(Xapian::Database(store.CurrentPath()).get_doccount() == 2);
    CHECK(Xapian::Database(store.CurrentPath()).get_revision() == revision);

    auto writer = store.UpdateCurrent(*lock);
    REQUIRE(writer.ok());
    REQUIRE((*writer)->Put(Doc("c", "c"), "Qc", {}).ok());
    REQUIRE((*writer)->Put(Doc("b", "b2"), "Qb", {}).ok());
    CHECK(*(*writer)->Delete("Qa"));
    CHECK(!*(*writer)->Delete("Qnot-there"));
    CHECK((*writer)->FindPrevious("Qa")->has_value());  // the committed state
    REQUIRE((*writer)->Commit().ok());
    Xapian::Database db(store.CurrentPath());
    CHECK(db.get_doccount() == 2);
    CHECK(db.get_revision() == revision + 1);
    CHECK(!db.term_exists("Qa"));
    CHECK(db.get_document(*db.postlist_begin("Qb")).get_data() == "b2");
    CHECK(**store.Current() == 1);
}

TEST_CASE("UpdateCurrent with no generation begins the first one") {
    TempDir tmp;
    IndexStore store(tmp / "db");
    auto lock = IndexLock::Acquire(store.dir());
    REQUIRE(lock.ok());
    auto writer = store.UpdateCurrent(*lock);
    REQUIRE(writer.ok());
    CHECK(!(*writer)->in_place());
    CHECK((*writer)->generation() == 1);
    REQUIRE((*writer)->Put(Doc("a", "a"), "Qa", {}).ok());
    REQUIRE((*writer)->Commit().ok());
    CHECK(**store.Current() == 1);
}

}  // namespace
}  // namespace tnohaku
