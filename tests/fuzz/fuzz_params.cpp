// libFuzzer target: a query string (tests/fuzz/query_string.h) through the API's
// parameter parsers (server/params.h) and through Api::Handle (routing, parameters,
// static files from web/, errors) with no index open, as the server's request pipeline
// sees it. The first line of the input is the path ("/v1/search" when there is none).
// Properties: a rejected parameter is named and gets a 400; every response is a known
// status with a JSON error body or a file.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string_view>

#include "server/metrics.h"
#include "server/params.h"
#include "server/routes.h"
#include "tests/fuzz/query_string.h"

namespace {

using namespace tnohaku;
using namespace tnohaku::server;

void Expect(bool condition, const char* what) {
    if (condition) return;
    std::fprintf(stderr, "fuzz_params: property failed: %s\n", what);
    std::abort();
}

struct Pipeline {
    std::shared_ptr<const Vocabulary> vocab;
    Metrics metrics;
    std::unique_ptr<Api> api;

    Pipeline() {
        auto loaded = Vocabulary::LoadEmbedded();
        Expect(loaded.ok(), "the embedded vocabularies load");
        vocab = *loaded;
        ApiOptions options;
        options.web_dir = TNOHAKU_SOURCE_DIR "/web";
        api = std::make_unique<Api>(options, ApiDeps{nullptr, vocab, &metrics, nullptr, nullptr});
    }
};

Pipeline& Shared() {
    static Pipeline pipeline;
    return pipeline;
}

bool IsKnownStatus(int status) {
    for (int known : {200, 204, 304, 400, 404, 405, 503})
        if (status == known) return true;
    return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view input(reinterpret_cast<const char*>(data), size);
    std::string path = "/v1/search";
    size_t newline = input.find('\n');
    if (newline != std::string_view::npos) {
        path = fuzz::PercentDecode(input.substr(0, newline));
        input.remove_prefix(newline + 1);
    }
    ParamMap params = fuzz::ParseQueryString(input);
    Pipeline& pipeline = Shared();

    Parsed<SearchRequest> search = ParseSearchParams(params, *pipeline.vocab);
    Expect(search.ok() || !search.parameter.empty(), "a rejected search names its parameter");
    if (search.ok()) {
        Expect(search.value.limit <= kMaxLimit && search.value.offset <= kMaxOffset,
               "limit and offset within bounds");
        size_t values = search.value.regions.size() + search.value.municipalities.size();
        for (const auto& [facet, codes] : search.value.filters) values += codes.size();
        Expect(values <= kMaxFilterValues, "at most kMaxFilterValues filter values");
    }
    Parsed<SuggestRequest> suggest = ParseSuggestParams(params);
    Expect(suggest.ok() || !suggest.parameter.empty(), "a rejected suggestion names its parameter");
    (void)ParseLangParam(params);

    ApiRequest request;
    request.method = "GET";
    request.path = path;
    request.params = params;
    ApiResponse response = pipeline.api->Handle(request);
    Expect(IsKnownStatus(response.status), "a known HTTP status");
    Expect(response.Header("X-Content-Type-Options") == "nosniff", "nosniff on every response");
    if (path == "/v1/search" && !search.ok()) Expect(response.status == 400, "bad parameters: 400");
    return 0;
}
