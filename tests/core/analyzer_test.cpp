// Analyzer tests, run against the real Voikko dictionary (voikko-fi) and ICU: what a
// person types must meet what the catalogue says, and must not meet what it does not.
#include "core/analyzer.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace tnohaku {
namespace {

std::unique_ptr<Analyzer> MakeAnalyzer(const AnalyzerOptions& options = {}) {
    auto analyzer = Analyzer::Create(options);
    REQUIRE_MESSAGE(analyzer.ok(), analyzer.status().message());
    return std::move(analyzer).value();
}

const char* KindName(TermKind kind) {
    switch (kind) {
        case TermKind::kWhole:
            return "W";
        case TermKind::kPart:
            return "P";
        case TermKind::kFolded:
            return "A";
    }
    return "?";
}

// "[nuorille: W:nuori W:nuora]" — shown when a check fails.
std::string Dump(const std::vector<Token>& tokens) {
    std::string out;
    for (const Token& token : tokens) {
        out += "[" + token.surface + ":";
        for (const Term& term : token.terms)
            out += std::string(" ") + KindName(term.kind) + ":" + term.text;
        out += "] ";
    }
    return out;
}

bool SharesTerm(const Token& a, const Token& b) {
    return std::any_of(a.terms.begin(), a.terms.end(), [&](const Term& x) {
        return std::any_of(b.terms.begin(), b.terms.end(),
                           [&](const Term& y) { return x.text == y.text; });
    });
}

// The same, but as the index stores them: whole and part terms meet whole and part terms
// (a query word may be a compound part in the text), accent-free forms meet accent-free.
bool SharesTermByField(const Token& query, const Token& text) {
    auto folded = [](const Term& t) { return t.kind == TermKind::kFolded; };
    return std::any_of(query.terms.begin(), query.terms.end(), [&](const Term& x) {
        return std::any_of(text.terms.begin(), text.terms.end(), [&](const Term& y) {
            return x.text == y.text && folded(x) == folded(y);
        });
    });
}

// "Query Q finds text T": every query token shares a term with some token of the text,
// which models the query builder's AND of words, each an OR of its terms.
bool Finds(Analyzer& analyzer, std::string_view query, std::string_view text, Lang lang,
           bool (*shares)(const Token&, const Token&)) {
    std::vector<Token> q = analyzer.AnalyzeQuery(query, lang);
    std::vector<Token> t = analyzer.Analyze(text, lang);
    return !q.empty() && std::all_of(q.begin(), q.end(), [&](const Token& qt) {
        return std::any_of(t.begin(), t.end(), [&](const Token& tt) { return shares(qt, tt); });
    });
}

std::string Explain(Analyzer& analyzer, std::string_view query, std::string_view text, Lang lang) {
    return "query " + Dump(analyzer.AnalyzeQuery(query, lang)) + "\ntext  " +
           Dump(analyzer.Analyze(text, lang));
}

void CheckFinds(Analyzer& analyzer, std::string_view query, std::string_view text,
                Lang lang = Lang::kFi) {
    CHECK_MESSAGE(Finds(analyzer, query, text, lang, SharesTerm),
                  Explain(analyzer, query, text, lang));
    CHECK_MESSAGE(Finds(analyzer, query, text, lang, SharesTermByField),
                  Explain(analyzer, query, text, lang));
}

void CheckDoesNotFind(Analyzer& analyzer, std::string_view query, std::string_view text,
                      Lang lang = Lang::kFi) {
    CHECK_MESSAGE(!Finds(analyzer, query, text, lang, SharesTerm),
                  Explain(analyzer, query, text, lang));
}

const Term* FindTerm(const Token& token, std::string_view text) {
    auto it = std::find_if(token.terms.begin(), token.terms.end(),
                           [&](const Term& t) { return t.text == text; });
    return it == token.terms.end() ? nullptr : &*it;
}

TEST_CASE("Finnish inflected forms find each other through Voikko's base forms") {
    auto analyzer = MakeAnalyzer();
    const char* forms[] = {"nuoret", "nuorille", "nuorten"};
    for (const char* query : forms) {
        for (const char* text : forms) {
            CAPTURE(query);
            CAPTURE(text);
            CheckFinds(*analyzer, query, text);
        }
    }
    CheckFinds(*analyzer, "osaamiskeskus", "osaamiskeskuksissa");
    CheckFinds(*analyzer, "lukio", "Aikuisten lukiokoulutus");
}

TEST_CASE("a word finds the compounds it is a part of") {
    auto analyzer = MakeAnalyzer();
    CheckFinds(*analyzer, "palvelu", "työllisyyspalvelut");
    CheckFinds(*analyzer, "maahanmuuttaja", "maahanmuuttajataustaisten");
    CheckFinds(*analyzer, "koulutus", "Aikuisten lukiokoulutus");
    // Derived from one verb (ohjata): the action finds the agent.
    CheckFinds(*analyzer, "ohjaus", "ohjaajien");
    CheckFinds(*analyzer, "osaaminen", "osaamiskeskuksissa");
}

TEST_CASE("hyphenated compounds are searchable whole and by their parts") {
    auto analyzer = MakeAnalyzer();
    CheckFinds(*analyzer, "opinto-ohjaus", "opinto-ohjaajien");
    CheckFinds(*analyzer, "opinto-ohjaus", "Lukiokoulutuksen opinto-ohjaus");
    CheckFinds(*analyzer, "TE-palvelut", "TE-palveluiden");
    CheckFinds(*analyzer, "TE-palvelut", "te palvelut");
    CheckFinds(*analyzer, "te palvelut", "TE-palveluiden");
    CheckFinds(*analyzer, "osaajat", "kv-osaajat");

    std::vector<Token> tokens = analyzer->Analyze("TE-palvelut ja opinto-ohjaus", Lang::kFi);
    REQUIRE(tokens.size() == 3);
    CHECK(tokens[0].terms.front() == Term{"te-palvelu", TermKind::kWhole});
    CHECK(FindTerm(tokens[0], "palvelu")->kind == TermKind::kPart);
    CHECK(tokens[2].terms.front() == Term{"opinto-ohjaus", TermKind::kWhole});
    CHECK(FindTerm(tokens[2], "opinto")->kind == TermKind::kPart);
    CHECK(FindTerm(tokens[2], "ohjaus")->kind == TermKind::kPart);
}

TEST_CASE("a query typed without umlauts finds the words with them") {
    auto analyzer = MakeAnalyzer();
    CheckFinds(*analyzer, "etsiva nuorisotyo", "Etsivä nuorisotyö");
    CheckFinds(*analyzer, "tyollisyyspalvelut", "työllisyyspalveluihin");

    std::vector<Token> query = analyzer->AnalyzeQuery("nuorisotyo", Lang::kFi);
    REQUIRE(query.size() == 1);
    CHECK(query[0].terms.front() == Term{"nuorisotyö", TermKind::kWhole});
    // The text as typed is kept too, for words that are not in the dictionary.
    CHECK(FindTerm(query[0], "nuorisotyo") != nullptr);
    // Indexing does not guess: an unknown word is only stemmed.
    CHECK(FindTerm(analyzer->Analyze("nuorisotyo", Lang::kFi)[0], "nuorisotyö") == nullptr);
}

TEST_CASE("Swedish and English use their Snowball stemmers") {
    auto analyzer = MakeAnalyzer();
    CheckFinds(*analyzer, "ungdomar", "ungdomarna", Lang::kSv);
    CheckFinds(*analyzer, "guidance", "Guidance services", Lang::kEn);
    CheckFinds(*analyzer, "vagledning", "Vägledning för vuxna", Lang::kSv);
    CheckDoesNotFind(*analyzer, "ungdomar", "vuxna", Lang::kSv);
}

TEST_CASE("different words do not meet") {
    auto analyzer = MakeAnalyzer();
    CheckDoesNotFind(*analyzer, "nuoret", "vanhukset");
    CheckDoesNotFind(*analyzer, "palvelu", "nuorisotyö");
    CheckDoesNotFind(*analyzer, "opinto-ohjaus", "työllisyyspalvelut");
}

TEST_CASE("byte offsets slice the original text back to each word as written") {
    auto analyzer = MakeAnalyzer();
    const std::string text =
        "Etsivä NUORISOTYÖ: TE-palvelut, opinto‐ohjaus (2024–2028) EU:n p5.1 ja ä.";
    const std::vector<std::string> words = {"Etsivä", "NUORISOTYÖ", "TE-palvelut", "opinto‐ohjaus",
                                            "2024",   "2028",       "EU:n",        "p5.1",
                                            "ja",     "ä"};
    std::vector<Token> tokens = analyzer->Analyze(text, Lang::kFi);
    REQUIRE_MESSAGE(tokens.size() == words.size(), Dump(tokens));
    for (size_t i = 0; i < tokens.size(); ++i) {
        CHECK(text.substr(tokens[i].begin, tokens[i].end - tokens[i].begin) == words[i]);
        CHECK(tokens[i].position == i + 1);
    }
    CHECK(tokens[1].surface == "nuorisotyö");
    CHECK(tokens[3].surface == "opinto-ohjaus");  // U+2010 written as "-"
    CHECK(tokens[6].terms.front() == Term{"eu", TermKind::kWhole});

    // Decomposed input (a + combining diaeresis) is normalised but keeps its offsets.
    const std::string nfd = "Etsiva\xCC\x88 nuoret";
    tokens = analyzer->Analyze(nfd, Lang::kFi);
    REQUIRE(tokens.size() == 2);
    CHECK(tokens[0].surface == "etsivä");
    CHECK(tokens[0].end == 8);
    CHECK(tokens[1].begin == 9);
}

TEST_CASE("a compound's base form is whole, its components are parts") {
    auto analyzer = MakeAnalyzer();
    std::vector<Token> tokens = analyzer->Analyze("työllisyyspalveluihin", Lang::kFi);
    REQUIRE(tokens.size() == 1);
    const Token& token = tokens[0];
    INFO(Dump(tokens));
    CHECK(token.terms.front() == Term{"työllisyyspalvelu", TermKind::kWhole});
    REQUIRE(FindTerm(token, "palvelu") != nullptr);
    CHECK(FindTerm(token, "palvelu")->kind == TermKind::kPart);
    CHECK(FindTerm(token, "työllisyys")->kind == TermKind::kPart);
    CHECK(FindTerm(token, "tyollisyyspalvelu")->kind == TermKind::kFolded);
    // Noun roots of derivations are not parts (työ → työllisyys drifts in meaning).
    CHECK(FindTerm(token, "työ") == nullptr);
}

TEST_CASE("terms are distinct, whole first, short enough, and never empty") {
    auto analyzer = MakeAnalyzer();
    const std::string long_word(130, 'x');
    std::string text =
        "Nuorille ja maahanmuuttajataustaisten nuorten lukiokoulutuksen opinto-ohjaajien " +
        long_word + " Pohjois-Pohjanmaan ELY-keskuksen kv-osaajat";
    for (bool query : {false, true}) {
        CAPTURE(query);
        std::vector<Token> tokens =
            query ? analyzer->AnalyzeQuery(text, Lang::kFi) : analyzer->Analyze(text, Lang::kFi);
        CHECK(tokens.size() == 9);  // the 130-byte word is left out
        for (const Token& token : tokens) {
            INFO(Dump({token}));
            REQUIRE(!token.terms.empty());
            CHECK(token.terms.front().kind == TermKind::kWhole);
            CHECK(std::is_sorted(token.terms.begin(), token.terms.end(),
                                 [](const Term& a, const Term& b) { return a.kind < b.kind; }));
            for (size_t i = 0; i < token.terms.size(); ++i) {
                CHECK(!token.terms[i].text.empty());
                CHECK(token.terms[i].text.size() <= 120);
                for (size_t j = 0; j < i; ++j) CHECK_FALSE(token.terms[i] == token.terms[j]);
            }
        }
    }
}

TEST_CASE("numbers and codes pass through as they are written") {
    auto analyzer = MakeAnalyzer();
    for (Lang lang : kAllLangs) {
        std::vector<Token> tokens = analyzer->Analyze("2024 P5.1", lang);
        REQUIRE(tokens.size() == 2);
        CHECK(tokens[0].terms == std::vector<Term>{{"2024", TermKind::kWhole}});
        CHECK(tokens[1].terms == std::vector<Term>{{"p5.1", TermKind::kWhole}});
    }
    // Finnish inflects numbers after a colon: "vuoden 2024:n" is 2024.
    std::vector<Token> inflected = analyzer->Analyze("2024:n", Lang::kFi);
    REQUIRE(inflected.size() == 1);
    CHECK(inflected[0].terms == std::vector<Term>{{"2024", TermKind::kWhole}});
    std::vector<Token> query = analyzer->AnalyzeQuery("p5.1", Lang::kFi);
    REQUIRE(query.size() == 1);
    CHECK(query[0].terms.front() == Term{"p5.1", TermKind::kWhole});
}

TEST_CASE("a query gives the accent-free form of every term, for the accent-free field") {
    auto analyzer = MakeAnalyzer();
    std::vector<Token> query = analyzer->AnalyzeQuery("nuoret", Lang::kFi);
    REQUIRE(query.size() == 1);
    CHECK(FindTerm(query[0], "nuori")->kind == TermKind::kWhole);
    CHECK(std::count(query[0].terms.begin(), query[0].terms.end(),
                     Term{"nuori", TermKind::kFolded}) == 1);
    // Indexing stores an accent-free form only where it differs.
    std::vector<Token> text = analyzer->Analyze("nuoret", Lang::kFi);
    CHECK(std::none_of(text[0].terms.begin(), text[0].terms.end(),
                       [](const Term& t) { return t.kind == TermKind::kFolded; }));
}

TEST_CASE("a tiny cache that is cleared all the time gives the same terms") {
    auto cached = MakeAnalyzer();
    AnalyzerOptions options;
    options.cache_capacity = 2;
    auto tiny = MakeAnalyzer(options);
    const char* text = "Nuorille nuorten nuoret työllisyyspalveluihin TE-palvelut nuorille nuoret";
    for (int round = 0; round < 2; ++round) {
        CHECK(Dump(cached->Analyze(text, Lang::kFi)) == Dump(tiny->Analyze(text, Lang::kFi)));
        CHECK(Dump(cached->AnalyzeQuery(text, Lang::kFi)) ==
              Dump(tiny->AnalyzeQuery(text, Lang::kFi)));
    }
}

TEST_CASE("Fold case-folds and normalises; StripAccents removes diacritics") {
    CHECK(Analyzer::Fold("ÄITI Öljy") == "äiti öljy");
    CHECK(Analyzer::Fold("A\xCC\x88iti") == "äiti");  // decomposed Ä → NFC ä
    CHECK(Analyzer::Fold("Straße") == "strasse");
    CHECK(Analyzer::StripAccents("äö å") == "ao a");
    CHECK(Analyzer::StripAccents("éüšž") == "eusz");
    CHECK(Analyzer::StripAccents("plain") == "plain");
}

}  // namespace
}  // namespace tnohaku
