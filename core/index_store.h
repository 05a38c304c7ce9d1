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
// proof, so that nothing writes without it. The changes of a run go through a
// GenerationWriter (core/generation_writer.h). A rebuild goes
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
// never leave this module (nor core/generation_writer.h).
//
// Ownership and threads: IndexStore is a path (copy freely, any thread). IndexLock owns a
// file descriptor: move-only, one thread at a time.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <xapian.h>

#include "core/status.h"

namespace tnohaku {

class IndexLock;
class GenerationWriter;

// What a new generation allows later (tnohaku-index --rebuild-only).
//  kUpdatable: Xapian keeps a termlist table (each document's terms), which in-place
//    --update and --delete, and so replication by changesets, need to remove a
//    document's old postings.
//  kRebuildOnly: no termlist table. The index is about 30 % smaller and builds about
//    20 % faster (bench/analysis.md), searches the same, and can only be replaced by
//    the next rebuild: UpdateCurrent refuses it. Xapian's remote protocol and
//    xapian-replicate cannot serve or copy it either.
enum class GenerationKind { kUpdatable, kRebuildOnly };

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
    Result<std::unique_ptr<GenerationWriter>> BeginGeneration(
        const IndexLock& lock, GenerationKind kind = GenerationKind::kUpdatable) const;
    // Opens the current generation for one in-place transaction; with no current
    // generation yet, begins the first (updatable) one instead (BeginGeneration).
    // kInvalidArgument, changing nothing, when the current generation is kRebuildOnly.
    Result<std::unique_ptr<GenerationWriter>> UpdateCurrent(const IndexLock& lock) const;
    // Whether a committed generation was built kRebuildOnly (it has no termlist table).
    bool IsRebuildOnly(uint64_t generation) const;
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

}  // namespace tnohaku
