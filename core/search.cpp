#include "core/search.h"

namespace tnohaku {

std::string_view SearchFacetName(SearchFacet facet) {
    switch (facet) {
        case SearchFacet::kArea:
            return "area";
        case SearchFacet::kTargetGroup:
            return "target_group";
        case SearchFacet::kTheme:
            return "theme";
        case SearchFacet::kServiceClass:
            return "service_class";
        case SearchFacet::kType:
            return "type";
        case SearchFacet::kChannel:
            return "channel";
        case SearchFacet::kServiceLanguage:
            return "service_language";
        case SearchFacet::kFunding:
            return "funding";
        case SearchFacet::kOrganisation:
            return "organisation";
        case SearchFacet::kNational:
            return "national";
    }
    return "";
}

std::optional<SearchFacet> SearchFacetFromName(std::string_view name) {
    for (SearchFacet facet : kAllSearchFacets) {
        if (SearchFacetName(facet) == name) return facet;
    }
    return std::nullopt;
}

}  // namespace tnohaku
