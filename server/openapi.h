// The OpenAPI 3 document of the API (server/openapi.json), compiled into the program at
// build time (server/CMakeLists.txt) and served at /openapi.json.
#pragma once

#include <string>
#include <string_view>

namespace tnohaku::server {

std::string_view OpenApiDocument();
// A weak ETag of the document's text.
const std::string& OpenApiETag();

}  // namespace tnohaku::server
