#include "core/vocab.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include <doctest/doctest.h>

#include "test_support.h"

namespace tnohaku {
namespace {

TEST_CASE("the official lists: 19 regions, 309 municipalities, each in a region") {
    auto vocab = Vocabulary::LoadEmbedded();
    REQUIRE(vocab.ok());
    const Vocabulary& v = **vocab;
    CHECK(v.Codes(Facet::kRegion).size() == 19);
    CHECK(v.Codes(Facet::kMunicipality).size() == 309);
    CHECK(v.RegionOf("564") == "17");  // Oulu, North Ostrobothnia
    CHECK(v.RegionOf("244") == "17");  // Kempele
    CHECK(v.RegionOf("905") == "15");  // Vaasa, Ostrobothnia
    CHECK(v.Label(Facet::kMunicipality, "564", Lang::kSv) == "Uleåborg");
    CHECK(v.Label(Facet::kRegion, "17", Lang::kFi) == "Pohjois-Pohjanmaa");
    for (const Code& m : v.Codes(Facet::kMunicipality)) {
        CHECK(m.code.size() == 3);
        CHECK(v.Contains(Facet::kRegion, m.parent));
    }
}

TEST_CASE("hierarchies: a parent includes its children, a child knows its ancestors") {
    const auto owner = Vocabulary::LoadEmbedded().value();
    const Vocabulary& v = *owner;
    CHECK(v.SelfAndAncestors(Facet::kTargetGroup, "students-higher") ==
          std::vector<std::string>{"students-higher", "students", "KR1"});
    auto students = v.SelfAndDescendants(Facet::kTargetGroup, "students");
    CHECK(students.size() == 4);
    CHECK(v.SelfAndAncestors(Facet::kServiceClass, "P5.1") ==
          std::vector<std::string>{"P5.1", "P5"});
    CHECK(v.Codes(Facet::kServiceClass).size() == 228);
    const Code* region = v.Find(Facet::kRegion, "17");
    REQUIRE(region);
    CHECK(std::find(region->children.begin(), region->children.end(), "564") !=
          region->children.end());
}

TEST_CASE("every code is URL-safe: no '+', space or comma") {
    const auto owner = Vocabulary::LoadEmbedded().value();
    const Vocabulary& v = *owner;
    for (Facet f : kAllFacets) {
        for (const Code& c : v.Codes(f)) {
            CAPTURE(c.code);
            CHECK(c.code.find_first_of("+ ,/?#&%") == std::string::npos);
            CHECK_FALSE(c.labels.fi.empty());
            CHECK_FALSE(c.labels.sv.empty());
            CHECK_FALSE(c.labels.en.empty());
        }
    }
}

TEST_CASE("the vocabulary files are what the checked-in script generates") {
    testing::TempDir out;
    std::string cmd = "python3 " + testing::SourcePath("scripts/gen-vocab.py") + " --out " +
                      out.path().string() + " > /dev/null";
    REQUIRE(std::system(cmd.c_str()) == 0);
    size_t files = 0;
    for (const auto& entry : std::filesystem::directory_iterator(out.path())) {
        CAPTURE(entry.path().filename().string());
        std::string shipped = testing::ReadFile(
            testing::SourcePath("schema/vocab/" + entry.path().filename().string()));
        CHECK(shipped == testing::ReadFile(entry.path().string()));
        ++files;
    }
    CHECK(files == std::size(kAllFacets));
    auto reloaded = Vocabulary::LoadDirectory(out.path().string());
    CHECK(reloaded.ok());
}

}  // namespace
}  // namespace tnohaku
