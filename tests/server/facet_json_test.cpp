#include "server/facet_json.h"

#include <doctest/doctest.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "core/html.h"

namespace tnohaku::server {
namespace {

// What RapidJSON's writer makes of the HTML-escaped text: the bytes the hand-written
// output must equal.
std::string ThroughWriter(std::string_view text) {
    const std::string escaped = EscapeHtml(text);
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    writer.String(escaped.data(), static_cast<rapidjson::SizeType>(escaped.size()));
    return std::string(buffer.GetString(), buffer.GetSize());
}

std::string Appended(std::string_view text) {
    std::string out = "x";  // appends, never replaces
    AppendJsonText(text, out);
    REQUIRE(out.front() == 'x');
    return out.substr(1);
}

TEST_CASE("AppendJsonText writes the same bytes as RapidJSON's writer after EscapeHtml") {
    for (int c = 0; c < 256; ++c) {
        const std::string one(1, static_cast<char>(c));
        CAPTURE(c);
        CHECK(Appended(one) == ThroughWriter(one));
        const std::string inside = "Oulun kaupunki" + one + "Ohjaamo";
        CHECK(Appended(inside) == ThroughWriter(inside));
    }
    for (std::string_view text :
         {"", "Pohjois-Pohjanmaa", "Työ- ja elinkeinotoimisto", "Åbo Akademi", "R&D <b>\"'", "a\\b",
          "tab\there", "line\nbreak", "\x1a\x1f\x7f", "\xe2\x80\xa8 separator"}) {
        CAPTURE(text);
        CHECK(Appended(text) == ThroughWriter(text));
    }
}

TEST_CASE("AppendFacetValuesJson writes values, children and escapes as valid JSON") {
    std::vector<FacetValue> values = {
        {"17", "Pohjois-Pohjanmaa", 2, false, {{"564", "Oulu \"&\" <Oulunsalo>", 1, true, {}}}},
        {"x\\y", "tab\tcontrol\x01", 18446744073709551615ull, true, {}},
        {"empty", "", 0, false, {}}};
    std::string json;
    AppendFacetValuesJson(values, json);
    rapidjson::Document doc;
    doc.Parse(json.data(), json.size());
    REQUIRE_FALSE(doc.HasParseError());
    REQUIRE(doc.IsArray());
    REQUIRE(doc.Size() == 3);
    CHECK(std::string(doc[0]["code"].GetString()) == "17");
    CHECK(doc[0]["count"].GetUint64() == 2);
    CHECK_FALSE(doc[0]["selected"].GetBool());
    const auto& child = doc[0]["children"][0];
    CHECK(std::string(child["label"].GetString()) == "Oulu &quot;&amp;&quot; &lt;Oulunsalo&gt;");
    CHECK(child["selected"].GetBool());
    CHECK_FALSE(child.HasMember("children"));
    CHECK(std::string(doc[1]["code"].GetString()) == "x\\y");
    CHECK(std::string(doc[1]["label"].GetString()) == "tab\tcontrol\x01");
    CHECK(doc[1]["count"].GetUint64() == 18446744073709551615ull);
    CHECK(std::string(doc[2]["label"].GetString()).empty());
    CHECK_FALSE(doc[2].HasMember("children"));

    std::string none;
    AppendFacetValuesJson({}, none);
    CHECK(none == "[]");
}

TEST_CASE("AppendFacetsJson writes an object of facets whose size FacetsJsonSize knows exactly") {
    const std::map<SearchFacet, std::vector<FacetValue>> facets = {
        {SearchFacet::kArea,
         {{"17", "Pohjois-Pohjanmaa", 2, false, {{"564", "Oulu <Oulunsalo>", 1, true, {}}}}}},
        {SearchFacet::kOrganisation,
         {{"org-1", "Työ- ja elinkeinotoimisto", 12345, false, {}, true},
          {"org-2", "R&D \"Ohjaamo\"\tline\n", 0, false, {}},
          {"", "", 18446744073709551615ull, true, {}}}},
        {SearchFacet::kNational, {}}};
    std::string json = "prefix";  // appends, never replaces
    AppendFacetsJson(facets, json);
    REQUIRE(json.rfind("prefix", 0) == 0);
    CHECK(json.size() - 6 == FacetsJsonSize(facets));
    rapidjson::Document doc;
    doc.Parse(json.data() + 6, json.size() - 6);
    REQUIRE_FALSE(doc.HasParseError());
    REQUIRE(doc.IsObject());
    CHECK(doc.MemberCount() == 3);
    CHECK(doc["area"][0]["children"][0]["label"] == "Oulu &lt;Oulunsalo&gt;");
    CHECK(doc["organisation"][1]["label"] == "R&amp;D &quot;Ohjaamo&quot;\tline\n");
    CHECK(doc["organisation"][2]["count"].GetUint64() == 18446744073709551615ull);
    CHECK(doc["national"].IsArray());
    CHECK(doc["national"].Empty());

    std::string none;
    AppendFacetsJson({}, none);
    CHECK(none == "{}");
    CHECK(FacetsJsonSize({}) == 2);
}

}  // namespace
}  // namespace tnohaku::server
