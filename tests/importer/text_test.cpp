#include "importer/text.h"

#include <doctest/doctest.h>

namespace tnohaku::importer {
namespace {

TEST_CASE("plain text stays as it is, whitespace normalised") {
    CHECK(PlainText("  Rajankäynti  on   virallinen.  ") == "Rajankäynti on virallinen.");
    CHECK(PlainText("Eka kappale. \n\n\n\nToka kappale.\r\nRivi.") ==
          "Eka kappale.\n\nToka kappale.\nRivi.");
    CHECK(PlainText("a < b ja c > d") == "a < b ja c > d");
}

TEST_CASE("Draft.js JSON becomes its blocks' text") {
    std::string draft =
        R"({"blocks":[{"key":"a","text":"Nettilukiossa opiskelet.","type":"unstyled","entityRanges":[]},)"
        R"({"key":"b","text":"verkossa","type":"unordered-list-item"},{"key":"c","text":"omaan tahtiin","type":"unordered-list-item"},)"
        R"({"key":"d","text":"Tervetuloa!","type":"unstyled"}],"entityMap":{}})";
    CHECK(PlainText(draft) ==
          "Nettilukiossa opiskelet.\n\n- verkossa\n- omaan tahtiin\n\nTervetuloa!");
    CHECK(PlainText(R"({"not":"draft"})") == R"({"not":"draft"})");
}

TEST_CASE("HTML tags go, entities are decoded") {
    CHECK(PlainText("<p>Ohjausta <b>nuorille</b> &amp; "
                    "aikuisille.</p><ul><li>yksi</li><li>kaksi</li></ul>") ==
          "Ohjausta nuorille & aikuisille.\n\n- yksi\n- kaksi");
    CHECK(PlainText("Rivi<br/>toinen&nbsp;rivi &#228; &#xE4;") == "Rivi\ntoinen rivi ä ä");
}

TEST_CASE("Markdown-ish markup is reduced to its text") {
    CHECK(PlainText("## Otsikko\n**Tärkeää**: katso [sivut](https://example.fi).\n* kohta") ==
          "Otsikko\nTärkeää: katso sivut.\n- kohta");
}

TEST_CASE("truncation counts code points and never splits UTF-8") {
    CHECK(CodePointCount("äöå") == 3);
    CHECK(Truncate("lyhyt", 10) == "lyhyt");
    std::string cut = Truncate("ääää ääää ääää", 7);
    CHECK(CodePointCount(cut) == 7);
    CHECK(cut == "ääää ä…");
    CHECK(Truncate("one two three four five six", 20) == "one two three four…");
    CHECK(CodePointCount(Truncate(std::string(50, 'x'), 10)) == 10);
}

}  // namespace
}  // namespace tnohaku::importer
