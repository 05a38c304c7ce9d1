#include "server/routes.h"

#include <algorithm>
#include <cstdio>

#include "server/content_coding.h"

namespace tnohaku::server {

namespace {

constexpr const char* kAllowedMethods = "GET, HEAD, OPTIONS";
constexpr const char* kAllowedHeaders = "Accept, Accept-Language, Content-Type, If-None-Match";
constexpr const char* kPreflightMaxAge = "86400";

// FNV-1a, 64 bits: stable across runs and builds (std::hash is not).
class Fnv {
  public:
    void Add(std::string_view text) {
        for (char c : text) {
            hash_ ^= static_cast<unsigned char>(c);
            hash_ *= 1099511628211ULL;
        }
        hash_ ^= 0xff;  // separator, so that ("ab","c") and ("a","bc") differ
        hash_ *= 1099511628211ULL;
    }
    uint64_t value() const { return hash_; }

  private:
    uint64_t hash_ = 14695981039346656037ULL;
};

// Compresses the body in the coding the client prefers (server/content_coding.h). A HEAD
// answer is encoded as its GET would be, so that both give the same Content-Length. Should
// compressing fail, the body goes as it is, which every client can read.
// Compresses `response` for the client, unless its handler did (a kept search answer).
void EncodeForClient(const ApiRequest& request, ApiResponse& response) {
    if (response.body.size() < kMinEncodedBodyBytes || !IsCompressibleType(response.content_type))
        return;
    if (!response.Header("Content-Encoding").empty()) return;
    const ContentCoding coding = ChooseContentCoding(request.Header("Accept-Encoding"));
    if (coding == ContentCoding::kIdentity) return;
    Result<std::string> encoded = EncodeBody(coding, response.body);
    if (!encoded.ok()) return;
    response.body = std::move(encoded).value();
    response.SetHeader("Content-Encoding", std::string(ContentCodingName(coding)));
}

std::string_view Opaque(std::string_view tag) {
    if (tag.substr(0, 2) == "W/") tag.remove_prefix(2);
    return tag;
}

// The request target for --log-queries, re-encoded so that it stays one line: control
// characters, spaces and the query string's own delimiters are percent-encoded.
std::string LogTarget(const ApiRequest& request) {
    auto append = [](std::string& out, std::string_view text) {
        static const char* kHex = "0123456789ABCDEF";
        for (char c : text) {
            auto u = static_cast<unsigned char>(c);
            if (u <= 0x20 || u == 0x7f || c == '%' || c == '&' || c == '=' || c == '?' ||
                c == '#' || c == '"' || c == '\\') {
                out += '%';
                out += kHex[u >> 4];
                out += kHex[u & 0xf];
            } else {
                out += c;
            }
        }
    };
    std::string target;
    append(target, request.path);
    char separator = '?';
    for (const auto& [key, value] : request.params) {
        target += separator;
        append(target, key);
        target += '=';
        append(target, value);
        separator = '&';
    }
    return target;
}

}  // namespace

std::string AnswerKey(std::string_view route, const ParamMap& params, const IndexInfo& index,
                      int32_t today) {
    // Length-prefixed parts, so that no two different inputs give the same key.
    std::string key;
    auto add = [&key](std::string_view part) {
        key += std::to_string(part.size());
        key += ':';
        key += part;
    };
    add(route);
    for (const auto& [name, value] : params) {
        add(name);
        add(value);
    }
    add(std::to_string(index.generation));
    add(index.created);
    add(std::to_string(index.doc_count));
    add(index.revision);
    add(std::to_string(index.synonyms));
    add(std::to_string(today));
    return key;
}

std::string MakeETag(std::string_view route, const ParamMap& params, const IndexInfo& index,
                     int32_t today) {
    return ETagOfKey(AnswerKey(route, params, index, today), index.generation);
}

std::string ETagOfKey(std::string_view key, uint64_t generation) {
    Fnv fnv;
    fnv.Add(key);
    char text[64];
    std::snprintf(text, sizeof text, "W/\"g%llu-%016llx\"",
                  static_cast<unsigned long long>(generation),
                  static_cast<unsigned long long>(fnv.value()));
    return text;
}

bool IfNoneMatchMatches(std::string_view header, std::string_view etag) {
    for (std::string_view tag : SplitHeaderList(header)) {
        if (tag == "*" || (!tag.empty() && Opaque(tag) == Opaque(etag))) return true;
    }
    return false;
}

Api::Api(ApiOptions options, ApiDeps deps)
    : options_(std::move(options)), deps_(std::move(deps)), results_(options_.result_cache_bytes) {
    // The one route table. The static route takes every path outside /v1/ that no other
    // route took.
    routes_ = {
        {"search", std::regex("/v1/search"), &Api::Search},
        {"record", std::regex("/v1/records/([^/]+)"), &Api::GetRecord},
        {"facets", std::regex("/v1/facets"), &Api::Facets},
        {"suggest", std::regex("/v1/suggest"), &Api::Suggest},
        {"health", std::regex("/health"), &Api::Health},
        {"ready", std::regex("/ready"), &Api::Ready},
        {"metrics", std::regex("/metrics"), &Api::MetricsText},
        {"openapi", std::regex("/openapi\\.json"), &Api::OpenApi},
        {"static", std::regex("/(?!v1(/|$)).*"), &Api::Static},
    };
    if (!options_.web_dir.empty()) static_files_ = std::make_unique<StaticFiles>(options_.web_dir);
}

const Api::Route* Api::FindRoute(const std::string& path) const {
    for (const Route& route : routes_) {
        if (std::regex_match(path, route.pattern)) return &route;
    }
    return nullptr;
}

ApiResponse Api::Handle(const ApiRequest& request) {
    auto start = std::chrono::steady_clock::now();
    ApiResponse response = Dispatch(request);
    AddCommonHeaders(request, response);
    EncodeForClient(request, response);
    std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
    RecordRequest(request, response, elapsed.count());
    return response;
}

ApiResponse Api::Shed(const ApiRequest& request) {
    ApiResponse response = ErrorResponse(
        Status::Unavailable("the server is busy: every worker is taken; retry in a second"));
    response.route = "shed";
    response.SetHeader("Connection", "close");
    AddCommonHeaders(request, response);
    RecordRequest(request, response, 0);
    return response;
}

ApiResponse Api::Dispatch(const ApiRequest& request) {
    const Route* route = FindRoute(request.path);
    if (!route) {
        ApiResponse response = ErrorResponse(404, "not_found", "no such path; see /openapi.json");
        response.route = "not_found";
        return response;
    }
    if (request.method == "OPTIONS") {
        ApiResponse response = Preflight(request);
        response.route = "preflight";
        return response;
    }
    if (request.method != "GET" && request.method != "HEAD") {
        ApiResponse response =
            ErrorResponse(405, "method_not_allowed", request.method + " is not allowed here");
        response.SetHeader("Allow", kAllowedMethods);
        response.route = route->name;
        return response;
    }
    Call call{request, {}};
    std::regex_match(request.path, call.match, route->pattern);
    ApiResponse response = (this->*route->handler)(call);
    response.route = route->name;
    // Conditional GET for responses that carry an ETag but did not check it themselves.
    std::string etag = response.Header("ETag");
    if (response.status == 200 && !etag.empty() &&
        IfNoneMatchMatches(request.Header("If-None-Match"), etag)) {
        response.status = 304;
        response.body.clear();
    }
    return response;
}

ApiResponse Api::Preflight(const ApiRequest& request) const {
    ApiResponse response;
    response.status = 204;
    response.content_type.clear();
    response.SetHeader("Allow", kAllowedMethods);
    if (!request.Header("Origin").empty()) {
        response.SetHeader("Access-Control-Allow-Methods", kAllowedMethods);
        response.SetHeader("Access-Control-Allow-Headers", kAllowedHeaders);
        response.SetHeader("Access-Control-Max-Age", kPreflightMaxAge);
    }
    return response;
}

void Api::AddCommonHeaders(const ApiRequest& request, ApiResponse& response) const {
    response.SetHeader("X-Content-Type-Options", "nosniff");
    std::string vary = "Accept-Encoding";
    std::string origin = request.Header("Origin");
    const auto& allowed = options_.cors_origins;
    bool any = std::find(allowed.begin(), allowed.end(), "*") != allowed.end();
    if (any) {
        response.SetHeader("Access-Control-Allow-Origin", "*");
    } else {
        vary += ", Origin";
        if (!origin.empty() && std::find(allowed.begin(), allowed.end(), origin) != allowed.end()) {
            response.SetHeader("Access-Control-Allow-Origin", origin);
        }
    }
    if (!response.Header("Access-Control-Allow-Origin").empty()) {
        response.SetHeader("Access-Control-Expose-Headers", "ETag");
    }
    response.SetHeader("Vary", vary);
}

void Api::RecordRequest(const ApiRequest& request, const ApiResponse& response, double seconds) {
    if (deps_.metrics) deps_.metrics->RecordRequest(response.route, response.status, seconds);
    if (!deps_.access_log) return;
    std::string target = LogTarget(request);
    deps_.access_log->Write(
        AccessEntry{request.method, response.route, response.status, seconds * 1000, target});
}

std::optional<ApiResponse> Api::CheckNotModified(const Call& call, const std::string& etag) const {
    if (!IfNoneMatchMatches(call.request.Header("If-None-Match"), etag)) return std::nullopt;
    ApiResponse response;
    response.status = 304;
    SetCaching(response, etag);
    return response;
}

void Api::SetCaching(ApiResponse& response, const std::string& etag) const {
    response.SetHeader("ETag", etag);
    response.SetHeader("Cache-Control", options_.cache_control);
}

}  // namespace tnohaku::server
