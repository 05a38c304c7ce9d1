// ValidateRecord: the rules the JSON schema cannot express.
//
// ParseRecord (record.h) has already checked structure, types, enums and sizes. This
// checks, against the vocabularies: every code is known (regions, municipalities, target
// groups, themes, service classes, channels, service languages, funding), no list repeats
// a code, dates are real calendar dates and a period does not end before it starts,
// coordinates lie in Finland and come in pairs, the record has a name and declares an
// area, translated languages have text, contact addresses are well formed.
// schema/README.md lists every rule; tests/core/validate_test.cpp has one test per rule.
//
// Thread safety: pure function of its arguments.
#pragma once

#include <vector>

#include "core/record.h"
#include "core/vocab.h"

namespace tnohaku {

// Finland's bounding box in WGS84, with a small margin (Åland to Ilomantsi, Hanko to Nuorgam).
inline constexpr double kMinLat = 59.3, kMaxLat = 70.2, kMinLon = 19.0, kMaxLon = 31.7;

// Every problem found, in field order; empty when the record is valid.
std::vector<FieldError> ValidateRecord(const Record& record, const Vocabulary& vocab);

// ParseRecord followed by ValidateRecord: the one check every reader of records uses.
ParsedRecord ParseAndValidate(std::string_view json_line, const Vocabulary& vocab);

}  // namespace tnohaku
