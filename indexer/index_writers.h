// IndexWriters: the writing side of one indexing run over either layout of an index
// folder — one index (DIR/CURRENT, core/index_store.h) or a shard set (DIR/SHARDS,
// core/shard_set.h) — behind the one interface IndexRun (indexer/indexing.cpp) uses.
//
// In a shard set every record goes to the shard of its id (ShardOf), so --update and
// --delete reach the shard that holds it; the record's spelling words go to the side
// index only, so the side's spelling table is exactly the one an unsharded index of the
// same records has. Each shard and the side switch their own CURRENT at Commit, one after
// the other: a reader may briefly see some shards new and others old (each is consistent
// by itself). A run that fails before Commit changes nothing anywhere.
//
// Locks: DIR/.lock for the whole run, and each shard's and the side's own lock.
// Ownership and threads: owns the locks and writers; one thread.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/generation_writer.h"
#include "core/index_store.h"
#include "core/shard_set.h"
#include "core/status.h"

namespace tnohaku::indexer {

struct WritersOptions {
    std::string dir;
    // --shards N; nullopt: whatever DIR already is (a shard set keeps its count).
    std::optional<uint32_t> shards;
    bool update = false;  // in place (--update/--delete) rather than a new generation
    // --rebuild-only: new generations without a termlist table (core/index_store.h).
    GenerationKind kind = GenerationKind::kUpdatable;
};

class IndexWriters {
  public:
    // Takes the locks, removes what crashed runs left, and begins the writers. Fails
    // when --shards disagrees with what DIR already holds (that would move records).
    static Result<std::unique_ptr<IndexWriters>> Open(const WritersOptions& options);
    ~IndexWriters();

    uint32_t shards() const { return static_cast<uint32_t>(writers_.size()); }
    bool sharded() const { return set_.has_value(); }
    // Of shard 0 (every shard's generation moves together on a rebuild of the set).
    uint64_t generation() const { return writers_[0]->generation(); }
    bool in_place() const { return writers_[0]->in_place(); }
    std::optional<uint64_t> replaced() const { return writers_[0]->replaced(); }

    Status Put(const Xapian::Document& document, const std::string& id_term,
               const std::vector<std::string>& spelling_words);
    Status Put(const BuiltDocument& built) {
        return Put(built.document, built.id_term, built.spelling_words);
    }
    Result<bool> Delete(const std::string& id_term);
    Result<std::optional<StoredDocument>> FindPrevious(const std::string& id_term);
    Result<uint64_t> DocumentCount();        // over every shard
    uint64_t PreviousDocumentCount() const;  // over every shard

    // Commits every shard, then the side, then writes DIR/SHARDS (a new set becomes one
    // only when all of it exists); old generations are removed except the replaced ones.
    // `warning` receives what failed to be cleaned up (not an error).
    Status Commit(std::string& warning);
    void Abandon();

  private:
    IndexWriters() = default;
    Status Begin(const std::string& dir, const WritersOptions& options);
    GenerationWriter& WriterFor(const std::string& id_term);

    std::optional<ShardSet> set_;
    std::optional<IndexLock> set_lock_;  // DIR/.lock of a shard set
    std::vector<IndexStore> stores_;     // the shards', then the side's
    std::vector<IndexLock> locks_;
    std::vector<std::unique_ptr<GenerationWriter>> writers_;  // one per shard
    std::unique_ptr<GenerationWriter> side_;                  // null when unsharded
};

}  // namespace tnohaku::indexer
