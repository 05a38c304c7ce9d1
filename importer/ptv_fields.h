// Readers for the value shapes that recur throughout PTV open API JSON (v9 to v11):
// localised lists [{"language":"fi","value":"…","type":"Name"}], code lists whose code
// may only be in a URI, and null-tolerant member access.
//
// Internal to the importer's PTV readers. Thread safety: pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <rapidjson/document.h>

#include "core/record.h"

namespace tnohaku::importer {

// The array member `key` of `v`, or nullptr when absent, null or not an array.
const rapidjson::Value* ArrayMember(const rapidjson::Value& v, std::string_view key);
// The object member `key` of `v`, or nullptr when absent, null or not an object.
const rapidjson::Value* ObjectMember(const rapidjson::Value& v, std::string_view key);

// One entry of a localised list.
struct Localized {
    std::string language;  // as written, lower case ("fi", "sv", "en", "se", …)
    std::string value;     // trimmed; entries with no text are left out
    std::string type;      // "Name", "Summary", … or empty
};

// The non-empty entries of the localised list `key` of `v`, in order; with `type`
// given, only the entries of that type.
std::vector<Localized> LocalizedList(const rapidjson::Value& v, std::string_view key,
                                     std::string_view type = {});

// The first fi, sv and en texts among `entries` (other languages are ignored).
LangText ToLangText(const std::vector<Localized>& entries);

// The first of fi, sv, en given in `text`, else "".
std::string FirstOf(const LangText& text);

// The code of a PTV code-list entry: its "code", else the last path segment of "newUri"
// when that is a uri.suomi.fi code URI (".../code/P6.10"). Empty when neither gives one.
std::string EntryCode(const rapidjson::Value& entry);

// The date part ("YYYY-MM-DD") of a PTV timestamp such as "2018-05-03T11:53:58.162746Z";
// empty when `timestamp` does not start with one.
std::string DatePart(std::string_view timestamp);

}  // namespace tnohaku::importer
