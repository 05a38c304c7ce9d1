#include "importer/ptv_fields.h"

#include "core/json_util.h"
#include "importer/text.h"

namespace tnohaku::importer {

const rapidjson::Value* ArrayMember(const rapidjson::Value& v, std::string_view key) {
    const rapidjson::Value* m = json::Find(v, key);
    return m && m->IsArray() ? m : nullptr;
}

const rapidjson::Value* ObjectMember(const rapidjson::Value& v, std::string_view key) {
    const rapidjson::Value* m = json::Find(v, key);
    return m && m->IsObject() ? m : nullptr;
}

std::vector<Localized> LocalizedList(const rapidjson::Value& v, std::string_view key,
                                     std::string_view type) {
    std::vector<Localized> out;
    const rapidjson::Value* list = ArrayMember(v, key);
    if (!list) return out;
    for (const auto& item : list->GetArray()) {
        Localized entry{AsciiLower(json::GetString(item, "language")),
                        Trim(json::GetString(item, "value")), json::GetString(item, "type")};
        if (entry.value.empty() || (!type.empty() && entry.type != type)) continue;
        out.push_back(std::move(entry));
    }
    return out;
}

LangText ToLangText(const std::vector<Localized>& entries) {
    LangText text;
    for (const auto& entry : entries) {
        auto lang = LangFromCode(entry.language);
        if (lang && text[*lang].empty()) text[*lang] = entry.value;
    }
    return text;
}

std::string FirstOf(const LangText& text) {
    for (Lang lang : kAllLangs) {
        if (!text[lang].empty()) return text[lang];
    }
    return {};
}

std::string EntryCode(const rapidjson::Value& entry) {
    std::string code = Trim(json::GetString(entry, "code"));
    if (!code.empty()) return code;
    std::string uri = json::GetString(entry, "newUri");
    size_t at = uri.rfind("/code/");
    return at == std::string::npos ? std::string() : Trim(uri.substr(at + 6));
}

std::string DatePart(std::string_view timestamp) {
    if (timestamp.size() < 10) return {};
    std::string_view date = timestamp.substr(0, 10);
    for (size_t i = 0; i < date.size(); ++i) {
        bool dash = i == 4 || i == 7;
        if (dash ? date[i] != '-' : (date[i] < '0' || date[i] > '9')) return {};
    }
    return std::string(date);
}

}  // namespace tnohaku::importer
