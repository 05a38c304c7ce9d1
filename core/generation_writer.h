// GenerationWriter: what one indexing run writes into an IndexStore (core/index_store.h
// hands writers out and describes the protocol they follow).
//
// Errors: every function returns Status or Result; Xapian and filesystem exceptions
// never leave it.
//
// Ownership and threads: a writer owns a Xapian::WritableDatabase; IndexStore hands it
// out in a unique_ptr (it is not copied), and one thread at a time uses it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <xapian.h>

#include "core/document.h"
#include "core/index_store.h"
#include "core/status.h"

namespace tnohaku {

// A document of the generation that was current when a writer began, with its data
// (the record's canonical JSON) already read. Xapian reads the rest of a document lazily:
// hand `document` back to GenerationWriter::Put rather than calling its methods.
struct StoredDocument {
    Xapian::Document document;
    std::string data;
};

// The changes of one run: either a new generation (gen-N.tmp until Commit) or one
// transaction on the current generation (in place). Destroying a writer that was not
// committed discards everything it did (the .tmp folder is removed, the transaction
// cancelled). A new generation is committed into gen-N.tmp (which nobody reads) every
// few thousand documents, in place Xapian's default flush threshold applies.
//
// Speed (what is written is the same either way): in a new generation Put adds a
// document without Xapian's lookup of the id term unless this writer has written that id
// before, and spelling words are counted and given to Xapian once per distinct word, at
// Commit, instead of once per occurrence.
class GenerationWriter {
  public:
    ~GenerationWriter();
    GenerationWriter(const GenerationWriter&) = delete;
    GenerationWriter& operator=(const GenerationWriter&) = delete;

    // The generation being written (the current one when in place).
    uint64_t generation() const { return generation_; }
    bool in_place() const { return in_place_; }
    // The generation that was current when the writer began; nullopt for the first one.
    std::optional<uint64_t> replaced() const { return replaced_; }

    // Adds the document, replacing any with the same id term; adds the spelling words
    // (visible after Commit). kInvalidArgument when Xapian refuses this document (e.g. a term over
    // 245 bytes): nothing of it was written and the writer can go on.
    Status Put(const Xapian::Document& document, const std::string& id_term,
               const std::vector<std::string>& spelling_words);
    Status Put(const BuiltDocument& built) {
        return Put(built.document, built.id_term, built.spelling_words);
    }
    // Adds spelling words without a document (visible after Commit): the side index of a
    // shard set (core/shard_set.h) holds only these.
    Status AddSpelling(const std::vector<std::string>& spelling_words);
    // Removes the document with this id term; false when there was none.
    Result<bool> Delete(const std::string& id_term);
    // The document with this id term in the generation that was current when the writer
    // began, as committed (not including this writer's changes); nullopt when absent.
    Result<std::optional<StoredDocument>> FindPrevious(const std::string& id_term);
    // Documents in the database being written, including uncommitted changes.
    Result<uint64_t> DocumentCount();
    // Documents in the generation that was current when the writer began (0 when none).
    uint64_t PreviousDocumentCount() const;

    // Sets the metadata (tnohaku.format, .generation, .created) and makes everything
    // visible at once. New generation: commit, rename gen-N.tmp → gen-N, SwitchCurrent.
    // In place: commit the transaction. On failure nothing is visible and the writer is
    // discarded. Does not remove old generations (RemoveGenerationsExcept does).
    Status Commit();
    // Discards everything (as the destructor does), e.g. when --strict refuses a run.
    void Abandon();

  private:
    friend class IndexStore;
    // What IndexStore::BeginGeneration or UpdateCurrent opened for the writer.
    struct Parts {
        IndexStore store;
        uint64_t generation;
        bool in_place;
        std::optional<uint64_t> replaced;
        Xapian::WritableDatabase db;
        std::optional<Xapian::Database> previous;
    };
    explicit GenerationWriter(Parts parts);
    Status Fail(const std::string& what, const Xapian::Error& e);
    void Write(const Xapian::Document& document, const std::string& id_term);
    void WriteSpelling();

    IndexStore store_;
    uint64_t generation_ = 0;
    bool in_place_ = false;
    std::optional<uint64_t> replaced_;
    Xapian::WritableDatabase db_;
    std::optional<Xapian::Database> previous_;
    bool finished_ = false;
    // A new generation's id terms written so far (a new database holds no others).
    std::unordered_set<std::string> written_ids_;
    uint64_t uncommitted_ = 0;  // documents written to a new generation since its last commit
    // Spelling words of the documents written, with their number of occurrences.
    std::unordered_map<std::string, Xapian::termcount> spelling_counts_;
};

}  // namespace tnohaku
