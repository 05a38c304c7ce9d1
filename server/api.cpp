#include "server/api.h"

#include <strings.h>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "core/html.h"

namespace tnohaku::server {

bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
    return a.size() == b.size() && strncasecmp(a.data(), b.data(), a.size()) == 0;
}

std::string_view TrimWhitespace(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    return text;
}

std::vector<std::string_view> SplitHeaderList(std::string_view value, char separator) {
    std::vector<std::string_view> elements;
    while (true) {
        size_t end = value.find(separator);
        elements.push_back(TrimWhitespace(value.substr(0, end)));
        if (end == std::string_view::npos) return elements;
        value.remove_prefix(end + 1);
    }
}

std::string ApiRequest::Header(std::string_view name) const {
    for (const auto& [key, value] : headers) {
        if (EqualsIgnoringCase(key, name)) return value;
    }
    return {};
}

void ApiResponse::SetHeader(std::string name, std::string value) {
    for (auto& [key, existing] : headers) {
        if (EqualsIgnoringCase(key, name)) {
            existing = std::move(value);
            return;
        }
    }
    headers.emplace_back(std::move(name), std::move(value));
}

std::string ApiResponse::Header(std::string_view name) const {
    for (const auto& [key, value] : headers) {
        if (EqualsIgnoringCase(key, name)) return value;
    }
    return {};
}

int HttpStatusFor(Status::Code code) {
    switch (code) {
        case Status::Code::kOk:
            return 200;
        case Status::Code::kInvalidArgument:
            return 400;
        case Status::Code::kNotFound:
            return 404;
        case Status::Code::kUnavailable:
            return 503;
        default:
            return 500;
    }
}

std::string_view ErrorCodeName(Status::Code code) {
    switch (code) {
        case Status::Code::kOk:
            return "ok";
        case Status::Code::kInvalidArgument:
            return "invalid_argument";
        case Status::Code::kNotFound:
            return "not_found";
        case Status::Code::kUnavailable:
            return "unavailable";
        case Status::Code::kCorruption:
            return "corruption";
        case Status::Code::kIoError:
            return "io_error";
        case Status::Code::kInternal:
            return "internal";
    }
    return "internal";
}

ApiResponse ErrorResponse(const Status& status, std::string_view parameter) {
    return ErrorResponse(HttpStatusFor(status.code()), ErrorCodeName(status.code()),
                         status.message(), parameter);
}

ApiResponse ErrorResponse(int http_status, std::string_view code, std::string_view message,
                          std::string_view parameter) {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
    w.StartObject();
    w.Key("error");
    w.StartObject();
    w.Key("code");
    w.String(code.data(), static_cast<rapidjson::SizeType>(code.size()));
    w.Key("message");
    std::string escaped = EscapeHtml(message);  // messages may quote what the client sent
    w.String(escaped.data(), static_cast<rapidjson::SizeType>(escaped.size()));
    w.Key("parameter");
    if (parameter.empty()) {
        w.Null();
    } else {
        w.String(parameter.data(), static_cast<rapidjson::SizeType>(parameter.size()));
    }
    w.EndObject();
    w.EndObject();
    ApiResponse response;
    response.status = http_status;
    response.body = buffer.GetString();
    response.SetHeader("Cache-Control", "no-store");
    if (http_status == 503) response.SetHeader("Retry-After", "1");  // busy, not broken
    return response;
}

std::string Excerpt(std::string_view text, size_t max_bytes) {
    std::string out(text.substr(0, max_bytes));
    for (char& c : out) {
        if (c < 0x20 || c > 0x7e) c = '?';  // char is signed: bytes >= 0x80 are negative
    }
    if (text.size() > max_bytes) out += "...";
    return out;
}

ApiResponse JsonResponse(std::string body) {
    ApiResponse response;
    response.body = std::move(body);
    return response;
}

}  // namespace tnohaku::server
