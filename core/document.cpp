#include "core/document.h"

#include <set>

#include "core/dates.h"

namespace tnohaku {

namespace fmt = index_format;

Result<std::unique_ptr<DocumentBuilder>> DocumentBuilder::Create(const Vocabulary& vocab,
                                                                 const AnalyzerOptions& options) {
    TRY_ASSIGN(auto analyzer, Analyzer::Create(options));
    TRY_ASSIGN(auto sort_keys, SortKeyMaker::Create());
    return std::unique_ptr<DocumentBuilder>(
        new DocumentBuilder(vocab, std::move(analyzer), std::move(sort_keys)));
}

DocumentBuilder::DocumentBuilder(const Vocabulary& vocab, std::unique_ptr<Analyzer> analyzer,
                                 std::unique_ptr<SortKeyMaker> sort_keys)
    : vocab_(vocab), analyzer_(std::move(analyzer)), sort_keys_(std::move(sort_keys)) {}

BuiltDocument DocumentBuilder::Build(const Record& r) {
    BuiltDocument out;
    Xapian::Document& doc = out.document;
    out.id_term = fmt::kIdPrefix + r.id;
    doc.add_boolean_term(out.id_term);
    for (Lang lang : kAllLangs) {
        AddText(doc, r.name[lang], lang, fmt::kNameWeight, &out.spelling_words);
        AddText(doc, r.summary[lang], lang, fmt::kSummaryWeight, &out.spelling_words);
        AddText(doc, r.description[lang], lang, fmt::kDescriptionWeight, &out.spelling_words);
    }
    // Keywords and organisation names carry no language of their own: they are searched
    // in every language's analysis, so that "ESR" or "Oulun kaupunki" is found whatever
    // language the query is analysed in.
    for (Lang lang : kAllLangs) {
        for (const auto& k : r.keywords)
            AddText(doc, k, lang, fmt::kKeywordWeight,
                    lang == Lang::kFi ? &out.spelling_words : nullptr);
        for (const auto& o : r.organisations)
            AddText(doc, o.name, lang, fmt::kOrganisationWeight, nullptr);
    }
    AddFacets(doc, r);
    AddValues(doc, r);
    doc.set_data(RecordToJson(r));
    return out;
}

void DocumentBuilder::AddText(Xapian::Document& doc, std::string_view text, Lang lang,
                              Xapian::termcount weight, std::vector<std::string>* spelling) {
    if (text.empty()) return;
    for (const Token& token : analyzer_->Analyze(text, lang)) {
        for (const Term& term : token.terms) {
            doc.add_term(fmt::TextPrefix(lang, term.kind) + term.text, weight);
        }
        // Spelling suggestions are words people type: the written form, letters only.
        if (spelling && token.surface.size() >= 4 && token.surface.size() <= 40 &&
            token.surface.find_first_of("0123456789") == std::string::npos) {
            spelling->push_back(token.surface);
        }
    }
}

namespace {

// Adds one boolean term per code (and its vocabulary ancestors) and the facet slot value.
struct FacetWriter {
    Xapian::Document& doc;
    const Vocabulary& vocab;

    void Codes(const char* prefix, Xapian::valueno slot, const std::vector<std::string>& codes,
               std::optional<Facet> hierarchy) {
        std::vector<std::string> all;
        for (const auto& code : codes) {
            if (hierarchy) {
                for (auto& c : vocab.SelfAndAncestors(*hierarchy, code))
                    all.push_back(std::move(c));
            } else {
                all.push_back(code);
            }
        }
        for (const auto& c : all) doc.add_boolean_term(prefix + c);
        std::string joined = fmt::JoinCodes(std::move(all));
        if (!joined.empty()) doc.add_value(slot, joined);
    }
};

}  // namespace

void DocumentBuilder::AddFacets(Xapian::Document& doc, const Record& r) {
    FacetWriter w{doc, vocab_};
    w.Codes(fmt::kTypePrefix, fmt::kFacetType, {r.type}, std::nullopt);
    std::vector<std::string> member_regions = r.area.regions;
    for (const auto& m : r.area.municipalities) member_regions.push_back(vocab_.RegionOf(m));
    w.Codes(fmt::kAreaRegionPrefix, fmt::kFacetAreaRegion, member_regions, std::nullopt);
    w.Codes(fmt::kDeclaredRegionPrefix, fmt::kFacetDeclaredRegion, r.area.regions, std::nullopt);
    w.Codes(fmt::kDeclaredMunicipalityPrefix, fmt::kFacetDeclaredMunicipality,
            r.area.municipalities, std::nullopt);
    w.Codes(fmt::kNationalPrefix, fmt::kFacetNational, {r.area.national ? "national" : "local"},
            std::nullopt);
    w.Codes(fmt::kTargetGroupPrefix, fmt::kFacetTargetGroup, r.target_groups, Facet::kTargetGroup);
    w.Codes(fmt::kThemePrefix, fmt::kFacetTheme, r.themes, Facet::kTheme);
    w.Codes(fmt::kServiceClassPrefix, fmt::kFacetServiceClass, r.service_classes,
            Facet::kServiceClass);
    w.Codes(fmt::kChannelPrefix, fmt::kFacetChannel, r.channels, Facet::kChannel);
    w.Codes(fmt::kServiceLanguagePrefix, fmt::kFacetServiceLanguage, r.service_languages,
            Facet::kServiceLanguage);
    w.Codes(fmt::kFundingPrefix, fmt::kFacetFunding, r.funding, Facet::kFunding);
    std::vector<std::string> orgs;
    for (const auto& o : r.organisations) {
        std::string code = fmt::OrganisationCode(o.id, o.name);
        if (!code.empty()) orgs.push_back(code);
    }
    w.Codes(fmt::kOrganisationPrefix, fmt::kFacetOrganisation, orgs, std::nullopt);
}

void DocumentBuilder::AddValues(Xapian::Document& doc, const Record& r) {
    for (Lang lang : kAllLangs) {
        doc.add_value(fmt::NameKeySlot(lang),
                      sort_keys_->Key(Analyzer::Fold(r.name.Display(lang)), lang));
    }
    auto day_value = [&](Xapian::valueno slot, const std::string& text, bool last) {
        auto date = ParsePartialDate(text);
        if (date)
            doc.add_value(slot,
                          Xapian::sortable_serialise(last ? LastDay(*date) : FirstDay(*date)));
    };
    day_value(fmt::kStartDay, r.period.start, false);
    day_value(fmt::kEndDay, r.period.end, true);
    day_value(fmt::kUpdatedDay, r.updated, false);
    std::string locations = fmt::PackLocations(r.locations);
    if (!locations.empty()) doc.add_value(fmt::kLocations, locations);
    doc.add_value(fmt::kId, r.id);
    fmt::AddSortKeys(doc);
}

}  // namespace tnohaku
