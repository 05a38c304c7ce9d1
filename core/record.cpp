#include "core/record.h"

#include <cmath>
#include <memory>

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/pointer.h>
#include <rapidjson/schema.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "core/embedded_data.h"
#include "core/exact_json.h"
#include "core/json_util.h"

namespace tnohaku {

std::string_view LangCode(Lang lang) {
    switch (lang) {
        case Lang::kFi:
            return "fi";
        case Lang::kSv:
            return "sv";
        case Lang::kEn:
            return "en";
    }
    return "fi";
}

std::optional<Lang> LangFromCode(std::string_view code) {
    for (Lang lang : kAllLangs) {
        if (LangCode(lang) == code) return lang;
    }
    return std::nullopt;
}

std::string& LangText::operator[](Lang lang) {
    return lang == Lang::kFi ? fi : lang == Lang::kSv ? sv : en;
}

const std::string& LangText::operator[](Lang lang) const {
    return lang == Lang::kFi ? fi : lang == Lang::kSv ? sv : en;
}

const std::string& LangText::Display(Lang lang) const {
    if (!(*this)[lang].empty()) return (*this)[lang];
    for (Lang other : kAllLangs) {
        if (!(*this)[other].empty()) return (*this)[other];
    }
    return fi;
}

namespace {

// The record schema, parsed and compiled once per thread: RapidJSON 1.1's pattern
// matcher keeps its matching state inside the compiled schema, so a schema shared between
// threads crashes under concurrent validation. Compiling costs ~100 µs per thread. The raw
// document is kept too: RapidJSON 1.1 reports only the failing keyword and two JSON
// pointers, and the raw schema is what turns them into a useful reason.
class RecordSchema {
  public:
    RecordSchema() {
        std::string_view text = EmbeddedFile("record.schema");
        raw_.Parse(text.data(), text.size());
        compiled_ = std::make_unique<rapidjson::SchemaDocument>(raw_);
    }
    const rapidjson::SchemaDocument& compiled() const { return *compiled_; }
    const rapidjson::Document& raw() const { return raw_; }

  private:
    rapidjson::Document raw_;
    std::unique_ptr<rapidjson::SchemaDocument> compiled_;
};

const RecordSchema& Schema() {
    thread_local const RecordSchema schema;
    return schema;
}

// Turns a JSON pointer such as "/locations/2/lat" into the field path "locations[2].lat"
// that the error messages use.
std::string FieldPath(std::string_view pointer) {
    std::string out;
    size_t i = 0;
    while (i < pointer.size()) {
        if (pointer[i] == '/') ++i;
        size_t next = pointer.find('/', i);
        std::string_view part = pointer.substr(i, next == std::string_view::npos ? next : next - i);
        bool index =
            !part.empty() && part.find_first_not_of("0123456789") == std::string_view::npos;
        if (index) {
            out += "[" + std::string(part) + "]";
        } else if (!part.empty()) {
            if (!out.empty()) out += ".";
            out += part;
        }
        if (next == std::string_view::npos) break;
        i = next;
    }
    return out.empty() ? "(record)" : out;
}

std::string JsonTypeName(const rapidjson::Value& v) {
    if (v.IsNull()) return "null";
    if (v.IsBool()) return "a boolean";
    if (v.IsNumber()) return "a number";
    if (v.IsString()) return "a string";
    if (v.IsArray()) return "an array";
    return "an object";
}

std::string JoinValues(const rapidjson::Value& list) {
    std::string out;
    if (!list.IsArray()) return out;
    for (const auto& v : list.GetArray()) {
        if (!out.empty()) out += ", ";
        out += v.IsString() ? v.GetString() : JsonTypeName(v);
    }
    return out;
}

// Words for a person: what `rule` (the schema object whose `keyword` failed) asked of
// `instance` (the part of the record that failed it).
std::string SchemaReason(std::string_view keyword, const rapidjson::Value& rule,
                         const rapidjson::Value& instance) {
    auto rule_int = [&](const char* key) {
        const auto* v = json::Find(rule, key);
        return v && v->IsInt() ? std::to_string(v->GetInt()) : std::string("?");
    };
    if (keyword == "required") {
        std::string missing;
        if (const auto* req = json::Find(rule, "required"); req && req->IsArray()) {
            for (const auto& name : req->GetArray()) {
                if (!json::Find(instance, name.GetString()))
                    missing += (missing.empty() ? "" : ", ") + std::string(name.GetString());
            }
        }
        return "is missing the required field(s): " + missing;
    }
    if (keyword == "additionalProperties") {
        std::string unknown;
        const auto* props = json::Find(rule, "properties");
        if (instance.IsObject()) {
            for (const auto& m : instance.GetObject()) {
                if (!props || !json::Find(*props, m.name.GetString()))
                    unknown +=
                        (unknown.empty() ? "'" : ", '") + std::string(m.name.GetString()) + "'";
            }
        }
        return "has unknown field(s) " + unknown;
    }
    if (keyword == "type") {
        const auto* type = json::Find(rule, "type");
        std::string want =
            type && type->IsString() ? type->GetString() : JoinValues(type ? *type : rule);
        return "must be of type " + want + ", not " + JsonTypeName(instance);
    }
    if (keyword == "enum") {
        const auto* allowed = json::Find(rule, "enum");
        return "must be one of: " + (allowed ? JoinValues(*allowed) : std::string());
    }
    if (keyword == "pattern") {
        return "is not in the required form " + json::GetString(rule, "pattern");
    }
    if (keyword == "maxLength")
        return "is too long (limit " + rule_int("maxLength") + " characters)";
    if (keyword == "minLength") return "must not be empty";
    if (keyword == "maxItems") return "has too many items (limit " + rule_int("maxItems") + ")";
    if (keyword == "uniqueItems") return "lists the same value twice";
    return "breaks the schema rule '" + std::string(keyword) + "'";
}

std::string PointerText(const rapidjson::Pointer& pointer) {
    rapidjson::StringBuffer buffer;
    pointer.Stringify(buffer);
    return buffer.GetString();
}

FieldError SchemaError(const rapidjson::SchemaValidator& validator,
                       const rapidjson::Document& doc) {
    std::string keyword = validator.GetInvalidSchemaKeyword();
    const rapidjson::Value* rule = validator.GetInvalidSchemaPointer().Get(Schema().raw());
    const rapidjson::Value* instance = validator.GetInvalidDocumentPointer().Get(doc);
    std::string pointer = PointerText(validator.GetInvalidDocumentPointer());
    if (keyword == "additionalProperties" && instance && !instance->IsObject()) {
        // RapidJSON 1.1 points at the unknown member itself rather than its object.
        size_t slash = pointer.rfind('/');
        std::string name = slash == std::string::npos ? pointer : pointer.substr(slash + 1);
        return {FieldPath(pointer.substr(0, slash == std::string::npos ? 0 : slash)),
                "has an unknown field '" + name + "'"};
    }
    std::string field = FieldPath(pointer);
    if (!rule || !instance) return {field, "breaks the schema rule '" + keyword + "'"};
    return {field, SchemaReason(keyword, *rule, *instance)};
}

void ReadLangText(const rapidjson::Value& obj, LangText& out) {
    for (Lang lang : kAllLangs) out[lang] = json::GetString(obj, LangCode(lang));
}

void ReadRecord(const rapidjson::Value& v, Record& r) {
    r.id = json::GetString(v, "id");
    r.type = json::GetString(v, "type");
    if (const auto* o = json::Find(v, "name")) ReadLangText(*o, r.name);
    if (const auto* o = json::Find(v, "summary")) ReadLangText(*o, r.summary);
    if (const auto* o = json::Find(v, "description")) ReadLangText(*o, r.description);
    if (const auto* o = json::Find(v, "service_hours")) ReadLangText(*o, r.service_hours);
    r.translated = json::GetStrings(v, "translated");
    if (const auto* orgs = json::Find(v, "organisations"); orgs && orgs->IsArray()) {
        for (const auto& o : orgs->GetArray()) {
            r.organisations.push_back(
                {json::GetString(o, "id"), json::GetString(o, "name"), json::GetString(o, "role")});
        }
    }
    if (const auto* a = json::Find(v, "area")) {
        if (const auto* n = json::Find(*a, "national"); n && n->IsBool())
            r.area.national = n->GetBool();
        r.area.regions = json::GetStrings(*a, "regions");
        r.area.municipalities = json::GetStrings(*a, "municipalities");
    }
    r.target_groups = json::GetStrings(v, "target_groups");
    r.themes = json::GetStrings(v, "themes");
    r.service_classes = json::GetStrings(v, "service_classes");
    r.channels = json::GetStrings(v, "channels");
    r.service_languages = json::GetStrings(v, "service_languages");
    r.funding = json::GetStrings(v, "funding");
    r.keywords = json::GetStrings(v, "keywords");
    if (const auto* p = json::Find(v, "period")) {
        r.period.start = json::GetString(*p, "start");
        r.period.end = json::GetString(*p, "end");
    }
    // Stored data is ours, but a damaged value must not be read as another type.
    if (const auto* locs = json::Find(v, "locations"); locs && locs->IsArray()) {
        for (const auto& l : locs->GetArray()) {
            Location loc{json::GetString(l, "name"),        json::GetString(l, "address"),
                         json::GetString(l, "postal_code"), json::GetString(l, "municipality"),
                         json::GetDouble(l, "lat"),         json::GetDouble(l, "lon")};
            r.locations.push_back(std::move(loc));
        }
    }
    if (const auto* c = json::Find(v, "contact")) {
        r.contact = {json::GetString(*c, "url"), json::GetString(*c, "email"),
                     json::GetString(*c, "phone")};
    }
    r.charge = json::GetString(v, "charge");
    if (const auto* s = json::Find(v, "source")) {
        r.source = {json::GetString(*s, "name"), json::GetString(*s, "id"),
                    json::GetString(*s, "url")};
    }
    r.updated = json::GetString(v, "updated");
}

// The path of the first number beyond ±2^53 (no record field holds one), else empty.
// RapidJSON 1.1's schema validator converts numbers to uint64_t unchecked when it hashes
// them for enum checks, which is undefined for such values (found by fuzzing), so they
// are refused before the schema sees them.
std::string HugeNumberPath(const rapidjson::Value& v, const std::string& path) {
    constexpr double kLargestExact = 9007199254740992.0;  // 2^53
    if (v.IsNumber()) return std::abs(v.GetDouble()) > kLargestExact ? path : std::string();
    if (v.IsArray()) {
        for (rapidjson::SizeType i = 0; i < v.Size(); ++i) {
            std::string found = HugeNumberPath(v[i], path + "[" + std::to_string(i) + "]");
            if (!found.empty()) return found;
        }
    } else if (v.IsObject()) {
        for (const auto& m : v.GetObject()) {
            const std::string name(m.name.GetString(), m.name.GetStringLength());
            std::string found = HugeNumberPath(m.value, path.empty() ? name : path + "." + name);
            if (!found.empty()) return found;
        }
    }
    return {};
}

}  // namespace

ParsedRecord ParseRecord(std::string_view json_line) {
    ParsedRecord out;
    // Numbers read exactly (core/exact_json.h), so the canonical JSON of a record reads
    // back to the same record and stored coordinates are the ones validated.
    rapidjson::Document doc;
    rapidjson::ParseResult parse = json::ParseExact(json_line, doc, json::Utf8Check::kValidate);
    if (parse.IsError()) {
        bool encoding = parse.Code() == rapidjson::kParseErrorStringInvalidEncoding;
        out.errors.push_back({"(record)", (encoding ? "invalid UTF-8" : "invalid JSON") +
                                              std::string(" at byte ") +
                                              std::to_string(parse.Offset()) + ": " +
                                              rapidjson::GetParseError_En(parse.Code())});
        return out;
    }
    if (!doc.IsObject()) {
        out.errors.push_back({"(record)", "must be a JSON object"});
        return out;
    }
    // The id helps every later message, so read it before the schema check.
    if (const auto* id = json::Find(doc, "id"); id && id->IsString())
        out.record.id = id->GetString();
    if (std::string field = HugeNumberPath(doc, ""); !field.empty()) {
        out.errors.push_back({field, "number out of range (beyond ±2^53)"});
        return out;
    }
    rapidjson::SchemaValidator validator(Schema().compiled());
    if (!doc.Accept(validator)) {
        out.errors.push_back(SchemaError(validator, doc));
        return out;
    }
    ReadRecord(doc, out.record);
    return out;
}

Result<Record> ReadStoredRecord(std::string_view json) {
    rapidjson::Document doc;
    if (json::ParseExact(json, doc, json::Utf8Check::kTrust).IsError() || !doc.IsObject())
        return Status::Corruption("stored record is not a JSON object");
    Record record;
    ReadRecord(doc, record);
    return record;
}

namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void WriteLangText(Writer& w, const char* key, const LangText& t) {
    if (t.empty()) return;
    w.Key(key);
    w.StartObject();
    for (Lang lang : kAllLangs) json::WriteIfSet(w, LangCode(lang), t[lang]);
    w.EndObject();
}

void WriteRecordBody(Writer& w, const Record& r) {
    json::WriteIfSet(w, "id", r.id);
    json::WriteIfSet(w, "type", r.type);
    WriteLangText(w, "name", r.name);
    WriteLangText(w, "summary", r.summary);
    WriteLangText(w, "description", r.description);
    json::WriteStrings(w, "translated", r.translated);
    if (!r.organisations.empty()) {
        w.Key("organisations");
        w.StartArray();
        for (const auto& o : r.organisations) {
            w.StartObject();
            json::WriteIfSet(w, "id", o.id);
            json::WriteIfSet(w, "name", o.name);
            json::WriteIfSet(w, "role", o.role);
            w.EndObject();
        }
        w.EndArray();
    }
    if (!r.area.empty()) {
        w.Key("area");
        w.StartObject();
        if (r.area.national) {
            w.Key("national");
            w.Bool(true);
        }
        json::WriteStrings(w, "regions", r.area.regions);
        json::WriteStrings(w, "municipalities", r.area.municipalities);
        w.EndObject();
    }
    json::WriteStrings(w, "target_groups", r.target_groups);
    json::WriteStrings(w, "themes", r.themes);
    json::WriteStrings(w, "service_classes", r.service_classes);
    json::WriteStrings(w, "channels", r.channels);
    json::WriteStrings(w, "service_languages", r.service_languages);
    json::WriteStrings(w, "funding", r.funding);
    json::WriteStrings(w, "keywords", r.keywords);
    if (!r.period.empty()) {
        w.Key("period");
        w.StartObject();
        json::WriteIfSet(w, "start", r.period.start);
        json::WriteIfSet(w, "end", r.period.end);
        w.EndObject();
    }
    if (!r.locations.empty()) {
        w.Key("locations");
        w.StartArray();
        for (const auto& l : r.locations) {
            w.StartObject();
            json::WriteIfSet(w, "name", l.name);
            json::WriteIfSet(w, "address", l.address);
            json::WriteIfSet(w, "postal_code", l.postal_code);
            json::WriteIfSet(w, "municipality", l.municipality);
            if (l.lat && l.lon) {
                w.Key("lat");
                w.Double(*l.lat);
                w.Key("lon");
                w.Double(*l.lon);
            }
            w.EndObject();
        }
        w.EndArray();
    }
    if (!r.contact.url.empty() || !r.contact.email.empty() || !r.contact.phone.empty()) {
        w.Key("contact");
        w.StartObject();
        json::WriteIfSet(w, "url", r.contact.url);
        json::WriteIfSet(w, "email", r.contact.email);
        json::WriteIfSet(w, "phone", r.contact.phone);
        w.EndObject();
    }
    json::WriteIfSet(w, "charge", r.charge);
    WriteLangText(w, "service_hours", r.service_hours);
    if (!r.source.name.empty()) {
        w.Key("source");
        w.StartObject();
        json::WriteIfSet(w, "name", r.source.name);
        json::WriteIfSet(w, "id", r.source.id);
        json::WriteIfSet(w, "url", r.source.url);
        w.EndObject();
    }
    json::WriteIfSet(w, "updated", r.updated);
}

}  // namespace

std::string RecordToJson(const Record& record) {
    rapidjson::StringBuffer buffer;
    Writer writer(buffer);
    writer.StartObject();
    WriteRecordBody(writer, record);
    writer.EndObject();
    return buffer.GetString();
}

std::string FormatRecordError(std::string_view file, size_t line, std::string_view id,
                              const FieldError& error) {
    std::string out = std::string(file) + ":" + std::to_string(line) + ": ";
    if (!id.empty()) out += "id=" + std::string(id) + ": ";
    out += "field '" + error.field + "': " + error.reason;
    return out;
}

}  // namespace tnohaku
