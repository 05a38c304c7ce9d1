// The plain request and response of tnohaku's HTTP API, and the one place where errors
// become HTTP statuses and JSON error bodies.
//
// Handlers, routing, parameter parsing and JSON writing work on ApiRequest/ApiResponse
// only; server/http_server.cpp (the one file that includes <httplib.h>) converts to and
// from the wire. So everything but the socket can be tested with plain structs.
//
// Thread safety: plain values.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace tnohaku::server {

// Query parameters, already percent-decoded ('+' arrives as a space), in request order
// per name. A name may occur several times.
using ParamMap = std::multimap<std::string, std::string>;

struct ApiRequest {
    std::string method;  // "GET", "HEAD", "OPTIONS", ...
    std::string path;    // percent-decoded, without the query string
    ParamMap params;
    std::vector<std::pair<std::string, std::string>> headers;

    // The first value of a header (name compared case-insensitively), or "".
    std::string Header(std::string_view name) const;
};

struct ApiResponse {
    int status = 200;
    std::string content_type = "application/json";
    // As sent: after Api::Handle, compressed when the headers say Content-Encoding.
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;
    // The route that answered ("search", "record", ...): a fixed set of names, used as the
    // metrics label and in the access log. Never holds request data.
    std::string route;

    void SetHeader(std::string name, std::string value);
    // The value of a header set on this response, or "".
    std::string Header(std::string_view name) const;
};

// The HTTP status for a Status code: kInvalidArgument 400, kNotFound 404,
// kUnavailable 503, anything else 500.
int HttpStatusFor(Status::Code code);
// "invalid_argument", "not_found", ...
std::string_view ErrorCodeName(Status::Code code);

// A JSON error response {"error": {"code", "message", "parameter"}}; `parameter` is the
// query parameter at fault, or empty (written as null). Every error the API sends is
// made by one of these two functions. A 503 carries Retry-After: 1.
ApiResponse ErrorResponse(const Status& status, std::string_view parameter = {});
ApiResponse ErrorResponse(int http_status, std::string_view code, std::string_view message,
                          std::string_view parameter = {});

// A 200 JSON response with this body.
ApiResponse JsonResponse(std::string body);

// Whether two header names or tokens are equal, ASCII letters compared case-insensitively.
bool EqualsIgnoringCase(std::string_view a, std::string_view b);

// `text` without the spaces and tabs (HTTP's optional whitespace) around it.
std::string_view TrimWhitespace(std::string_view text);

// The elements of a header value separated by `separator` (',' between list elements,
// ';' between an element's parameters), without the spaces and tabs around them. Empty
// elements are kept, in place: callers skip them.
std::vector<std::string_view> SplitHeaderList(std::string_view value, char separator = ',');

// Client input quoted in an error message or a log line: at most `max_bytes`, every byte
// outside printable ASCII replaced by '?', so that the quote is valid UTF-8 and one line.
std::string Excerpt(std::string_view text, size_t max_bytes = 40);

}  // namespace tnohaku::server
