// ShardSet: the folder layout of a sharded index (schema/index-format.md, "Shards") and
// the rule that puts a record in a shard.
//
//   DIR/SHARDS        "tnohaku-shards 1\nshards N\nhash fnv1a64\n": marks DIR as a shard set
//   DIR/shard-0/ …    N index folders (core/index_store.h: CURRENT + gen-N each)
//   DIR/shard-N-1/
//   DIR/side/         the side index: an index folder with no documents, only the spelling
//                     table of every shard's records (Xapian's remote backend serves no
//                     spelling data, so the server reads it here, locally)
//   DIR/.lock         the indexer's lock for the whole set
//
// A record goes to shard ShardOf(id, N): FNV-1a (64 bit) of the id's bytes, modulo N.
// The hash is fixed forever for a layout version: changing it would move records.
//
// Ownership and threads: plain values and pure functions, except ReadShardCount (reads
// DIR/SHARDS).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"

namespace tnohaku {

inline constexpr uint32_t kMaxShards = 64;

// FNV-1a, 64 bit, of the bytes of `id`.
uint64_t Fnv1a64(std::string_view id);
// The shard of a record id among `shards` (> 0).
uint32_t ShardOf(std::string_view id, uint32_t shards);

struct ShardSet {
    std::string dir;
    uint32_t shards = 0;

    std::string ManifestPath() const;            // DIR/SHARDS
    std::string ShardDir(uint32_t shard) const;  // DIR/shard-K
    std::string SideDir() const;                 // DIR/side
};

// The number of shards DIR/SHARDS declares; nullopt when DIR has no SHARDS file (an
// unsharded index folder or nothing yet). kCorruption naming the file and line when the
// file is not a manifest this build reads.
Result<std::optional<uint32_t>> ReadShardCount(const std::string& dir);
// Writes DIR/SHARDS for `shards` shards (atomically: SHARDS.tmp, fsync, rename).
Status WriteShardManifest(const ShardSet& set);

}  // namespace tnohaku
