#include "indexer/index_writers.h"

#include <filesystem>

namespace tnohaku::indexer {

namespace fs = std::filesystem;

namespace {

// What DIR holds now, checked against --shards.
Result<std::optional<uint32_t>> ShardsToWrite(const WritersOptions& o) {
    TRY_ASSIGN(std::optional<uint32_t> existing, ReadShardCount(o.dir));
    if (!o.shards) return existing;
    if (existing && *existing != *o.shards) {
        return Status::InvalidArgument(
            "--shards " + std::to_string(*o.shards) + ": " + o.dir + " is a set of " +
            std::to_string(*existing) +
            " shards, and another count would move records between shards; build the new "
            "set in another folder");
    }
    std::error_code ec;
    if (!existing && fs::exists(fs::path(o.dir) / "CURRENT", ec)) {
        return Status::InvalidArgument("--shards: " + o.dir +
                                       " holds an unsharded index; build the shard set in "
                                       "another folder");
    }
    return o.shards;
}

}  // namespace

IndexWriters::~IndexWriters() = default;

Result<std::unique_ptr<IndexWriters>> IndexWriters::Open(const WritersOptions& options) {
    TRY_ASSIGN(std::optional<uint32_t> shards, ShardsToWrite(options));
    if (shards && options.kind == GenerationKind::kRebuildOnly) {
        // Shards are searched through Xapian's remote protocol, whose servers read each
        // document's values through the termlist table.
        return Status::InvalidArgument(
            "--rebuild-only: " + options.dir +
            " is a shard set, and shards are searched through Xapian's remote protocol, "
            "which needs the termlist table that --rebuild-only leaves out");
    }
    std::unique_ptr<IndexWriters> w(new IndexWriters());
    if (!shards) {
        TRY_STATUS(w->Begin(options.dir, options));
        return w;
    }
    TRY_ASSIGN(IndexLock lock, IndexLock::Acquire(options.dir));
    w->set_lock_.emplace(std::move(lock));
    w->set_ = ShardSet{options.dir, *shards};
    for (uint32_t k = 0; k < *shards; ++k) TRY_STATUS(w->Begin(w->set_->ShardDir(k), options));
    TRY_STATUS(w->Begin(w->set_->SideDir(), options));
    w->side_ = std::move(w->writers_.back());
    w->writers_.pop_back();
    return w;
}

// Locks one index folder, cleans it and begins its writer (appended to writers_).
Status IndexWriters::Begin(const std::string& dir, const WritersOptions& options) {
    TRY_ASSIGN(IndexLock lock, IndexLock::Acquire(dir));
    locks_.push_back(std::move(lock));
    const IndexStore& store = stores_.emplace_back(dir);
    TRY_STATUS(store.RemoveStale(locks_.back()));
    std::unique_ptr<GenerationWriter> writer;
    if (options.update) {
        TRY_ASSIGN(writer, store.UpdateCurrent(locks_.back()));
    } else {
        TRY_ASSIGN(writer, store.BeginGeneration(locks_.back(), options.kind));
    }
    writers_.push_back(std::move(writer));
    return Status::Ok();
}

GenerationWriter& IndexWriters::WriterFor(const std::string& id_term) {
    if (writers_.size() == 1) return *writers_[0];
    // The id term is the prefix "Q" + the id; the hash is of the id.
    return *writers_[ShardOf(std::string_view(id_term).substr(1), shards())];
}

Status IndexWriters::Put(const Xapian::Document& document, const std::string& id_term,
                         const std::vector<std::string>& spelling_words) {
    if (!side_) return WriterFor(id_term).Put(document, id_term, spelling_words);
    TRY_STATUS(WriterFor(id_term).Put(document, id_term, {}));
    return side_->AddSpelling(spelling_words);
}

Result<bool> IndexWriters::Delete(const std::string& id_term) {
    return WriterFor(id_term).Delete(id_term);
}

Result<std::optional<StoredDocument>> IndexWriters::FindPrevious(const std::string& id_term) {
    return WriterFor(id_term).FindPrevious(id_term);
}

Result<uint64_t> IndexWriters::DocumentCount() {
    uint64_t total = 0;
    for (auto& writer : writers_) {
        TRY_ASSIGN(uint64_t n, writer->DocumentCount());
        total += n;
    }
    return total;
}

uint64_t IndexWriters::PreviousDocumentCount() const {
    uint64_t total = 0;
    for (const auto& writer : writers_) total += writer->PreviousDocumentCount();
    return total;
}

Status IndexWriters::Commit(std::string& warning) {
    std::vector<GenerationWriter*> all;
    for (auto& writer : writers_) all.push_back(writer.get());
    if (side_) all.push_back(side_.get());
    for (GenerationWriter* writer : all) TRY_STATUS(writer->Commit());
    if (set_) TRY_STATUS(WriteShardManifest(*set_));
    for (size_t i = 0; i < all.size(); ++i) {
        if (all[i]->in_place()) continue;
        std::vector<uint64_t> keep{all[i]->generation()};
        if (all[i]->replaced()) keep.push_back(*all[i]->replaced());
        Status st = stores_[i].RemoveGenerationsExcept(keep, locks_[i]);
        if (!st.ok()) warning += (warning.empty() ? "" : "; ") + st.message();
    }
    return Status::Ok();
}

void IndexWriters::Abandon() {
    for (auto& writer : writers_) writer->Abandon();
    if (side_) side_->Abandon();
}

}  // namespace tnohaku::indexer
