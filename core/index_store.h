// IndexStore: the folder of index generations that tnohaku-index writes and
// tnohaku-server reads (schema/index-format.md, "Generations").
//
//   DIR/CURRENT          Xapian stub file "auto gen-000007": the served generation
//   DIR/gen-000006/      the generation served before (kept for a grace period)
//   DIR/gen-000007/      a glass database
//   DIR/gen-000008.tmp/  a build in progress; never read by anyone
//   DIR/.lock            flock(2)ed by the one process allowed to write
//
// Readers (the server) need no lock: they open CurrentPath() with Xapian::Database (Xapian
// follows the stub) or OpenCurrent(), and reopen when Current() names another generation.
//
// Writers hold an IndexLock for the whole run. Every writing call takes the lock as a
// proof, so that nothing writes without it. A rebuild goes
//   IndexLock::Acquire → RemoveStale → BeginGeneration → Put… → Commit
//   → RemoveGenerationsExcept({new, replaced})
// and an update goes UpdateCurrent → Put…/Delete… → Commit. Until Commit returns, CURRENT
// and every committed generation are unchanged, whatever happens to the process: a
// killed rebuild leaves only gen-N.tmp (removed by the next RemoveStale), a killed
// update leaves an uncommitted Xapian transaction, which Xapian discards.
//
// Grace period: the generation that CURRENT named before a switch is kept until the
// next rebuild, so a server still reading it keeps working until it notices CURRENT
// changed; older ones are removed. (Files that a process still has open stay readable
// after removal on POSIX systems, but Xapian may open some lazily: reopen promptly.)
//
// Errors: every function returns Status or Result; Xapian and filesystem exceptions
// never leave this module.
//
// Ownership and threads: IndexStore is a path (copy freely, any thread). IndexLock and
// GenerationWriter own a file descriptor and a Xapian::WritableDatabase: move-only, one
// thread at a time.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <xapian.h>

#include "core/document.h"
#include "core/status.h"

namespace tnohaku {

class IndexLock;
class GenerationWriter;

class IndexStore {
  public:
    explicit IndexStore(std::string dir);  // no I/O

    const std::string& dir() const { return dir_; }
    // DIR/CURRENT: the path to open with Xapian::Database.
    std::string CurrentPath() const;
    // DIR/gen-000007.
    std::string GenerationPath(uint64_t generation) const;
    // "gen-000007" (at least six digits).
    static std::string GenerationName(uint64_t generation);

    // The generation CURRENT names; nullopt when DIR or CURRENT does not exist yet.
    // kCorruption when CURRENT is not a stub naming a gen-N folder.
    Result<std::optional<uint64_t>> Current() const;
    // Committed generations present (gen-N folders; not *.tmp), ascending.
    Result<std::vector<uint64_t>> List() const;
    // Opens the current generation for reading and checks its tnohaku.format.
    // kNotFound when there is none.
    Result<Xapian::Database> OpenCurrent() const;

    // --- Writing: only with the lock held. ---

    // Removes what crashed runs left behind: gen-N.tmp folders and CURRENT.tmp.
    Status RemoveStale(const IndexLock& lock) const;
    // Starts gen-N.tmp, N one above every committed generation. The writer reads the
    // current generation (if any) for FindPrevious.
    Result<std::unique_ptr<GenerationWriter>> BeginGeneration(const IndexLock& lock) const;
    // Opens the current generation for one in-place transaction; with no current
    // generation yet, begins the first one instead (BeginGeneration).
    Result<std::unique_ptr<GenerationWriter>> UpdateCurrent(const IndexLock& lock) const;
    // Points CURRENT at a committed generation (CURRENT.tmp, fsync, rename, fsync DIR).
    Status SwitchCurrent(uint64_t generation, const IndexLock& lock) const;
    // Removes every committed generation not listed in `keep`. Never removes the one
    // CURRENT names, even when it is not listed.
    Status RemoveGenerationsExcept(const std::vector<uint64_t>& keep, const IndexLock& lock) const;

  private:
    std::string dir_;
};

// The exclusive right to write DIR: flock(LOCK_EX | LOCK_NB) on DIR/.lock, held until the
// object goes away (or the process dies: the kernel releases flock locks). Two runs on
// one DIR never overlap, even inside one process.
class IndexLock {
  public:
    // Creates DIR (and its parents) when missing. kUnavailable when another process
    // holds the lock: "another tnohaku-index is writing DIR (DIR/.lock is locked)".
    static Result<IndexLock> Acquire(const std::string& dir);
    ~IndexLock();
    IndexLock(IndexLock&& other) noexcept;
    IndexLock& operator=(IndexLock&& other) noexcept;
    IndexLock(const IndexLock&) = delete;
    IndexLock& operator=(const IndexLock&) = delete;

    const std::string& dir() const { return dir_; }

  private:
    IndexLock(std::string dir, int fd) : dir_(std::move(dir)), fd_(fd) {}
    std::string dir_;
    int fd_ = -1;
};

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
    struct Parts;
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
