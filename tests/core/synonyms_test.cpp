// Query-time synonyms (core/synonyms.h): the file format and its errors, how a group
// widens a query through the Analyzer, ranking below the typed word, and rereading the
// file when it changes. Also the two-word compound alternative of core/query_builder.h.
#include <algorithm>
#include <filesystem>
#include <thread>

#include <doctest/doctest.h>

#include "core/synonyms.h"
#include "search_fixture.h"
#include "test_support.h"

namespace tnohaku {
namespace {

std::string ParseError(std::string_view text) {
    auto parsed = Synonyms::Parse(text, "syn.txt");
    REQUIRE(!parsed.ok());
    return parsed.status().message();
}

TEST_CASE("synonyms: groups of expressions, comments and spacing") {
    auto parsed = Synonyms::Parse(
        "# a comment\n\nTE ~ TE-palvelut ~  työ- ja   elinkeinopalvelut  # why\r\nunga~ungdomar\n",
        "syn.txt");
    REQUIRE_MESSAGE(parsed.ok(), parsed.status().message());
    REQUIRE(parsed->groups().size() == 2);
    CHECK(parsed->groups()[0] ==
          std::vector<std::string>{"TE", "TE-palvelut", "työ- ja elinkeinopalvelut"});
    CHECK(parsed->groups()[1] == std::vector<std::string>{"unga", "ungdomar"});
}

TEST_CASE("synonyms: a bad line is named by file:line and why") {
    CHECK(ParseError("a ~ b\nc ~ ~ d\n") == "syn.txt:2: an expression is missing between '~'");
    CHECK(ParseError("a ~ b ~\n") == "syn.txt:1: an expression is missing between '~'");
    CHECK(ParseError("\nalone\n") ==
          "syn.txt:2: a group needs two or more expressions separated by '~'");
    CHECK(ParseError("one two three four five six ~ b\n") ==
          "syn.txt:1: 'one two three four five six' has more than 5 words");
    CHECK(ParseError("Kela ~ FPA\nkela ~ x\n") ==
          "syn.txt:2: 'kela' is already in a group (each expression may be in one)");
    CHECK(ParseError("a ~ \xff\n") == "syn.txt:1: not valid UTF-8");
    auto missing = Synonyms::Load("/nonexistent/synonyms.txt");
    CHECK(!missing.ok());
}

// A searcher over the search fixture's records with a synonyms file of our own.
struct SynonymSearch {
    testing::TempDir dir;
    std::string file = dir / "synonyms.txt";
    std::unique_ptr<Searcher> searcher;

    explicit SynonymSearch(const std::string& synonyms) {
        auto vocab = Vocabulary::LoadEmbedded().value();
        std::filesystem::create_directory(dir / "index");
        testing::WriteGeneration(dir / "index", 1, testing::SearchTestRecords(), *vocab);
        testing::WriteFile(file, synonyms);
        SearcherOptions options;
        options.index_dir = dir / "index";
        options.vocab = vocab;
        options.synonyms_path = file;
        auto opened = Searcher::Open(options);
        REQUIRE_MESSAGE(opened.ok(), opened.status().message());
        searcher = std::move(opened).value();
    }
    std::vector<std::string> Ids(const std::string& q) {
        SearchRequest request;
        request.q = q + " ";  // typed to the end: no prefix matching
        request.limit = 100;
        auto result = searcher->Search(request);
        REQUIRE_MESSAGE(result.ok(), result.status().message());
        return testing::Ids(*result);
    }
};

TEST_CASE("synonyms: any inflection of an expression searches the others, below the typed word") {
    SynonymSearch s("kohtauspaikka ~ ohjaamo\nnuorisotyö ~ neuvonta\n");
    // "kohtauspaikoissa" is no record's word; its base form is in a group with Ohjaamo.
    auto found = s.Ids("kohtauspaikoissa");
    CHECK(std::find(found.begin(), found.end(), "ohjaamo-oulu") != found.end());
    CHECK(std::find(found.begin(), found.end(), "helsingin-ohjaamo") != found.end());
    // The typed word first, records with only its synonym after.
    auto ranked = s.Ids("nuorisotyötä");
    REQUIRE(!ranked.empty());
    CHECK(ranked.front() == "etsiva-nuorisotyo-vaasa");
    CHECK(std::find(ranked.begin(), ranked.end(), "aikuisten-neuvonta") != ranked.end());
}

TEST_CASE("synonyms: the file is reread when it changes, and a bad edit keeps the old ones") {
    SynonymSearch s("kohtauspaikka ~ ohjaamo\n");
    CHECK(!s.Ids("kohtauspaikka").empty());
    std::this_thread::sleep_for(std::chrono::milliseconds(20));  // a newer mtime
    testing::WriteFile(s.file, "kohtauspaikka ~ perhevapaa\n");
    CHECK(s.searcher->Refresh().ok());
    const std::vector<std::string> after = s.Ids("kohtauspaikka");
    CHECK(std::find(after.begin(), after.end(), "perhevapaa-kempele-oulu") != after.end());
    CHECK(std::find(after.begin(), after.end(), "ohjaamo-oulu") == after.end());
    testing::WriteFile(s.file, "ok ~ fine\nbroken\n");
    Status bad = s.searcher->Refresh();
    CHECK(bad.message().find("synonyms.txt:2: a group needs two or more") != std::string::npos);
    CHECK(s.Ids("kohtauspaikka") == after);
}

TEST_CASE("two words typed apart also match as the compound they form") {
    SynonymSearch s("a ~ b\n");
    // "Perhevapaalta" is one word in the record; "perhe vapaalta" typed apart.
    auto found = s.Ids("perhe vapaalta");
    REQUIRE(!found.empty());
    CHECK(found.front() == "perhevapaa-kempele-oulu");
    // The compound alternative matches the compound only, not its pieces one by one.
    CHECK(s.Ids("nuorisotyö vaasa") == std::vector<std::string>{"etsiva-nuorisotyo-vaasa"});
}

}  // namespace
}  // namespace tnohaku
