// The search contract: what a search asks (SearchRequest) and what it answers
// (SearchResult), as plain structs. server/ turns query strings into a SearchRequest and a
// SearchResult into JSON; core/searcher.h computes one from the other. Nothing here knows
// HTTP.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/record.h"

namespace tnohaku {

// The facets a search can filter on and count, with their query parameter names.
enum class SearchFacet {
    kArea,             // parameters region= and municipality=; response facet "area"
    kTargetGroup,      // target_group
    kTheme,            // theme
    kServiceClass,     // service_class
    kType,             // type
    kChannel,          // channel
    kServiceLanguage,  // service_language
    kFunding,          // funding
    kOrganisation,     // organisation
    kNational,         // response facet "national": national vs local (no filter parameter;
                       // national=include|exclude decides)
};
inline constexpr SearchFacet kAllSearchFacets[] = {SearchFacet::kArea,
                                                   SearchFacet::kTargetGroup,
                                                   SearchFacet::kTheme,
                                                   SearchFacet::kServiceClass,
                                                   SearchFacet::kType,
                                                   SearchFacet::kChannel,
                                                   SearchFacet::kServiceLanguage,
                                                   SearchFacet::kFunding,
                                                   SearchFacet::kOrganisation,
                                                   SearchFacet::kNational};
// "area", "target_group", ... as used in the API.
std::string_view SearchFacetName(SearchFacet facet);
std::optional<SearchFacet> SearchFacetFromName(std::string_view name);

enum class SortOrder { kRelevance, kName, kDistance, kStartDate, kEndDate, kUpdated };
enum class PeriodStatus { kAny, kActive, kEnded, kUpcoming };

struct GeoPoint {
    double lat = 0, lon = 0;  // WGS84 degrees
};

struct SearchRequest {
    std::string q;          // free text; empty = browse by filters
    Lang lang = Lang::kFi;  // labels, display fallback, boost for that language's fields
    std::vector<std::string> regions, municipalities;         // the area facet, OR-ed together
    std::map<SearchFacet, std::vector<std::string>> filters;  // other facets: OR within, AND across
    bool include_national = true;                             // national=exclude sets false
    std::optional<int32_t> active_on;                         // serial day (core/dates.h)
    PeriodStatus status = PeriodStatus::kAny;  // relative to today in Europe/Helsinki
    std::optional<GeoPoint> near;
    double radius_km = 50;
    SortOrder sort = SortOrder::kRelevance;
    uint32_t offset = 0, limit = 10;
    std::vector<SearchFacet> facets;  // which to count; the server fills all by default
    uint32_t facet_limit = 0;         // 0 = every value with a count

    // Whether `facet` is among the facets to count.
    bool WantsFacet(SearchFacet facet) const {
        for (SearchFacet f : facets)
            if (f == facet) return true;
        return false;
    }
};

// One value of a facet list. A response lists thousands (every organisation), so code and
// label are views, not copies: into the vocabulary, the revision's organisation names or
// text of the result's own, all kept alive by the SearchResult holding the value
// (`facet_text`). Copy a value out of its result only with an owner of that text.
struct FacetValue {
    std::string_view code;
    std::string_view label;  // in the request's language
    uint64_t count = 0;
    bool selected = false;
    std::vector<FacetValue> children;  // area: municipalities under a region
    // Code and label hold no byte that HTML or JSON escaping would change (IsPlainText
    // of core/html.h), so they may be written as they are; false: not known.
    bool plain = false;
};

struct Hit {
    std::string id;
    Record record;     // the stored record (document data)
    double score = 0;  // relevance (0 when browsing)
    std::optional<double> distance_km;
    // Catalogue text HTML-escaped, with <mark>…</mark> around matched words, per field
    // ("name", "summary", "description") in the display language.
    std::map<std::string, std::string> highlights;
};

struct SearchResult {
    uint64_t total = 0;  // exact number of matching records
    std::vector<Hit> hits;
    std::map<SearchFacet, std::vector<FacetValue>> facets;
    // What the facet values' views point into (shared: copies of the result share it).
    std::vector<std::shared_ptr<const void>> facet_text;
    std::optional<std::string> did_you_mean;
    uint64_t generation = 0;
};

}  // namespace tnohaku
