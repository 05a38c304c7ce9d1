// The index format of schema/index-format.md as constants: term prefixes, value slots,
// field weights and metadata keys, shared by the writer (document.cpp) and the readers
// (query builder, facets, searcher) so that they cannot drift apart.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <xapian.h>

#include "core/analyzer.h"
#include "core/record.h"

namespace tnohaku {

// Term prefixes and value slots of schema/index-format.md, shared by the writer and the
// readers so that they cannot drift apart.
namespace index_format {
inline constexpr const char* kFormatVersion = "2";
inline constexpr const char* kIdPrefix = "Q";
inline constexpr const char* kTypePrefix = "XTY";
inline constexpr const char* kAreaRegionPrefix = "XAR";
inline constexpr const char* kDeclaredRegionPrefix = "XAD";
inline constexpr const char* kDeclaredMunicipalityPrefix = "XAM";
inline constexpr const char* kNationalPrefix = "XNA";
inline constexpr const char* kTargetGroupPrefix = "XTG";
inline constexpr const char* kThemePrefix = "XTH";
inline constexpr const char* kServiceClassPrefix = "XSC";
inline constexpr const char* kChannelPrefix = "XCH";
inline constexpr const char* kServiceLanguagePrefix = "XSL";
inline constexpr const char* kFundingPrefix = "XFU";
inline constexpr const char* kOrganisationPrefix = "XOR";

// The text prefix of a language and term kind, e.g. (kFi, kWhole) → "XFW".
std::string TextPrefix(Lang lang, TermKind kind);

enum Slot : Xapian::valueno {
    kNameKeyFi = 0,
    kNameKeySv = 1,
    kNameKeyEn = 2,
    kStartDay = 3,
    kEndDay = 4,
    kUpdatedDay = 5,
    kLocations = 6,
    kId = 7,
    kFacetType = 10,
    kFacetAreaRegion = 11,
    kFacetDeclaredRegion = 12,
    kFacetDeclaredMunicipality = 13,
    kFacetNational = 14,
    kFacetTargetGroup = 15,
    kFacetTheme = 16,
    kFacetServiceClass = 17,
    kFacetChannel = 18,
    kFacetServiceLanguage = 19,
    kFacetFunding = 20,
    kFacetOrganisation = 21,
    // Sort keys with the id as the last component (format 2): what a sort compares, in
    // one value, because Xapian 1.4's remote backend sorts by a value but runs no KeyMaker.
    kSortNameFi = 23,
    kSortNameSv = 24,
    kSortNameEn = 25,
    kSortStart = 26,    // no start first
    kSortEnd = 27,      // open-ended last
    kSortUpdated = 28,  // newest first, unknown last
};
Xapian::valueno NameKeySlot(Lang lang);
Xapian::valueno NameSortSlot(Lang lang);
// A sort slot's key of a document: what Xapian::MultiValueKeyMaker makes of the sort's
// value, then the id.
std::string SortKey(Xapian::valueno sort_slot, const Xapian::Document& doc);
// Sets every sort slot from the document's other values (DocumentBuilder, last).
void AddSortKeys(Xapian::Document& doc);

// Field weights (wdf per occurrence).
inline constexpr Xapian::termcount kNameWeight = 6, kKeywordWeight = 3, kSummaryWeight = 2,
                                   kOrganisationWeight = 2, kDescriptionWeight = 1;

// Metadata keys.
inline constexpr const char* kMetaFormat = "tnohaku.format";
inline constexpr const char* kMetaGeneration = "tnohaku.generation";
inline constexpr const char* kMetaCreated = "tnohaku.created";

// Packs and unpacks the locations slot.
std::string PackLocations(const std::vector<Location>& locations);
std::vector<std::pair<double, double>> UnpackLocations(const std::string& packed);

// The facet code of an organisation: its id, else a slug of its name (lower case ASCII
// letters and digits joined by '-'), so records without organisation ids still facet.
std::string OrganisationCode(const std::string& id, const std::string& name);

// Joins codes for a facet slot (sorted, distinct, ',' between) and splits them again.
std::string JoinCodes(std::vector<std::string> codes);
std::vector<std::string> SplitCodes(const std::string& joined);
}  // namespace index_format

}  // namespace tnohaku
