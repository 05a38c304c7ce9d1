// The command line of tnohaku-index, as a plain struct (see HelpText for the flags).
//
// Thread safety: plain values and pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"

namespace tnohaku::indexer {

// Exit codes of tnohaku-index (documented in HelpText).
enum ExitCode : int {
    kExitOk = 0,  // every record went in
    kExitFailure =
        1,  // nothing changed: bad usage, unreadable file, unwritable DIR, lock held, disk full
    kExitRejected = 2,  // some records were rejected (the rest went in unless --strict)
};

// Analysis threads when --threads is not given: one per core, at least 1, at most
// kMaxAnalysisThreads (beyond that the single writer is the limit).
constexpr unsigned kMaxAnalysisThreads = 16;
unsigned DefaultAnalysisThreads();

struct IndexOptions {
    std::string db_dir;                   // --db DIR
    std::vector<std::string> files;       // JSONL inputs; "-" is standard input
    std::vector<std::string> delete_ids;  // --delete ID...
    bool update = false;  // --update or --delete: change the current generation in place
    bool strict = false;  // --strict: change nothing when any record is rejected
    // --rebuild-only: the new generation has no termlist table, so it cannot be changed
    // in place (GenerationKind::kRebuildOnly); smaller and faster to build.
    bool rebuild_only = false;
    bool quiet = false;     // --quiet: no progress line, no summary
    bool progress = false;  // show the progress line (main: stderr is a terminal)
    // --shards N: build (or check) a shard set of N shards (core/shard_set.h); nullopt:
    // DIR's own layout (a shard set stays one, records routed to their shards).
    std::optional<uint32_t> shards;
    // --changesets N: keep N Xapian changesets per database for xapian-replicate (sets
    // XAPIAN_MAX_CHANGESETS for this process, read by main); 0: none.
    unsigned changesets = 0;
    // --threads N: threads that parse, validate and analyse (the writer is one more).
    unsigned analysis_threads = DefaultAnalysisThreads();
};

struct CommandLine {
    IndexOptions options;
    bool help = false;  // --help: print HelpText() and exit 0
};

// Parses the arguments after the program name. Fails with a message naming the argument
// (unknown flag, missing --db, no input, an id that cannot be a record id).
Result<CommandLine> ParseCommandLine(const std::vector<std::string>& args);

// The --help text: usage, flags, what is rejected and the exit codes.
std::string HelpText();

}  // namespace tnohaku::indexer
