// MarkText on its own: the last word typed as a prefix, with and without its accents.
#include "core/highlight.h"

#include <doctest/doctest.h>

namespace tnohaku {
namespace {

HighlightTerms PrefixOnly(const std::string& typed) {
    HighlightTerms terms;
    terms.prefix = typed;
    terms.prefix_folded = Analyzer::StripAccents(typed);
    return terms;
}

}  // namespace

TEST_CASE("a prefix typed without its accents marks the words it begins, accented or not") {
    auto created = Analyzer::Create({});
    REQUIRE_MESSAGE(created.ok(), created.status().message());
    Analyzer& analyzer = **created;
    auto mark = [&](const std::string& text, const std::string& typed) {
        return MarkText(analyzer, text, Lang::kFi, PrefixOnly(typed));
    };
    // The word's first letter is plain, an accent comes later.
    CHECK(mark("Työllisyys ja palvelut", "tyol") == "<mark>Työllisyys</mark> ja palvelut");
    // The first letter itself is accented.
    CHECK(mark("Äidinkielen opetus", "aidin") == "<mark>Äidinkielen</mark> opetus");
    CHECK(mark("Öljylämmitys", "oljy") == "<mark>Öljylämmitys</mark>");
    // Typed with accents, written without: the accent-free forms meet.
    CHECK(mark("Tyonhaku verkossa", "työn") == "<mark>Tyonhaku</mark> verkossa");
    // Words that begin otherwise stay unmarked, accented or not.
    CHECK(mark("Palvelut ja ohjaus", "tyo") == "Palvelut ja ohjaus");
    CHECK(mark("Äänestys ja öljy", "tyo") == "Äänestys ja öljy");
    CHECK(mark("Äänestys", "aanet") == "Äänestys");
}

}  // namespace tnohaku
