// Query parameters → SearchRequest: the API's input rules in one file.
//
// Every rejected parameter gives a kInvalidArgument Status and the parameter's name, which
// the route turns into a 400 {"error": {"code", "message", "parameter"}}. Parameters the
// API does not know are ignored (portals append tracking parameters such as utm_source);
// a known scalar parameter given twice is an error. Filter parameters are repeatable and
// accept comma lists: region=17&region=18 is region=17,18.
//
// Thread safety: functions of their arguments only.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/search.h"
#include "core/status.h"
#include "core/vocab.h"
#include "server/api.h"

namespace tnohaku::server {

inline constexpr size_t kMaxQueryChars = 500;   // q, in Unicode characters
inline constexpr size_t kMaxFilterValues = 50;  // all filter values of one request together
inline constexpr size_t kMaxCodeLength = 100;
inline constexpr uint32_t kDefaultLimit = 10, kMaxLimit = 100;
inline constexpr uint32_t kMaxOffset = 10000;
inline constexpr uint32_t kMaxFacetLimit = 1000;
inline constexpr double kDefaultRadiusKm = 50, kMaxRadiusKm = 1000;
inline constexpr size_t kMaxSuggestions = 10;
// near= must lie in Finland and its neighbourhood: this catches swapped coordinates and
// projected (EPSG:3067) metres sent instead of degrees.
inline constexpr double kMinLat = 54, kMaxLat = 72, kMinLon = 10, kMaxLon = 40;

// A filter parameter: its name, the facet it filters and the vocabulary that checks its
// codes (organisation ids have none: any [a-z0-9-] id is accepted).
struct FilterParam {
    std::string_view name;
    SearchFacet facet;
    std::optional<Facet> vocab;
};
// region, municipality, target_group, theme, service_class, type, channel,
// service_language, funding, organisation — in this order.
const std::vector<FilterParam>& FilterParams();

// The values of one filter parameter in a request (region and municipality are kept
// apart from the other filters in SearchRequest).
const std::vector<std::string>& FilterValues(const SearchRequest& request,
                                             const FilterParam& param);

std::string_view SortOrderName(SortOrder sort);          // "relevance", "name", ...
std::string_view PeriodStatusName(PeriodStatus status);  // "any", "active", ...

// The outcome of parsing: a value, or the parameter at fault and why.
template <typename T>
struct Parsed {
    T value{};
    Status status;          // ok, or kInvalidArgument
    std::string parameter;  // the parameter at fault when !ok()
    bool ok() const { return status.ok(); }
};

// /v1/search: every parameter of the API (see server/openapi.json). `facets` defaults to
// every facet; facets=none counts none. An empty value (q=&lang=) counts as not given.
Parsed<SearchRequest> ParseSearchParams(const ParamMap& params, const Vocabulary& vocab);

// lang= alone (/v1/facets).
Parsed<Lang> ParseLangParam(const ParamMap& params);

struct SuggestRequest {
    std::string q;
    Lang lang = Lang::kFi;
    size_t limit = kMaxSuggestions;
};
// /v1/suggest: q, lang and limit (1..10).
Parsed<SuggestRequest> ParseSuggestParams(const ParamMap& params);

}  // namespace tnohaku::server
