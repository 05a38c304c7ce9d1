#include "cluster/cluster_fixture.h"

#include <doctest/doctest.h>

#include "indexer/indexer_test_support.h"

namespace tnohaku::testing {

ClusterIndexes& ClusterIndexes::Get() {
    static std::unique_ptr<ClusterIndexes> indexes = [] {
        auto out = std::make_unique<ClusterIndexes>();
        out->single = out->dir / "single";
        out->shard_set = out->dir / "set";
        const std::string seeds = SourcePath("corpus/seeds.jsonl");
        const std::string ptv = SourcePath("corpus/ptv.jsonl");
        RunOutput one = RunIndex({"--db", out->single, "--quiet", seeds, ptv});
        REQUIRE_MESSAGE(one.exit_code != indexer::kExitFailure, one.err);
        RunOutput set = RunIndex({"--db", out->shard_set, "--shards", "3", "--quiet", seeds, ptv});
        REQUIRE_MESSAGE(set.exit_code == one.exit_code, set.err);
        auto vocab = Vocabulary::LoadEmbedded();
        REQUIRE(vocab.ok());
        out->vocab = std::move(vocab).value();
        return out;
    }();
    return *indexes;
}

SearcherOptions ClusterSearcherOptions(const std::string& index, const std::string& side) {
    SearcherOptions options;
    options.index_dir = index;
    options.side_dir = side;
    options.vocab = ClusterIndexes::Get().vocab;
    options.synonyms_path = SourcePath("schema/synonyms/synonyms.txt");
    return options;
}

}  // namespace tnohaku::testing
