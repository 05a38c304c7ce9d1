// The shipped corpus indexed twice by the indexer, in this process: as one index and as a
// set of three shards (tnohaku-index --shards 3), in a temporary folder shared by the
// tests of tests/cluster/ (built once: the Finnish analysis of ~2,000 records is the
// slow part).
#pragma once

#include <memory>
#include <string>

#include "core/searcher.h"
#include "test_support.h"

namespace tnohaku::testing {

struct ClusterIndexes {
    TempDir dir;
    std::string single;     // one index folder
    std::string shard_set;  // the same records in 3 shards + side
    std::shared_ptr<const Vocabulary> vocab;

    static ClusterIndexes& Get();
};

// Options of a Searcher over `index` (a --db list) with the shipped synonyms.
SearcherOptions ClusterSearcherOptions(const std::string& index, const std::string& side = "");

}  // namespace tnohaku::testing
