#include "core/vocab.h"

#include <fstream>
#include <sstream>

#include <rapidjson/document.h>

#include "core/embedded_data.h"
#include "core/json_util.h"

namespace tnohaku {

std::string_view VocabName(Facet facet) {
    switch (facet) {
        case Facet::kRegion:
            return "regions";
        case Facet::kMunicipality:
            return "municipalities";
        case Facet::kTargetGroup:
            return "target_groups";
        case Facet::kTheme:
            return "themes";
        case Facet::kServiceClass:
            return "service_classes";
        case Facet::kType:
            return "types";
        case Facet::kChannel:
            return "channels";
        case Facet::kServiceLanguage:
            return "service_languages";
        case Facet::kFunding:
            return "funding";
    }
    return "";
}

namespace {

Status ParseCodes(std::string_view name, std::string_view text, std::vector<Code>& out) {
    rapidjson::Document doc;
    doc.Parse(text.data(), text.size());
    if (doc.HasParseError() || !doc.IsObject() || !json::Find(doc, "codes") ||
        !doc["codes"].IsArray()) {
        return Status::Corruption("vocabulary " + std::string(name) +
                                  " is not valid JSON with a 'codes' list");
    }
    for (const auto& c : doc["codes"].GetArray()) {
        Code code;
        code.code = json::GetString(c, "code");
        code.parent = json::GetString(c, "parent");
        if (const auto* labels = json::Find(c, "labels")) {
            for (Lang lang : kAllLangs)
                code.labels[lang] = json::GetString(*labels, LangCode(lang));
        }
        if (code.code.empty())
            return Status::Corruption("vocabulary " + std::string(name) +
                                      " has a code without a value");
        out.push_back(std::move(code));
    }
    return Status::Ok();
}

}  // namespace

Result<std::shared_ptr<const Vocabulary>> Vocabulary::Build(
    const std::map<Facet, std::string>& texts) {
    auto vocab = std::make_shared<Vocabulary>();
    for (Facet facet : kAllFacets) {
        FacetCodes& fc = vocab->facets_[static_cast<size_t>(facet)];
        auto it = texts.find(facet);
        if (it == texts.end() || it->second.empty()) {
            return Status::NotFound("vocabulary " + std::string(VocabName(facet)) + " is missing");
        }
        TRY_STATUS(ParseCodes(VocabName(facet), it->second, fc.codes));
        for (size_t i = 0; i < fc.codes.size(); ++i) fc.index.emplace(fc.codes[i].code, i);
        for (const Code& c : fc.codes) {
            if (c.parent.empty() || facet == Facet::kMunicipality) continue;
            auto parent = fc.index.find(c.parent);
            if (parent == fc.index.end()) {
                return Status::Corruption("vocabulary " + std::string(VocabName(facet)) + ": " +
                                          c.code + " has unknown parent " + c.parent);
            }
            fc.codes[parent->second].children.push_back(c.code);
        }
    }
    // Municipalities are the children of regions in the area hierarchy.
    FacetCodes& regions = vocab->facets_[static_cast<size_t>(Facet::kRegion)];
    for (const Code& m : vocab->Of(Facet::kMunicipality).codes) {
        auto region = regions.index.find(m.parent);
        if (region == regions.index.end()) {
            return Status::Corruption("municipality " + m.code + " lies in unknown region " +
                                      m.parent);
        }
        regions.codes[region->second].children.push_back(m.code);
    }
    return std::shared_ptr<const Vocabulary>(std::move(vocab));
}

Result<std::shared_ptr<const Vocabulary>> Vocabulary::LoadEmbedded() {
    std::map<Facet, std::string> texts;
    for (Facet facet : kAllFacets) texts[facet] = std::string(EmbeddedFile(VocabName(facet)));
    return Build(texts);
}

Result<std::shared_ptr<const Vocabulary>> Vocabulary::LoadDirectory(const std::string& dir) {
    std::map<Facet, std::string> texts;
    for (Facet facet : kAllFacets) {
        std::string path = dir + "/" + std::string(VocabName(facet)) + ".json";
        std::ifstream in(path);
        if (!in) return Status::NotFound("cannot read " + path);
        std::ostringstream buffer;
        buffer << in.rdbuf();
        texts[facet] = buffer.str();
    }
    return Build(texts);
}

const Code* Vocabulary::Find(Facet facet, std::string_view code) const {
    const FacetCodes& fc = Of(facet);
    auto it = fc.index.find(code);
    return it == fc.index.end() ? nullptr : &fc.codes[it->second];
}

bool Vocabulary::Contains(Facet facet, std::string_view code) const {
    return Find(facet, code) != nullptr;
}

std::vector<std::string> Vocabulary::SelfAndAncestors(Facet facet, std::string_view code) const {
    std::vector<std::string> out;
    // Municipalities' parents are regions, a different facet: their chain is the code alone.
    for (const Code* c = Find(facet, code); c && out.size() < 16;
         c = facet == Facet::kMunicipality ? nullptr : Find(facet, c->parent)) {
        out.push_back(c->code);
    }
    return out;
}

std::vector<std::string> Vocabulary::SelfAndDescendants(Facet facet, std::string_view code) const {
    std::vector<std::string> out;
    if (!Find(facet, code)) return out;
    out.emplace_back(code);
    for (size_t i = 0; i < out.size() && out.size() < 10000; ++i) {
        const Code* c = Find(facet, out[i]);
        if (!c || facet == Facet::kRegion) continue;  // region children are municipalities
        for (const auto& child : c->children) out.push_back(child);
    }
    return out;
}

const std::vector<Code>& Vocabulary::Codes(Facet facet) const {
    return Of(facet).codes;
}

std::string Vocabulary::Label(Facet facet, std::string_view code, Lang lang) const {
    const Code* c = Find(facet, code);
    return c ? c->labels.Display(lang) : std::string(code);
}

std::string Vocabulary::RegionOf(std::string_view municipality) const {
    const Code* c = Find(Facet::kMunicipality, municipality);
    return c ? c->parent : std::string();
}

}  // namespace tnohaku
