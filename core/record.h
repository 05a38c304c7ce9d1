// Record: one guidance service, project, network or programme, as read from a JSONL line.
//
// This is the in-memory form of schema/record.schema.json (see schema/README.md for the
// meaning of each field). ParseRecord turns one line of JSON into a Record, checking
// structure and types against the JSON schema; ValidateRecord (validate.h) then checks
// codes, dates and cross-field rules against the vocabularies. RecordToJson writes the
// canonical JSON form back (what the importer emits and what /v1/records returns).
//
// Thread safety: plain values.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace tnohaku {

// The languages tnohaku analyses and displays.
enum class Lang { kFi, kSv, kEn };
inline constexpr Lang kAllLangs[] = {Lang::kFi, Lang::kSv, Lang::kEn};
std::string_view LangCode(Lang lang);  // "fi", "sv", "en"
std::optional<Lang> LangFromCode(std::string_view code);

// A text given in up to three languages; an empty string means "not given".
struct LangText {
    std::string fi, sv, en;

    std::string& operator[](Lang lang);
    const std::string& operator[](Lang lang) const;
    bool empty() const { return fi.empty() && sv.empty() && en.empty(); }
    // The text in `lang`, else the first non-empty one in the display fallback order
    // (lang, fi, sv, en).
    const std::string& Display(Lang lang) const;
};

struct Organisation {
    std::string id;  // optional, [a-z0-9-]
    std::string name;
    std::string role;  // provider | coordinator | partner | funder
};

// What a record declares it covers. Derived membership (a municipality lies in a region)
// is computed at indexing time, not stored here.
struct Area {
    bool national = false;
    std::vector<std::string> regions;         // whole regions, "01".."21"
    std::vector<std::string> municipalities;  // "005".."992"
    bool empty() const { return !national && regions.empty() && municipalities.empty(); }
};

// Dates as written: "YYYY", "YYYY-MM" or "YYYY-MM-DD"; empty when not given.
struct Period {
    std::string start, end;
    bool empty() const { return start.empty() && end.empty(); }
};

struct Location {
    std::string name, address, postal_code, municipality;
    std::optional<double> lat, lon;  // WGS84 degrees
};

struct Contact {
    std::string url, email, phone;  // of the organisation, never of a private person
};

struct Source {
    std::string name;  // the document or catalogue the record comes from
    std::string id;    // its id there
    std::string url;
};

struct Record {
    std::string id;
    std::string type;  // service | project | network | programme
    LangText name, summary, description;
    std::vector<std::string> translated;  // languages whose text is a translation
    std::vector<Organisation> organisations;
    Area area;
    std::vector<std::string> target_groups, themes, service_classes, channels, service_languages,
        funding, keywords;
    Period period;
    std::vector<Location> locations;
    Contact contact;
    std::string charge;  // free | chargeable | unknown, or empty
    LangText service_hours;
    Source source;
    std::string updated;  // a date, or empty
};

// One problem found in a record: which field (a path such as "period.end" or
// "locations[2].lat") and why, in words.
struct FieldError {
    std::string field;
    std::string reason;
};

// The outcome of reading one line. On failure `errors` is non-empty and `record` may be
// partially filled (its id, when it could be read, helps the report).
struct ParsedRecord {
    Record record;
    std::vector<FieldError> errors;
    bool ok() const { return errors.empty(); }
};

// Parses one JSON line: checks UTF-8, JSON syntax, and the JSON schema (structure, types,
// enums, size limits). Does not check codes or dates against vocabularies (validate.h).
ParsedRecord ParseRecord(std::string_view json_line);

// Reads a record that was validated before it was stored (a document's data), without
// the schema check. kCorruption when it is not a JSON object.
Result<Record> ReadStoredRecord(std::string_view json);

// The canonical JSON of a record: fields in schema order, empty fields left out.
std::string RecordToJson(const Record& record);

// "file:line: id=…: field 'x': reason" — the one format every tool reports bad records in.
std::string FormatRecordError(std::string_view file, size_t line, std::string_view id,
                              const FieldError& error);

}  // namespace tnohaku
