#include "core/generation_writer.h"

#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>

#include "core/dates.h"
#include "core/index_format.h"
#include "core/index_store_files.h"

namespace tnohaku {

namespace fs = std::filesystem;
namespace fmt = index_format;

using index_store_files::FromErrno;
using index_store_files::FromXapian;
using index_store_files::kTmpSuffix;
using index_store_files::SyncDirectory;
using index_store_files::WriteCurrent;

namespace {

// A new generation is committed (into gen-N.tmp) after this many documents. Xapian keeps
// the changes since the last commit in ordered maps (per term, per docid); smaller maps
// cost fewer cache misses per posting than Xapian's default of 10,000 documents, and
// hold less memory, while commits are still rare enough to cost little themselves.
constexpr uint64_t kDocumentsPerCommit = 2000;

}  // namespace

GenerationWriter::GenerationWriter(Parts parts)
    : store_(std::move(parts.store)),
      generation_(parts.generation),
      in_place_(parts.in_place),
      replaced_(parts.replaced),
      db_(std::move(parts.db)),
      previous_(std::move(parts.previous)) {}

GenerationWriter::~GenerationWriter() {
    Abandon();
}

Status GenerationWriter::Fail(const std::string& what, const Xapian::Error& e) {
    std::string path = store_.GenerationPath(generation_) + (in_place_ ? "" : kTmpSuffix);
    return FromXapian(what + " in " + path, e);
}

Status GenerationWriter::Put(const Xapian::Document& document, const std::string& id_term,
                             const std::vector<std::string>& spelling_words) {
    if (finished_) return Status::Internal("GenerationWriter::Put after Commit or Abandon");
    try {
        Write(document, id_term);
    } catch (const Xapian::FeatureUnavailableError& e) {
        // A document copied as it is from a --rebuild-only generation: Xapian reads a
        // document's terms back from the termlist table, which that generation lacks.
        return Fail("cannot copy " + id_term +
                        " from a generation built with --rebuild-only (its terms cannot be "
                        "read back)",
                    e);
    } catch (const Xapian::Error& e) {
        return Fail("cannot write " + id_term, e);
    }
    for (const auto& word : spelling_words) ++spelling_counts_[word];
    return Status::Ok();
}

// A new generation holds only what this writer wrote, so an id it has not written is
// absent and the document can be added without Xapian looking the id term up.
void GenerationWriter::Write(const Xapian::Document& document, const std::string& id_term) {
    if (in_place_) {
        db_.replace_document(id_term, document);
        return;
    }
    auto [it, first_time] = written_ids_.insert(id_term);
    try {
        if (first_time) {
            db_.add_document(document);
        } else {
            db_.replace_document(id_term, document);
        }
    } catch (...) {
        if (first_time) written_ids_.erase(it);  // nothing of the document was written
        throw;
    }
    if (++uncommitted_ >= kDocumentsPerCommit) {
        db_.commit();  // gen-N.tmp, which nobody reads: only a batch boundary
        uncommitted_ = 0;
    }
}

// Xapian adds a word's trigrams once and sums its frequencies, so one add_spelling with
// the count gives the same spelling table as one call per occurrence, in far fewer
// lookups of Xapian's pending changes and the table.
void GenerationWriter::WriteSpelling() {
    for (const auto& [word, count] : spelling_counts_) db_.add_spelling(word, count);
    spelling_counts_.clear();
}

Status GenerationWriter::AddSpelling(const std::vector<std::string>& spelling_words) {
    if (finished_) return Status::Internal("GenerationWriter::AddSpelling after Commit or Abandon");
    for (const auto& word : spelling_words) ++spelling_counts_[word];
    return Status::Ok();
}

Result<bool> GenerationWriter::Delete(const std::string& id_term) {
    if (finished_) return Status::Internal("GenerationWriter::Delete after Commit or Abandon");
    try {
        if (!db_.term_exists(id_term)) return false;
        db_.delete_document(id_term);
        written_ids_.erase(id_term);
        return true;
    } catch (const Xapian::Error& e) {
        return Fail("cannot delete " + id_term, e);
    }
}

Result<std::optional<StoredDocument>> GenerationWriter::FindPrevious(const std::string& id_term) {
    if (!previous_) return std::optional<StoredDocument>();
    try {
        Xapian::PostingIterator it = previous_->postlist_begin(id_term);
        if (it == previous_->postlist_end(id_term)) return std::optional<StoredDocument>();
        Xapian::Document document = previous_->get_document(*it);
        std::string data = document.get_data();
        return std::optional<StoredDocument>(StoredDocument{std::move(document), std::move(data)});
    } catch (const Xapian::Error& e) {
        return FromXapian(
            "cannot read " + id_term + " from generation " + std::to_string(*replaced_), e);
    }
}

Result<uint64_t> GenerationWriter::DocumentCount() {
    try {
        return uint64_t{db_.get_doccount()};
    } catch (const Xapian::Error& e) {
        return Fail("cannot count documents", e);
    }
}

uint64_t GenerationWriter::PreviousDocumentCount() const {
    try {
        return previous_ ? previous_->get_doccount() : 0;
    } catch (const Xapian::Error&) {
        return 0;
    }
}

Status GenerationWriter::Commit() {
    if (finished_) return Status::Internal("GenerationWriter::Commit after Commit or Abandon");
    const std::string final_path = store_.GenerationPath(generation_);
    const std::string tmp_path = final_path + kTmpSuffix;
    try {
        WriteSpelling();
        db_.set_metadata(fmt::kMetaFormat, fmt::kFormatVersion);
        db_.set_metadata(fmt::kMetaGeneration, std::to_string(generation_));
        db_.set_metadata(fmt::kMetaCreated, UtcNowIso8601());
        if (in_place_) {
            db_.commit_transaction();
        } else {
            db_.commit();
        }
        db_.close();
    } catch (const Xapian::Error& e) {
        Status st = Fail("cannot commit", e);
        Abandon();
        return st;
    }
    finished_ = true;
    previous_.reset();
    if (in_place_) return Status::Ok();
    // Xapian has synced its files; their directory entries and then the rename follow.
    Status st = SyncDirectory(tmp_path);
    if (st.ok() && std::rename(tmp_path.c_str(), final_path.c_str()) != 0) {
        st = FromErrno("cannot rename " + tmp_path + " to " + final_path);
    }
    if (!st.ok()) {
        std::error_code ec;
        fs::remove_all(tmp_path, ec);
        return st;
    }
    st = SyncDirectory(store_.dir());
    if (st.ok()) st = WriteCurrent(store_, generation_);
    if (!st.ok()) {
        // Unless CURRENT made it to the new generation after all (only syncing failed),
        // it still names the old one: the new one must not linger half-known.
        auto current = store_.Current();
        if (!current.ok() || *current != generation_) {
            std::error_code ec;
            fs::remove_all(final_path, ec);
        }
    }
    return st;
}

void GenerationWriter::Abandon() {
    if (finished_) return;
    finished_ = true;
    previous_.reset();
    try {
        // In place, close() aborts the open transaction; a new generation's close()
        // commits into gen-N.tmp, which is removed below anyway.
        db_.close();
    } catch (const Xapian::Error&) {
        // A failing close (e.g. disk full) leaves nothing we keep.
    }
    if (!in_place_) {
        std::error_code ec;
        fs::remove_all(store_.GenerationPath(generation_) + kTmpSuffix, ec);
    }
}

}  // namespace tnohaku
