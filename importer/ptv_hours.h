// PTV service hours → short text per language, e.g. "ma–pe 8.00–16.00" (fi),
// "mån–fre 8.00–16.00" (sv), "Mon–Fri 08:00–16:00" (en).
//
// Only the regular weekly hours are written (serviceHourType "DaysOfTheWeek", called
// "Standard" in later API versions): consecutive days with the same times are joined into
// a range, split shifts are listed with commas, "always open" entries say so, and an
// entry's additional information follows in brackets. Exceptional and special hours
// (holidays, date-bound openings) are not written: they go stale in a search index.
//
// Thread safety: pure function.
#pragma once

#include <rapidjson/document.h>

#include "core/record.h"

namespace tnohaku::importer {

// The hours of the `serviceHours` array member of a channel; empty when it gives none.
LangText FormatServiceHours(const rapidjson::Value& channel);

}  // namespace tnohaku::importer
