// The shipped corpus: every record of every corpus/*.jsonl file validates against the
// schema and the vocabularies, and ids are unique across files.
#include <filesystem>
#include <fstream>
#include <set>

#include <doctest/doctest.h>

#include "core/validate.h"
#include "test_support.h"

namespace tnohaku {
namespace {

TEST_CASE("every shipped corpus record validates and ids are unique") {
    const auto owner = Vocabulary::LoadEmbedded().value();
    const Vocabulary& vocab = *owner;
    std::set<std::string> ids;
    size_t records = 0, files = 0;
    for (const auto& entry : std::filesystem::directory_iterator(testing::SourcePath("corpus"))) {
        if (entry.path().extension() != ".jsonl") continue;
        ++files;
        std::ifstream in(entry.path());
        std::string line;
        for (size_t n = 1; std::getline(in, line); ++n) {
            if (line.empty()) continue;
            ParsedRecord parsed = ParseAndValidate(line, vocab);
            for (const auto& e : parsed.errors) {
                FAIL_CHECK(
                    FormatRecordError(entry.path().filename().string(), n, parsed.record.id, e));
            }
            CHECK_MESSAGE(ids.insert(parsed.record.id).second, "duplicate id " << parsed.record.id);
            ++records;
        }
    }
    CHECK(files >= 1);
    CHECK(records > 80);
}

}  // namespace
}  // namespace tnohaku
