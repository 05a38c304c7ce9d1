// StaticFiles: serves the page and the widget from the --web-dir folder.
//
// Only GET/HEAD of regular files inside the folder: a path with "..", a backslash, a NUL
// or a '%' left after decoding (double-encoded input such as %252e%252e) is refused with
// 400; files whose real path (symbolic links resolved) lies outside the folder, hidden
// files and folders are 404. "/" serves index.html. HTML gets a Content-Security-Policy;
// every response gets X-Content-Type-Options: nosniff (added by the Api).
//
// Thread safety: immutable after construction; reads files per request.
#pragma once

#include <string>

#include "server/api.h"

namespace tnohaku::server {

// The Content-Security-Policy of HTML pages: scripts, styles and requests only from the
// server itself (no inline scripts), images also as data: URLs.
inline constexpr const char* kPagePolicy =
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' "
    "data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'";

class StaticFiles {
  public:
    // `dir` must exist; it is resolved to its real path once.
    explicit StaticFiles(const std::string& dir);
    // `path` as decoded from the request line, starting with '/'.
    ApiResponse Serve(const std::string& path) const;

  private:
    std::string root_;  // real path, without a trailing '/'
};

// The Content-Type for a file name by its extension ("application/octet-stream" when
// unknown).
std::string ContentTypeFor(const std::string& file_name);

}  // namespace tnohaku::server
