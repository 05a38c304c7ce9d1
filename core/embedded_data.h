// Data files compiled into the library: the record JSON schema and the vocabularies.
//
// The texts are generated at configure time from schema/record.schema.json and
// schema/vocab/*.json (see core/CMakeLists.txt), so programs need no data folder.
#pragma once

#include <string_view>

namespace tnohaku {

// The contents of a file named by its base name without extension, e.g.
// "record.schema" or "municipalities"; empty when there is no such file.
std::string_view EmbeddedFile(std::string_view name);

}  // namespace tnohaku
