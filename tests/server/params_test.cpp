#include "server/params.h"

#include <doctest/doctest.h>

namespace tnohaku::server {
namespace {

const Vocabulary& Vocab() {
    static const std::shared_ptr<const Vocabulary> vocab = Vocabulary::LoadEmbedded().value();
    return *vocab;
}

ParamMap Params(std::initializer_list<std::pair<const std::string, std::string>> items) {
    return ParamMap(items);
}

TEST_CASE("no parameters give the documented defaults") {
    auto parsed = ParseSearchParams({}, Vocab());
    REQUIRE(parsed.ok());
    const SearchRequest& r = parsed.value;
    CHECK(r.q.empty());
    CHECK(r.lang == Lang::kFi);
    CHECK(r.include_national);
    CHECK(r.status == PeriodStatus::kAny);
    CHECK_FALSE(r.near.has_value());
    CHECK(r.radius_km == 50);
    CHECK(r.sort == SortOrder::kRelevance);
    CHECK(r.limit == 10);
    CHECK(r.offset == 0);
    CHECK(r.facets.size() == std::size(kAllSearchFacets));
    CHECK(r.facet_limit == 0);
}

TEST_CASE("every parameter is read") {
    auto parsed = ParseSearchParams(Params({{"q", "uraohjaus nuoret"},
                                            {"lang", "sv"},
                                            {"region", "17,18"},
                                            {"region", "01"},
                                            {"municipality", "564"},
                                            {"target_group", "youth"},
                                            {"theme", "career-guidance"},
                                            {"service_class", "P28"},
                                            {"type", "service,project"},
                                            {"channel", "online"},
                                            {"service_language", "fi"},
                                            {"funding", "eu"},
                                            {"organisation", "oulun-kaupunki"},
                                            {"national", "exclude"},
                                            {"active_on", "2024-05-01"},
                                            {"status", "active"},
                                            {"near", "65.01,25.47"},
                                            {"radius_km", "12.5"},
                                            {"sort", "distance"},
                                            {"limit", "100"},
                                            {"offset", "10000"},
                                            {"facets", "area,theme"},
                                            {"facet_limit", "5"},
                                            {"utm_source", "portal"}}),
                                    Vocab());
    REQUIRE(parsed.ok());
    const SearchRequest& r = parsed.value;
    CHECK(r.q == "uraohjaus nuoret");
    CHECK(r.lang == Lang::kSv);
    CHECK(r.regions == std::vector<std::string>{"17", "18", "01"});
    CHECK(r.municipalities == std::vector<std::string>{"564"});
    CHECK(r.filters.at(SearchFacet::kType) == std::vector<std::string>{"service", "project"});
    CHECK(r.filters.at(SearchFacet::kOrganisation) == std::vector<std::string>{"oulun-kaupunki"});
    CHECK(r.filters.at(SearchFacet::kServiceClass) == std::vector<std::string>{"P28"});
    CHECK_FALSE(r.include_national);
    REQUIRE(r.active_on.has_value());
    CHECK(r.status == PeriodStatus::kActive);
    REQUIRE(r.near.has_value());
    CHECK(r.near->lat == doctest::Approx(65.01));
    CHECK(r.near->lon == doctest::Approx(25.47));
    CHECK(r.radius_km == doctest::Approx(12.5));
    CHECK(r.sort == SortOrder::kDistance);
    CHECK(r.limit == 100);
    CHECK(r.offset == 10000);
    CHECK(r.facets == std::vector<SearchFacet>{SearchFacet::kArea, SearchFacet::kTheme});
    CHECK(r.facet_limit == 5);
}

TEST_CASE("filter values: comma lists, repeats, empty items and duplicates") {
    auto parsed = ParseSearchParams(
        Params({{"theme", "digital,,digital"}, {"theme", "career-guidance,"}}), Vocab());
    REQUIRE(parsed.ok());
    CHECK(parsed.value.filters.at(SearchFacet::kTheme) ==
          std::vector<std::string>{"digital", "career-guidance"});
}

TEST_CASE("an empty value counts as not given; facets=none counts none") {
    auto parsed = ParseSearchParams(
        Params({{"lang", ""}, {"limit", ""}, {"facets", "none"}, {"region", ""}}), Vocab());
    REQUIRE(parsed.ok());
    CHECK(parsed.value.lang == Lang::kFi);
    CHECK(parsed.value.limit == 10);
    CHECK(parsed.value.facets.empty());
    CHECK(parsed.value.regions.empty());
}

TEST_CASE("sort=distance with near is fine; q of exactly 500 characters is fine") {
    std::string q;
    for (int i = 0; i < 500; ++i) q += "ä";
    auto parsed = ParseSearchParams(
        Params({{"q", q}, {"near", "60.17,24.94"}, {"sort", "distance"}}), Vocab());
    CHECK(parsed.ok());
}

struct BadCase {
    std::vector<std::pair<std::string, std::string>> params;
    const char* parameter;
    const char* message_part;
};

TEST_CASE("every rejected parameter is named") {
    std::string long_q(501, 'a');
    std::string many_regions;
    for (int i = 0; i < 51; ++i) many_regions.append(i ? "," : "").append(i % 2 ? "01" : "02");
    std::string many_values;
    for (int i = 0; i < 51; ++i) many_values.append(i ? ",org-" : "org-").append(std::to_string(i));
    const BadCase cases[] = {
        {{{"q", long_q}}, "q", "longer than 500"},
        {{{"q", "\xff\xfe"}}, "q", "UTF-8"},
        {{{"q", "a\x01"}}, "q", "control"},
        {{{"q", "a"}, {"q", "b"}}, "q", "more than once"},
        {{{"lang", "de"}}, "lang", "fi, sv or en"},
        {{{"region", "99"}}, "region", "unknown code 99"},
        {{{"municipality", "999"}}, "municipality", "unknown code"},
        {{{"target_group", "aliens"}}, "target_group", "aliens"},
        {{{"theme", "Digital"}}, "theme", "unknown code"},
        {{{"service_class", "P999"}}, "service_class", "unknown code"},
        {{{"type", "shop"}}, "type", "unknown code"},
        {{{"channel", "pigeon"}}, "channel", "unknown code"},
        {{{"service_language", "klingon"}}, "service_language", "unknown code"},
        {{{"funding", "lottery"}}, "funding", "unknown code"},
        {{{"organisation", "Oulun Kaupunki"}}, "organisation", "[a-z0-9-]"},
        {{{"organisation", many_values}}, "organisation", "more than 50"},
        {{{"national", "only"}}, "national", "include or exclude"},
        {{{"active_on", "2024-13-01"}}, "active_on", "YYYY-MM-DD"},
        {{{"active_on", "2024"}}, "active_on", "YYYY-MM-DD"},
        {{{"active_on", "1.5.2024"}}, "active_on", "YYYY-MM-DD"},
        {{{"status", "current"}}, "status", "active, ended"},
        {{{"near", "65.01"}}, "near", "lat,lon"},
        {{{"near", "abc,def"}}, "near", "lat,lon"},
        {{{"near", "25.47,65.01"}}, "near", "Finland"},
        {{{"near", "7213000,428000"}}, "near", "Finland"},
        {{{"near", "nan,25"}}, "near", "lat,lon"},
        {{{"near", "65,25"}, {"radius_km", "0"}}, "radius_km", "above 0"},
        {{{"near", "65,25"}, {"radius_km", "1001"}}, "radius_km", "1000"},
        {{{"sort", "random"}}, "sort", "relevance, name"},
        {{{"sort", "distance"}}, "sort", "near"},
        {{{"limit", "101"}}, "limit", "0 to 100"},
        {{{"limit", "-1"}}, "limit", "0 to 100"},
        {{{"limit", "ten"}}, "limit", "whole number"},
        {{{"limit", "5x"}}, "limit", "whole number"},
        {{{"offset", "10001"}}, "offset", "0 to 10000"},
        {{{"facets", "area,colour"}}, "facets", "unknown facet colour"},
        {{{"facet_limit", "1001"}}, "facet_limit", "0 to 1000"},
        {{{"region", many_regions}}, "region", "more than 50"},
    };
    for (const auto& c : cases) {
        ParamMap params(c.params.begin(), c.params.end());
        auto parsed = ParseSearchParams(params, Vocab());
        CAPTURE(c.parameter);
        CAPTURE(c.message_part);
        REQUIRE_FALSE(parsed.ok());
        CHECK(parsed.status.code() == Status::Code::kInvalidArgument);
        CHECK(parsed.parameter == c.parameter);
        CHECK(parsed.status.message().find(c.message_part) != std::string::npos);
    }
}

TEST_CASE("client text quoted in messages is printable ASCII") {
    auto parsed = ParseSearchParams(Params({{"theme", "\xff\xfe<x>\n"}}), Vocab());
    REQUIRE_FALSE(parsed.ok());
    CHECK(parsed.status.message() ==
          "theme: unknown code ?"
          "?<x>?");  // split: no trigraph
    auto long_code = ParseSearchParams(Params({{"funding", std::string(300, 'z')}}), Vocab());
    CHECK(long_code.status.message() == "funding: unknown code " + std::string(40, 'z') + "...");
}

TEST_CASE("50 filter values across parameters are fine, 51 are not") {
    std::string fifty;
    for (int i = 0; i < 50; ++i) fifty.append(i ? ",org-" : "org-").append(std::to_string(i));
    CHECK(ParseSearchParams(Params({{"organisation", fifty}}), Vocab()).ok());
    auto parsed = ParseSearchParams(Params({{"organisation", fifty}, {"region", "17"}}), Vocab());
    REQUIRE_FALSE(parsed.ok());
    CHECK(parsed.parameter == "organisation");  // counted in FilterParams order: region first
}

TEST_CASE("suggest parameters") {
    auto ok = ParseSuggestParams(Params({{"q", "ohj"}, {"lang", "en"}, {"limit", "3"}}));
    REQUIRE(ok.ok());
    CHECK(ok.value.q == "ohj");
    CHECK(ok.value.lang == Lang::kEn);
    CHECK(ok.value.limit == 3);
    CHECK(ParseSuggestParams({}).value.limit == kMaxSuggestions);
    CHECK(ParseSuggestParams(Params({{"limit", "11"}})).parameter == "limit");
    CHECK(ParseSuggestParams(Params({{"limit", "0"}})).parameter == "limit");
    CHECK(ParseSuggestParams(Params({{"q", std::string(501, 'x')}})).parameter == "q");
    CHECK(ParseLangParam(Params({{"lang", "xx"}})).parameter == "lang");
    CHECK(ParseLangParam(Params({{"lang", "sv"}})).value == Lang::kSv);
}

TEST_CASE("names of sort orders and statuses round-trip through the parser") {
    for (SortOrder s : {SortOrder::kRelevance, SortOrder::kName, SortOrder::kStartDate,
                        SortOrder::kEndDate, SortOrder::kUpdated}) {
        auto parsed = ParseSearchParams(Params({{"sort", std::string(SortOrderName(s))}}), Vocab());
        REQUIRE(parsed.ok());
        CHECK(parsed.value.sort == s);
    }
    for (PeriodStatus s : {PeriodStatus::kAny, PeriodStatus::kActive, PeriodStatus::kEnded,
                           PeriodStatus::kUpcoming}) {
        auto parsed =
            ParseSearchParams(Params({{"status", std::string(PeriodStatusName(s))}}), Vocab());
        REQUIRE(parsed.ok());
        CHECK(parsed.value.status == s);
    }
}

}  // namespace
}  // namespace tnohaku::server
