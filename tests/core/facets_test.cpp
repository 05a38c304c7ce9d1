// Facet counts and filters against a brute-force reference: the semantics of
// core/facets.h and core/query_builder.h implemented plainly over the Record structs, and
// compared with what the searcher answers for many combinations of filters.
#include "core/facets.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include <doctest/doctest.h>

#include "core/geo.h"
#include "search_fixture.h"

namespace tnohaku {
namespace {

using testing::SearchIndex;

// ---------------------------------------------------------------------------------------
// The reference

std::string Slug(const Organisation& o) {
    if (!o.id.empty()) return o.id;
    std::string slug;
    for (unsigned char c : Analyzer::StripAccents(Analyzer::Fold(o.name))) {
        if (std::isalnum(c)) {
            slug += static_cast<char>(c);
        } else if (!slug.empty() && slug.back() != '-') {
            slug += '-';
        }
    }
    while (!slug.empty() && slug.back() == '-') slug.pop_back();
    return slug;
}

struct Reference {
    const Vocabulary& vocab;
    int32_t today = TodayInHelsinki();

    std::set<std::string> Codes(const Record& r, SearchFacet f) const {
        std::set<std::string> out;
        auto expand = [&](Facet vf, const std::vector<std::string>& codes) {
            for (const auto& c : codes) {
                for (const auto& a : vocab.SelfAndAncestors(vf, c)) out.insert(a);
            }
        };
        switch (f) {
            case SearchFacet::kType:
                out.insert(r.type);
                break;
            case SearchFacet::kTargetGroup:
                expand(Facet::kTargetGroup, r.target_groups);
                break;
            case SearchFacet::kTheme:
                expand(Facet::kTheme, r.themes);
                break;
            case SearchFacet::kServiceClass:
                expand(Facet::kServiceClass, r.service_classes);
                break;
            case SearchFacet::kChannel:
                expand(Facet::kChannel, r.channels);
                break;
            case SearchFacet::kServiceLanguage:
                expand(Facet::kServiceLanguage, r.service_languages);
                break;
            case SearchFacet::kFunding:
                expand(Facet::kFunding, r.funding);
                break;
            case SearchFacet::kOrganisation:
                for (const auto& o : r.organisations) out.insert(Slug(o));
                break;
            case SearchFacet::kArea:
            case SearchFacet::kNational:
                break;
        }
        return out;
    }

    bool InRegion(const Record& r, const std::string& region) const {
        if (std::count(r.area.regions.begin(), r.area.regions.end(), region)) return true;
        return std::any_of(r.area.municipalities.begin(), r.area.municipalities.end(),
                           [&](const std::string& m) { return vocab.RegionOf(m) == region; });
    }
    bool InMunicipality(const Record& r, const std::string& m) const {
        return std::count(r.area.municipalities.begin(), r.area.municipalities.end(), m) ||
               std::count(r.area.regions.begin(), r.area.regions.end(), vocab.RegionOf(m));
    }

    bool Passes(const Record& r, const SearchRequest& q) const {
        if (!q.include_national && r.area.national) return false;
        if (!q.regions.empty() || !q.municipalities.empty()) {
            bool ok = q.include_national && r.area.national;
            for (const auto& region : q.regions) ok = ok || InRegion(r, region);
            for (const auto& m : q.municipalities) ok = ok || InMunicipality(r, m);
            if (!ok) return false;
        }
        for (const auto& [facet, wanted] : q.filters) {
            if (wanted.empty()) continue;
            auto have = Codes(r, facet);
            if (std::none_of(wanted.begin(), wanted.end(),
                             [&](const std::string& c) { return have.count(c) > 0; })) {
                return false;
            }
        }
        std::optional<int32_t> start, end;
        if (auto d = ParsePartialDate(r.period.start)) start = FirstDay(*d);
        if (auto d = ParsePartialDate(r.period.end)) end = LastDay(*d);
        if (q.active_on) {
            if (start && *start > *q.active_on) return false;
            if (end && *end < *q.active_on) return false;
        }
        bool ended = end && *end < today, upcoming = start && *start > today;
        switch (q.status) {
            case PeriodStatus::kAny:
                break;
            case PeriodStatus::kActive:
                if (ended || upcoming) return false;
                break;
            case PeriodStatus::kEnded:
                if (!ended) return false;
                break;
            case PeriodStatus::kUpcoming:
                if (!upcoming) return false;
                break;
        }
        if (q.near) {
            std::optional<double> best;
            for (const auto& l : r.locations) {
                double d = HaversineKm(q.near->lat, q.near->lon, *l.lat, *l.lon);
                if (!best || d < *best) best = d;
            }
            if (!best || *best > q.radius_km) return false;
        }
        return true;
    }

    uint64_t Count(const std::vector<const Record*>& text_matches, const SearchRequest& q) const {
        return std::count_if(text_matches.begin(), text_matches.end(),
                             [&](const Record* r) { return Passes(*r, q); });
    }

    // The count of one facet value: the request with that value the only one selected.
    uint64_t ValueCount(const std::vector<const Record*>& text_matches, SearchRequest q,
                        SearchFacet f, const std::string& code) const {
        switch (f) {
            case SearchFacet::kArea:
                q.regions.clear();
                q.municipalities.clear();
                (code.size() == 2 ? q.regions : q.municipalities).push_back(code);
                return Count(text_matches, q);
            case SearchFacet::kNational: {
                q.include_national = true;
                bool national = code == "national";
                return std::count_if(
                    text_matches.begin(), text_matches.end(),
                    [&](const Record* r) { return r->area.national == national && Passes(*r, q); });
            }
            default:
                q.filters[f] = {code};
                return Count(text_matches, q);
        }
    }
};

// The records the text alone finds (no filters), as the searcher finds them.
std::vector<const Record*> TextMatches(const std::string& q) {
    SearchIndex& index = SearchIndex::Get();
    SearchRequest request;
    request.q = q;
    request.limit = 1000;
    SearchResult result = testing::MustSearch(request);
    std::vector<const Record*> out;
    for (const auto& id : testing::Ids(result)) out.push_back(&index.Find(id));
    return out;
}

using testing::Lcg;

template <typename T>
const T& PickFrom(Lcg& rng, const std::vector<T>& options, size_t empty_weight = 2) {
    size_t i = rng.Pick(options.size() + empty_weight);
    return i < options.size() ? options[i] : options.front();
}

using Codes = std::vector<std::string>;

SearchRequest RandomRequest(Lcg& rng, const std::string& q) {
    SearchRequest r;
    r.q = q;
    r.limit = 100;
    r.facets.assign(std::begin(kAllSearchFacets), std::end(kAllSearchFacets));
    r.regions = PickFrom<Codes>(rng, {{}, {"17"}, {"15"}, {"01"}, {"17", "15"}});
    r.municipalities =
        PickFrom<Codes>(rng, {{}, {"564"}, {"244"}, {"905"}, {"244", "905"}, {"091"}}, 4);
    r.include_national = rng.Pick(3) != 0;
    const std::vector<std::pair<SearchFacet, std::vector<Codes>>> options = {
        {SearchFacet::kTargetGroup,
         {{}, {"youth"}, {"students"}, {"KR1"}, {"guidance-staff", "youth"}}},
        {SearchFacet::kTheme, {{}, {"topic"}, {"study-guidance"}, {"strategy"}}},
        {SearchFacet::kType, {{}, {"service"}, {"project", "network"}}},
        {SearchFacet::kChannel, {{}, {"online"}, {"face-to-face", "chat"}}},
        {SearchFacet::kFunding, {{}, {"eu"}, {"state"}}},
        {SearchFacet::kOrganisation, {{}, {"oulun-kaupunki"}, {"pohjois-pohjanmaan-liitto"}}},
        {SearchFacet::kServiceLanguage, {{}, {"fi"}, {"sv"}}},
        {SearchFacet::kServiceClass, {{}, {"P5"}}},
    };
    for (const auto& [facet, choices] : options) {
        const Codes& codes = PickFrom(rng, choices, 6);
        if (!codes.empty()) r.filters[facet] = codes;
    }
    const int32_t today = TodayInHelsinki();
    switch (rng.Pick(8)) {
        case 0:
            r.status = PeriodStatus::kActive;
            break;
        case 1:
            r.status = PeriodStatus::kEnded;
            break;
        case 2:
            r.status = PeriodStatus::kUpcoming;
            break;
        default:
            break;
    }
    switch (rng.Pick(10)) {
        case 0:
            r.active_on = today;
            break;
        case 1:
            r.active_on = FirstDay({2024, 12, 31});
            break;
        case 2:
            r.active_on = FirstDay({2025, 3, 1});
            break;
        default:
            break;
    }
    switch (rng.Pick(8)) {
        case 0:
            r.near = testing::kOulu;
            r.radius_km = 20;
            break;
        case 1:
            r.near = testing::kVaasa;
            r.radius_km = 100;
            break;
        default:
            break;
    }
    return r;
}

std::string Describe(const SearchRequest& r) {
    std::string s = "q='" + r.q + "'";
    auto list = [&](const char* name, const Codes& codes) {
        if (codes.empty()) return;
        s += std::string(" ") + name + "=";
        for (const auto& c : codes) s += c + ",";
    };
    list("region", r.regions);
    list("municipality", r.municipalities);
    for (const auto& [f, codes] : r.filters) list(std::string(SearchFacetName(f)).c_str(), codes);
    if (!r.include_national) s += " national=exclude";
    if (r.active_on) s += " active_on=" + FormatDay(*r.active_on);
    if (r.status != PeriodStatus::kAny)
        s += " status=" + std::to_string(static_cast<int>(r.status));
    if (r.near) s += " near=" + std::to_string(r.near->lat) + " r=" + std::to_string(r.radius_km);
    return s;
}

// Every value the searcher reports has the reference count, and every value with a
// reference count is reported.
void CheckFacets(const Reference& ref, const std::vector<const Record*>& text,
                 const SearchRequest& request, const SearchResult& result) {
    const Vocabulary& vocab = ref.vocab;
    for (SearchFacet f : kAllSearchFacets) {
        CAPTURE(SearchFacetName(f));
        auto it = result.facets.find(f);
        REQUIRE(it != result.facets.end());
        std::map<std::string, const FacetValue*> got;
        for (const FacetValue& v : it->second) {
            got[std::string(v.code)] = &v;
            for (const FacetValue& c : v.children) got[std::string(c.code)] = &c;
        }
        for (const auto& [code, value] : got) {
            CAPTURE(code);
            CHECK(value->count == ref.ValueCount(text, request, f, code));
        }
        std::set<std::string> candidates;
        switch (f) {
            case SearchFacet::kArea:
                for (const Code& region : vocab.Codes(Facet::kRegion)) {
                    candidates.insert(region.code);
                    if (region.code == "17" || region.code == "15" || region.code == "01") {
                        for (const auto& m : region.children) candidates.insert(m);
                    }
                }
                break;
            case SearchFacet::kNational:
                candidates = {"national", "local"};
                break;
            case SearchFacet::kOrganisation:
                for (const Record* r : text) {
                    for (const auto& c : ref.Codes(*r, f)) candidates.insert(c);
                }
                break;
            default:
                for (const Code& c : vocab.Codes(*QueryBuilder::VocabFacet(f)))
                    candidates.insert(c.code);
        }
        for (const auto& code : candidates) {
            CAPTURE(code);
            uint64_t expected = ref.ValueCount(text, request, f, code);
            auto found = got.find(code);
            if (expected > 0) {
                CHECK(found != got.end());
            }
        }
        // Selected values are flagged (and present even at 0).
        auto selected_codes = [&]() -> Codes {
            if (f == SearchFacet::kArea) {
                Codes all = request.regions;
                all.insert(all.end(), request.municipalities.begin(), request.municipalities.end());
                return all;
            }
            auto s = request.filters.find(f);
            return s == request.filters.end() ? Codes{} : s->second;
        }();
        for (const auto& code : selected_codes) {
            CAPTURE(code);
            auto found = got.find(code);
            REQUIRE(found != got.end());
            CHECK(found->second->selected);
        }
        for (const auto& [code, value] : got) {
            if (f == SearchFacet::kNational) continue;
            bool selected = std::count(selected_codes.begin(), selected_codes.end(), code) > 0;
            CHECK(value->selected == selected);
        }
    }
}

TEST_CASE("CodeCounts: counts by code over a shared or borrowed sorted code list") {
    const std::vector<std::string> codes = {"01", "17", "564", "oulu"};
    const CodeCounts borrowed = CodeCounts::Borrowing(codes, {3, 0, 7, 1});
    CHECK(borrowed.Count("01") == 3);
    CHECK(borrowed.Count("17") == 0);
    CHECK(borrowed.Count("564") == 7);
    CHECK(borrowed.Count("oulu") == 1);
    CHECK(borrowed.Count("0") == 0);     // before the first
    CHECK(borrowed.Count("zzz") == 0);   // after the last
    CHECK(borrowed.Count("5640") == 0);  // a longer code sharing a prefix
    CHECK(borrowed.CountedCodes() == 3);
    std::vector<std::pair<std::string, uint64_t>> seen;
    borrowed.ForEachCounted([&](const std::string& c, uint64_t n) { seen.emplace_back(c, n); });
    CHECK(seen ==
          std::vector<std::pair<std::string, uint64_t>>{{"01", 3}, {"564", 7}, {"oulu", 1}});

    const CodeCounts copy = borrowed;  // shares the list
    CHECK(copy.Count("564") == 7);

    const CodeCounts owned = CodeCounts::Of({{"b", 2}, {"a", 5}});
    CHECK(owned.Count("a") == 5);
    CHECK(owned.Count("b") == 2);
    CHECK(owned.Count("c") == 0);
    CHECK(CodeCounts().Count("a") == 0);
    CHECK(CodeCounts().CountedCodes() == 0);
}

TEST_CASE("facet counts and results equal a brute-force count over many filter combinations") {
    SearchIndex& index = SearchIndex::Get();
    Reference ref{*index.vocab};
    Lcg rng{12345};
    size_t checked = 0, nonempty = 0;
    for (const std::string q : {"", "ohjaus", "nuoret", "palvelu", "neuvonta"}) {
        const auto text = TextMatches(q);
        CAPTURE(q);
        if (!q.empty()) CHECK(!text.empty());
        for (int i = 0; i < 60; ++i) {
            SearchRequest request = RandomRequest(rng, q);
            CAPTURE(Describe(request));
            SearchResult result = testing::MustSearch(request);
            std::set<std::string> expected;
            for (const Record* r : text) {
                if (ref.Passes(*r, request)) expected.insert(r->id);
            }
            auto ids = testing::Ids(result);
            CHECK(std::set<std::string>(ids.begin(), ids.end()) == expected);
            CHECK(result.total == expected.size());
            CheckFacets(ref, text, request, result);
            ++checked;
            nonempty += !expected.empty();
        }
    }
    CHECK(checked == 300);
    CHECK(nonempty > 60);  // the combinations are not all empty
}

TEST_CASE("area facet: regions with municipalities as children, national counted everywhere") {
    SearchRequest request;
    request.facets = {SearchFacet::kArea, SearchFacet::kNational};
    request.regions = {"17"};
    SearchResult result = testing::MustSearch(request);
    const auto& area = result.facets.at(SearchFacet::kArea);
    const FacetValue* north = nullptr;
    for (const auto& v : area) {
        if (v.code == "17") north = &v;
    }
    REQUIRE(north);
    CHECK(north->selected);
    CHECK(north->label == "Pohjois-Pohjanmaa");
    const FacetValue* oulu = nullptr;
    for (const auto& c : north->children) {
        if (c.code == "564") oulu = &c;
    }
    REQUIRE(oulu);
    CHECK(oulu->label == "Oulu");
    CHECK_FALSE(oulu->selected);
    // Oulu: ohjaamo, script, maahanmuuttajien, perhevapaa, ohjausverkosto (declared 564;
    // ohjausverkosto counted once though it declares region 17 too), nuoret-tyoelamaan and
    // kevat-kurssi (region 17 whole), and the 5 national records.
    CHECK(oulu->count == 12);
    // Sorted by count.
    for (size_t i = 1; i < area.size(); ++i) CHECK(area[i - 1].count >= area[i].count);

    const auto& national = result.facets.at(SearchFacet::kNational);
    REQUIRE(national.size() == 2);
    CHECK(national[0].code == "local");
    CHECK(national[1].code == "national");
    CHECK(national[1].count == 5);
    CHECK(national[1].selected);

    request.include_national = false;
    request.lang = Lang::kSv;
    result = testing::MustSearch(request);
    const auto& sv = result.facets.at(SearchFacet::kArea);
    REQUIRE(!sv.empty());
    CHECK(sv[0].code == "17");
    CHECK(sv[0].label == "Norra Österbotten");
    for (const auto& v : sv) {
        if (v.code == "01") CHECK(v.count == 1);  // no national records: Uusimaa only by Helsinki
    }
    const auto& national_sv = result.facets.at(SearchFacet::kNational);
    for (const auto& v : national_sv) {
        if (v.code == "national") {
            CHECK(v.count == 5);  // as if included
            CHECK_FALSE(v.selected);
        }
    }
}

TEST_CASE("facet_limit keeps the top values and every selected one") {
    SearchRequest request;
    request.facets = {SearchFacet::kTargetGroup, SearchFacet::kTheme, SearchFacet::kOrganisation,
                      SearchFacet::kArea};
    request.facet_limit = 2;
    request.filters[SearchFacet::kTheme] = {"recruitment"};
    SearchResult all = testing::MustSearch([&] {
        SearchRequest r = request;
        r.facet_limit = 0;
        return r;
    }());
    SearchResult limited = testing::MustSearch(request);
    for (SearchFacet f : request.facets) {
        CAPTURE(SearchFacetName(f));
        const auto& full = all.facets.at(f);
        const auto& top = limited.facets.at(f);
        size_t selected =
            std::count_if(full.begin(), full.end(), [](const FacetValue& v) { return v.selected; });
        CHECK(top.size() <= 2 + selected);
        for (size_t i = 0; i < std::min<size_t>(2, full.size()); ++i)
            CHECK(top[i].code == full[i].code);
        for (const auto& v : top) {
            if (f == SearchFacet::kArea) CHECK(v.children.size() <= 2);
        }
    }
    const auto& themes = limited.facets.at(SearchFacet::kTheme);
    CHECK(std::any_of(themes.begin(), themes.end(),
                      [](const FacetValue& v) { return v.code == "recruitment" && v.selected; }));
}

TEST_CASE("labels: vocabulary labels in the request language, organisation names from records") {
    SearchRequest request;
    request.facets = {SearchFacet::kTargetGroup, SearchFacet::kOrganisation, SearchFacet::kType};
    request.lang = Lang::kEn;
    SearchResult result = testing::MustSearch(request);
    std::map<std::string, std::string> labels;
    for (const auto& [f, values] : result.facets) {
        for (const auto& v : values) labels[std::string(v.code)] = v.label;
    }
    CHECK(labels["KR1.3"] == "Young people");
    CHECK(labels["service"] != "");
    CHECK(labels["oulun-kaupunki"] == "Oulun kaupunki");
    CHECK(labels["pohjois-pohjanmaan-liitto"] == "Pohjois-Pohjanmaan liitto");
    CHECK(labels["oph"] == "Opetushallitus");
}

TEST_CASE("an unknown filter code finds nothing and is still shown as selected") {
    SearchRequest request;
    request.facets = {SearchFacet::kTheme};
    request.filters[SearchFacet::kTheme] = {"no-such-theme"};
    SearchResult result = testing::MustSearch(request);
    CHECK(result.total == 0);
    const auto& themes = result.facets.at(SearchFacet::kTheme);
    REQUIRE(!themes.empty());
    bool found = false;
    for (const auto& v : themes) {
        if (v.code == "no-such-theme") {
            found = true;
            CHECK(v.count == 0);
            CHECK(v.selected);
        } else {
            CHECK(v.count > 0);  // the other themes, as if nothing were selected
        }
    }
    CHECK(found);
}

}  // namespace
}  // namespace tnohaku
