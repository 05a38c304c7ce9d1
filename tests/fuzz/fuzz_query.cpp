// libFuzzer target: text through the Analyzer (core/analyzer.h) as indexed text and as a
// query, and a whole query string through ParseSearchParams and the QueryBuilder
// (core/query_builder.h): text query, filter clauses and their combination, as the
// searcher builds them. The first byte picks the language (fi, sv, en).
// Properties: the Token contract (terms of 1 to 120 bytes, offsets inside the text).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string_view>

#include "core/analyzer.h"
#include "core/query_builder.h"
#include "server/params.h"
#include "tests/fuzz/query_string.h"

namespace {

using namespace tnohaku;

void Expect(bool condition, const char* what) {
    if (condition) return;
    std::fprintf(stderr, "fuzz_query: property failed: %s\n", what);
    std::abort();
}

struct Pipeline {
    std::shared_ptr<const Vocabulary> vocab;
    std::unique_ptr<Analyzer> analyzer;
    std::unique_ptr<QueryBuilder> builder;

    Pipeline() {
        auto loaded = Vocabulary::LoadEmbedded();
        Expect(loaded.ok(), "the embedded vocabularies load");
        vocab = *loaded;
        // A small cache, so that clearing it when full is exercised too.
        auto created = Analyzer::Create(AnalyzerOptions{"", 64});
        if (!created.ok()) std::fprintf(stderr, "%s\n", created.status().message().c_str());
        Expect(created.ok(), "the analyzer opens (voikko-fi installed)");
        analyzer = std::move(created).value();
        builder = std::make_unique<QueryBuilder>(*analyzer, *vocab);
    }
};

Pipeline& Shared() {
    static Pipeline pipeline;
    return pipeline;
}

// The contract of Token (core/analyzer.h).
void CheckTokens(const std::vector<Token>& tokens, std::string_view text) {
    for (const Token& token : tokens) {
        Expect(token.begin <= token.end && token.end <= text.size(), "the token lies in the text");
        Expect(!token.terms.empty(), "a token has terms");
        for (const Term& term : token.terms) {
            Expect(!term.text.empty() && term.text.size() <= 120, "terms of 1 to 120 bytes");
        }
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size == 0) return 0;
    Lang lang = kAllLangs[data[0] % std::size(kAllLangs)];
    std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
    Pipeline& pipeline = Shared();

    CheckTokens(pipeline.analyzer->Analyze(text, lang), text);
    CheckTokens(pipeline.analyzer->AnalyzeQuery(text, lang), text);
    std::string folded = Analyzer::Fold(text);
    (void)Analyzer::StripAccents(folded);

    TextQuery query = pipeline.builder->Text(text, lang);
    (void)query.all.get_description();
    (void)query.any.get_description();

    server::Parsed<SearchRequest> parsed =
        server::ParseSearchParams(fuzz::ParseQueryString(text), *pipeline.vocab);
    if (!parsed.ok()) return 0;
    TextQuery request_text = pipeline.builder->Text(parsed.value.q, parsed.value.lang);
    Filters filters = pipeline.builder->BuildFilters(parsed.value, 20000);
    for (SearchFacet facet : kAllSearchFacets) {
        (void)filters.Apply(request_text.all, facet).get_description();
    }
    (void)filters.Apply(request_text.any).get_description();
    return 0;
}
