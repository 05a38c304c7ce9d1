// Small RapidJSON helpers shared by core's readers and writers: optional lookups that
// return a default when a member is absent or of another type, and writers that leave
// empty values out. Internal to core/ (and the importer); not part of any data contract.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace tnohaku::json {

// The member `key` of object `v`, or nullptr when `v` is not an object or has no such member.
inline const rapidjson::Value* Find(const rapidjson::Value& v, std::string_view key) {
    if (!v.IsObject()) return nullptr;
    auto it = v.FindMember(rapidjson::Value(rapidjson::StringRef(key.data(), key.size())));
    return it == v.MemberEnd() ? nullptr : &it->value;
}

inline std::string GetString(const rapidjson::Value& v, std::string_view key) {
    const rapidjson::Value* m = Find(v, key);
    return m && m->IsString() ? std::string(m->GetString(), m->GetStringLength()) : std::string();
}

inline std::optional<double> GetDouble(const rapidjson::Value& v, std::string_view key) {
    const rapidjson::Value* m = Find(v, key);
    if (m && m->IsNumber()) return m->GetDouble();
    return std::nullopt;
}

inline std::vector<std::string> GetStrings(const rapidjson::Value& v, std::string_view key) {
    std::vector<std::string> out;
    const rapidjson::Value* m = Find(v, key);
    if (!m || !m->IsArray()) return out;
    for (const auto& item : m->GetArray()) {
        if (item.IsString()) out.emplace_back(item.GetString(), item.GetStringLength());
    }
    return out;
}

template <typename Writer>
void WriteIfSet(Writer& w, std::string_view key, const std::string& value) {
    if (value.empty()) return;
    w.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
    w.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
}

template <typename Writer>
void WriteStrings(Writer& w, std::string_view key, const std::vector<std::string>& values) {
    if (values.empty()) return;
    w.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
    w.StartArray();
    for (const auto& s : values) w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
    w.EndArray();
}

}  // namespace tnohaku::json
