// Vocabulary: the official and project code lists (schema/vocab/*.json) in memory.
//
// Every facet whose values are codes has a vocabulary: regions, municipalities, target
// groups, themes, service classes, types, channels, service languages and funding. Each
// code has labels in fi/sv/en and at most one parent; selecting a parent includes its
// children. Municipalities' parent is their region (the area hierarchy).
//
// Vocabularies are immutable once loaded: share one instance between threads freely.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/record.h"
#include "core/status.h"

namespace tnohaku {

enum class Facet {
    kRegion,
    kMunicipality,
    kTargetGroup,
    kTheme,
    kServiceClass,
    kType,
    kChannel,
    kServiceLanguage,
    kFunding,
};
inline constexpr Facet kAllFacets[] = {
    Facet::kRegion,  Facet::kMunicipality,    Facet::kTargetGroup,
    Facet::kTheme,   Facet::kServiceClass,    Facet::kType,
    Facet::kChannel, Facet::kServiceLanguage, Facet::kFunding};

// The vocabulary file name of a facet ("regions", "target_groups", ...).
std::string_view VocabName(Facet facet);

struct Code {
    std::string code;
    std::string parent;  // empty for a top-level code
    LangText labels;
    std::vector<std::string> children;  // in vocabulary order
};

class Vocabulary {
  public:
    // Loads the vocabularies compiled into the library.
    static Result<std::shared_ptr<const Vocabulary>> LoadEmbedded();
    // Loads from a folder of vocabulary JSON files (tests and tools).
    static Result<std::shared_ptr<const Vocabulary>> LoadDirectory(const std::string& dir);

    bool Contains(Facet facet, std::string_view code) const;
    // nullptr when the code is unknown.
    const Code* Find(Facet facet, std::string_view code) const;
    // The code and all its ancestors, the code first ("students-higher", "students", "KR1").
    std::vector<std::string> SelfAndAncestors(Facet facet, std::string_view code) const;
    // The code and all its descendants.
    std::vector<std::string> SelfAndDescendants(Facet facet, std::string_view code) const;
    // All codes of a facet in vocabulary order.
    const std::vector<Code>& Codes(Facet facet) const;
    // The label in `lang`, or the code itself when unknown.
    std::string Label(Facet facet, std::string_view code, Lang lang) const;
    // The region a municipality lies in; empty when unknown.
    std::string RegionOf(std::string_view municipality) const;

  private:
    struct FacetCodes {
        std::vector<Code> codes;
        std::map<std::string, size_t, std::less<>> index;
    };
    static Result<std::shared_ptr<const Vocabulary>> Build(
        const std::map<Facet, std::string>& texts);
    const FacetCodes& Of(Facet facet) const { return facets_[static_cast<size_t>(facet)]; }
    FacetCodes facets_[std::size(kAllFacets)];
};

}  // namespace tnohaku
