// DatabaseSet: the parts a Searcher searches as one Xapian::Database — local index
// folders, plain Xapian databases (e.g. a xapian-replicate replica) and remote shards
// served by xapian-tcpsrv — opened together, with what is needed to notice changes and
// to say which part failed.
//
// The list (SearcherOptions::index_dir, tnohaku-server --db) is comma-separated:
//   tcp://HOST:PORT   a remote shard (Xapian's remote protocol, xapian-tcpsrv)
//   DIR               DIR/SHARDS: a shard set (core/shard_set.h): its shards and side;
//                     DIR/CURRENT: an index folder (core/index_store.h);
//                     otherwise a Xapian database path (a replica folder holds the stub
//                     XAPIANDB that xapian-replicate switches; it is watched like CURRENT)
// plus, optionally, the side index (spelling table) given apart (--side). A list of more
// than one part must name a side index (its shard set's or --side): remote shards serve
// no spelling data, and the side holds exactly the combined table. The side index is not
// searched (db() has the parts with documents; Xapian 1.4.22 crashes matching over a
// local empty sub-database): spelling() is the side, or db() when there is none.
//
// Several local shards are each matched by a xapian-progsrv child (Xapian's remote
// protocol over a pipe), exactly as remote shards are: Xapian 1.4.22 crashes matching
// some of our queries over several local sub-databases in one process. One local shard
// (alone or beside remote ones) is matched in process.
//
// Xapian interleaves docids over the parts (docid = (part docid - 1) × parts + part + 1):
// nothing outside one search may keep a docid.
//
// Ownership and threads: owns its Database objects; one thread at a time (Xapian's rule).
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <xapian.h>

#include "core/status.h"

namespace tnohaku {

struct DatabasePart {
    enum class Kind { kIndex, kDatabase, kRemote };
    Kind kind = Kind::kIndex;
    std::string name;  // as the list says it: "tcp://127.0.0.1:7001", "/srv/index/shard-0"
    std::string path;  // kIndex, kDatabase
    std::string host;  // kRemote
    unsigned port = 0;
    bool side = false;  // the side index (spelling only)
};

// The parts of a --db list (`side`: a --side folder, may be empty). kInvalidArgument
// naming the entry for a malformed tcp:// address or a several-part list without a side
// index; kCorruption for a bad DIR/SHARDS.
Result<std::vector<DatabasePart>> ParseDatabaseList(const std::string& list,
                                                    const std::string& side);

struct RemoteTimeouts {
    unsigned timeout_ms = 10000;         // an answer may take this long
    unsigned connect_timeout_ms = 2000;  // a shard that does not accept within this is down
};

struct PartInfo {
    uint64_t generation = 0;  // tnohaku.generation
    std::string created;      // tnohaku.created
};

class DatabaseSet {
  public:
    // Opens every part and checks its tnohaku.format. kUnavailable naming the part that
    // cannot be opened, read or reached.
    static Result<DatabaseSet> Open(const std::vector<DatabasePart>& parts,
                                    const RemoteTimeouts& timeouts);

    const Xapian::Database& db() const { return db_; }
    // The spelling table (core/spelling.h): the side index, else db().
    const Xapian::Database& spelling() const { return spelling_; }
    // Moves db() and spelling() to their newest revisions (Xapian::Database::reopen);
    // true when either moved. Throws Xapian errors (a remote shard gone).
    bool Reopen();
    // One local part: the in-memory columns (core/column_search.h) may be used.
    bool single_local() const;
    // Some part is matched in another process (a tcp:// shard, or piped local shards):
    // only Xapian's built-in match spies, posting sources and sorts by value run there.
    bool out_of_process() const { return out_of_process_; }
    // Sum of the parts' generations (grows whenever a part is rebuilt; one part: its
    // generation), the newest tnohaku.created, the documents of all parts.
    uint64_t generation() const;
    std::string created() const;
    // Every part's uuid:revision, which changes with each commit (updates in place too);
    // "?" for a part whose backend does not tell (then only its generation, creation
    // time and document count tell its revisions apart).
    std::string revision() const;
    // Reads the parts' metadata again (after db().reopen() moved to a newer revision).
    Status RereadInfo();
    // Whether a watched stub (CURRENT, XAPIANDB) changed since Open: reopen anew then.
    bool StubsChanged() const;

  private:
    struct Stub {
        std::string path;
        std::filesystem::file_time_type mtime;
        std::string text;
        bool operator==(const Stub&) const = default;
    };
    static Result<std::optional<Stub>> ReadStub(const DatabasePart& part);

    std::vector<DatabasePart> parts_;
    std::vector<std::optional<Stub>> stubs_;  // per part
    std::vector<PartInfo> info_;              // per part
    std::vector<Xapian::Database> part_dbs_;  // per part; share their internals with db_
    Xapian::Database db_;
    Xapian::Database spelling_;
    bool out_of_process_ = false;
    bool separate_spelling_ = false;  // spelling_ is the side index, not db_
};

// A Xapian error as a Status: kUnavailable for database and network errors (the index
// is being switched, a shard is gone), kInternal otherwise; `context` leads the message.
Status FromXapianError(const Xapian::Error& e, const std::string& context);

}  // namespace tnohaku
