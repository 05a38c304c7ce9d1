#include "server/json_writer.h"

#include <doctest/doctest.h>
#include <rapidjson/document.h>

#include "core/html.h"
#include "server/params.h"

namespace tnohaku::server {
namespace {

const Vocabulary& Vocab() {
    static const std::shared_ptr<const Vocabulary> vocab = Vocabulary::LoadEmbedded().value();
    return *vocab;
}

rapidjson::Document Parse(const std::string& json) {
    rapidjson::Document doc;
    doc.Parse(json.data(), json.size());
    REQUIRE_FALSE(doc.HasParseError());
    return doc;
}

std::string Str(const rapidjson::Value& v) {
    return std::string(v.GetString(), v.GetStringLength());
}

// The value with this code in a facet tree, at any depth.
const rapidjson::Value* FindCode(const rapidjson::Value& values, const std::string& code) {
    for (const auto& v : values.GetArray()) {
        if (Str(v["code"]) == code) return &v;
        if (v.HasMember("children")) {
            if (const rapidjson::Value* found = FindCode(v["children"], code)) return found;
        }
    }
    return nullptr;
}

Record TrickyRecord() {
    Record r;
    r.id = "ohjaamo-oulu";
    r.type = "service";
    r.name.fi = "Ohjaamo <b>Oulu</b> & \"nuoret\"";
    r.name.en = "Ohjaamo 'Oulu'";
    r.summary.fi = "<script>alert(1)</script>";
    r.organisations.push_back({"oulun-kaupunki", "Oulu & <seutu>", "provider"});
    r.area.municipalities = {"564"};
    r.area.regions = {"17"};
    r.target_groups = {"youth"};
    r.themes = {"career-guidance"};
    r.channels = {"online"};
    r.period.start = "2015";
    Location l;
    l.name = "Torikatu <10>";
    l.municipality = "564";
    l.lat = 65.0129;
    l.lon = 25.4713;
    r.locations.push_back(l);
    r.contact.url = "https://example.org/?a=1&b=2";
    return r;
}

TEST_CASE("a search response has every documented field, with catalogue text escaped") {
    SearchRequest request;
    request.q = "<ohjaamo>";
    request.lang = Lang::kFi;
    request.near = GeoPoint{65.0, 25.5};
    request.facets = {SearchFacet::kType};
    SearchResult result;
    result.total = 1;
    result.generation = 7;
    Hit hit;
    hit.id = "ohjaamo-oulu";
    hit.record = TrickyRecord();
    hit.score = 12.3456;
    hit.distance_km = 1.23456;
    hit.highlights["name"] = "<mark>Ohjaamo</mark> &lt;b&gt;Oulu";
    result.hits.push_back(hit);
    FacetValue service{"service", "Palvelu & <muu>", 1, true, {}};
    result.facets[SearchFacet::kType] = {service};
    result.did_you_mean = "ohjaamo <x>";

    auto doc = Parse(WriteSearchResponse(result, SearchResponseContext{request, Vocab(), 1.5}));
    for (const char* key : {"total", "offset", "limit", "took_ms", "generation", "query", "hits",
                            "facets", "did_you_mean"}) {
        CAPTURE(key);
        CHECK(doc.HasMember(key));
    }
    CHECK(doc["generation"].GetUint64() == 7);
    CHECK(doc["took_ms"].GetDouble() == doctest::Approx(1.5));
    CHECK((doc.MemberEnd() - 1)->name == "took_ms");  // last: the cached part comes first
    // The result cache's form: the same answer, finished with another time.
    const SearchResponseBody body = SearchResponseBody::Of(result, {request, Vocab()});
    CHECK(body.total() == result.total);
    auto again = Parse(body.Finish(0.25));
    CHECK(again["took_ms"].GetDouble() == doctest::Approx(0.25));
    again["took_ms"].SetDouble(doc["took_ms"].GetDouble());
    CHECK(again == doc);
    CHECK(Str(doc["did_you_mean"]) == "ohjaamo &lt;x&gt;");
    CHECK(Str(doc["query"]["q"]) == "&lt;ohjaamo&gt;");
    CHECK(doc["query"]["near"]["lat"].GetDouble() == doctest::Approx(65.0));
    CHECK(doc["query"]["region"].IsArray());
    const auto& h = doc["hits"][0];
    for (const char* key : {"id", "type", "name", "names", "summary", "highlights", "organisations",
                            "areas", "target_groups", "themes", "channels", "period", "locations",
                            "url", "score", "distance_km"}) {
        CAPTURE(key);
        CHECK(h.HasMember(key));
    }
    CHECK(Str(h["name"]) == "Ohjaamo &lt;b&gt;Oulu&lt;/b&gt; &amp; &quot;nuoret&quot;");
    CHECK(Str(h["names"]["en"]) == "Ohjaamo &#39;Oulu&#39;");
    CHECK_FALSE(h["names"].HasMember("sv"));
    CHECK(Str(h["summary"]) == "&lt;script&gt;alert(1)&lt;/script&gt;");
    CHECK(Str(h["highlights"]["name"]) ==
          "<mark>Ohjaamo</mark> &lt;b&gt;Oulu");  // as the searcher made it
    CHECK(Str(h["organisations"][0]["name"]) == "Oulu &amp; &lt;seutu&gt;");
    CHECK(Str(h["url"]) == "https://example.org/?a=1&amp;b=2");
    CHECK(Str(h["areas"][0]["code"]) == "17");
    CHECK(Str(h["areas"][0]["label"]) == "Pohjois-Pohjanmaa");
    CHECK(Str(h["areas"][1]["label"]) == "Oulu");
    CHECK(Str(h["target_groups"][0]["code"]) == "youth");
    CHECK(Str(h["period"]["start"]) == "2015");
    CHECK(h["period"]["end"].IsNull());
    CHECK(Str(h["locations"][0]["name"]) == "Torikatu &lt;10&gt;");
    CHECK(h["locations"][0]["lat"].GetDouble() == doctest::Approx(65.0129));
    CHECK(Str(h["locations"][0]["municipality"]["label"]) == "Oulu");
    CHECK(h["score"].GetDouble() == doctest::Approx(12.346));
    CHECK(h["distance_km"].GetDouble() == doctest::Approx(1.235));
    const auto& type = doc["facets"]["type"][0];
    CHECK(Str(type["label"]) == "Palvelu &amp; &lt;muu&gt;");
    CHECK(type["selected"].GetBool());
    CHECK(type["count"].GetUint64() == 1);
}

TEST_CASE("display language falls back; no distance without near; no did_you_mean without one") {
    SearchRequest request;
    request.lang = Lang::kSv;
    SearchResult result;
    Hit hit;
    hit.record = TrickyRecord();
    result.hits.push_back(hit);
    auto doc = Parse(WriteSearchResponse(result, SearchResponseContext{request, Vocab(), 0}));
    CHECK(Str(doc["hits"][0]["name"]).rfind("Ohjaamo &lt;b&gt;", 0) ==
          0);                                            // fi, as there is no sv name
    CHECK(Str(doc["hits"][0]["id"]) == "ohjaamo-oulu");  // from the record
    CHECK(Str(doc["hits"][0]["areas"][0]["label"]) == "Norra Österbotten");
    CHECK_FALSE(doc["hits"][0].HasMember("distance_km"));
    CHECK_FALSE(doc.HasMember("did_you_mean"));
    CHECK(doc["query"]["near"].IsNull());
    CHECK(Str(doc["query"]["lang"]) == "sv");
}

TEST_CASE("the record response is the canonical JSON with every string escaped") {
    auto doc = Parse(WriteRecordResponse(TrickyRecord()));
    CHECK(Str(doc["id"]) == "ohjaamo-oulu");
    CHECK(Str(doc["name"]["fi"]) == "Ohjaamo &lt;b&gt;Oulu&lt;/b&gt; &amp; &quot;nuoret&quot;");
    CHECK(Str(doc["contact"]["url"]) == "https://example.org/?a=1&amp;b=2");
    CHECK(Str(doc["organisations"][0]["name"]) == "Oulu &amp; &lt;seutu&gt;");
    CHECK(doc["locations"][0]["lat"].GetDouble() == doctest::Approx(65.0129));
}

TEST_CASE("the facets response lists every vocabulary code with its count") {
    SearchResult result;
    result.total = 5;
    result.generation = 3;
    result.facets[SearchFacet::kArea] = {
        FacetValue{"17", "Pohjois-Pohjanmaa", 2, false, {FacetValue{"564", "Oulu", 1, false, {}}}}};
    result.facets[SearchFacet::kTargetGroup] = {
        FacetValue{"students", "Opiskelijat", 4, false, {}},
        FacetValue{"students-higher", "Korkeakouluopiskelijat", 3, false, {}}};
    result.facets[SearchFacet::kOrganisation] = {FacetValue{"oulu", "Oulu & co", 1, false, {}}};
    auto doc = Parse(WriteFacetsResponse(result, Lang::kEn, Vocab()));
    CHECK(doc["total"].GetUint64() == 5);
    CHECK(doc["generation"].GetUint64() == 3);
    const auto& facets = doc["facets"];
    for (SearchFacet f : kAllSearchFacets)
        CHECK(facets.HasMember(std::string(SearchFacetName(f)).c_str()));
    CHECK(facets["area"].Size() == Vocab().Codes(Facet::kRegion).size());
    bool found_oulu = false;
    for (const auto& region : facets["area"].GetArray()) {
        if (Str(region["code"]) != "17") continue;
        CHECK(region["count"].GetUint64() == 2);
        CHECK(Str(region["label"]) == "North Ostrobothnia");
        for (const auto& m : region["children"].GetArray()) {
            if (Str(m["code"]) == "564") found_oulu = m["count"].GetUint64() == 1;
        }
    }
    CHECK(found_oulu);
    const rapidjson::Value* students = FindCode(facets["target_group"], "students");
    REQUIRE(students);
    CHECK((*students)["count"].GetUint64() == 4);
    const rapidjson::Value* higher = FindCode((*students)["children"], "students-higher");
    REQUIRE(higher);
    bool found_higher = (*higher)["count"].GetUint64() == 3;
    CHECK(FindCode(facets["target_group"], "KR1")->HasMember("children"));
    CHECK(found_higher);
    CHECK(Str(facets["organisation"][0]["label"]) == "Oulu &amp; co");
    CHECK(facets["national"].Size() == 0);
}

TEST_CASE("suggestions are escaped and names carry their record id") {
    std::vector<Suggestion> suggestions = {{"Ohjaamo <Oulu>", "name", "ohjaamo-oulu"},
                                           {"ohjaus", "term", ""}};
    auto doc = Parse(WriteSuggestResponse("ohj<", suggestions));
    CHECK(Str(doc["q"]) == "ohj&lt;");
    CHECK(Str(doc["suggestions"][0]["text"]) == "Ohjaamo &lt;Oulu&gt;");
    CHECK(Str(doc["suggestions"][0]["id"]) == "ohjaamo-oulu");
    CHECK(doc["suggestions"][1]["id"].IsNull());
}

}  // namespace
}  // namespace tnohaku::server
