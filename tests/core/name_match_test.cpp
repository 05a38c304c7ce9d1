// Name matches (core/name_match.h) and completing a prefix through the spelling table
// (core/spelling.h): the pieces of ranking that do not show in one search's order alone.
#include <doctest/doctest.h>

#include "core/name_match.h"
#include "core/spelling.h"
#include "search_fixture.h"
#include "test_support.h"

namespace tnohaku {
namespace {

struct Builder {
    std::unique_ptr<Analyzer> analyzer = Analyzer::Create().value();
    std::shared_ptr<const Vocabulary> vocab = Vocabulary::LoadEmbedded().value();
    QueryBuilder builder{*analyzer, *vocab};
};

TEST_CASE("name coverage: the share of a name's words the query's words are") {
    Builder b;
    TextQuery q = b.builder.Text("etsivää nuorisotyötä ", Lang::kFi);
    CHECK(NameCoverage(*b.analyzer, q, "Etsivä nuorisotyö", Lang::kFi) == doctest::Approx(1.0));
    const double network = NameCoverage(
        *b.analyzer, q, "Pohjois-Pohjanmaan etsivän nuorisotyön alueellinen verkosto", Lang::kFi);
    CHECK(network == doctest::Approx(0.4));
    CHECK(NameCoverage(*b.analyzer, q, "Kirjasto", Lang::kFi) == 0);
    TextQuery plain = b.builder.Text("etsiva nuorisotyo ", Lang::kFi);
    CHECK(NameCoverage(*b.analyzer, plain, "Etsivä nuorisotyö", Lang::kFi) == doctest::Approx(1.0));
}

TEST_CASE("name matches reorder whole blocks of ranks and keep the page") {
    CHECK(NameMatchWindow(0, 10).first == 0);
    CHECK(NameMatchWindow(0, 10).count == 10);
    CHECK(NameMatchWindow(15, 10).first == 10);
    CHECK(NameMatchWindow(15, 10).count == 20);
    CHECK(NameMatchWindow(3, 0).count == 0);

    Builder b;
    TextQuery q = b.builder.Text("etsivä nuorisotyö", Lang::kFi);
    std::vector<Hit> hits(12);
    for (size_t i = 0; i < hits.size(); ++i) {
        hits[i].id = std::string("r").append(std::to_string(i));
        hits[i].record.name.fi = "Verkosto " + std::to_string(i);
        hits[i].score = 10.0 - 0.01 * static_cast<double>(i);
    }
    hits[4].record.name.fi = "Etsivä nuorisotyö";   // in the first block: moves up
    hits[11].record.name.fi = "Etsivä nuorisotyö";  // in the second: stays there
    std::vector<Hit> page = hits;
    PreferNameMatches(*b.analyzer, q, {Lang::kFi, 0.1, 0, 12}, page);
    REQUIRE(page.size() == 12);
    CHECK(page[0].id == "r4");
    CHECK(page[10].id == "r11");
    // A page inside the window: ranks 2-4 of the same ordering.
    std::vector<Hit> part(hits.begin(), hits.begin() + 10);
    PreferNameMatches(*b.analyzer, q, {Lang::kFi, 0.1, 2, 3}, part);
    REQUIRE(part.size() == 3);
    CHECK(part[0].id == page[2].id);
    CHECK(part[2].id == page[4].id);
}

TEST_CASE("a prefix completes to written words, most frequent first") {
    testing::TempDir dir;
    auto vocab = Vocabulary::LoadEmbedded().value();
    testing::WriteGeneration(dir.path().string(), 1, testing::SearchTestRecords(), *vocab);
    Xapian::Database db(dir / "CURRENT");
    auto words = SpellingCompletions(db, "uravalmennusl", 10);
    CHECK(words == std::vector<std::string>{"uravalmennuslinjat"});
    CHECK(SpellingCompletions(db, "xyzzy", 10).empty());
    CHECK(SpellingCompletions(db, "o", 2).size() == 2);
}

}  // namespace
}  // namespace tnohaku
