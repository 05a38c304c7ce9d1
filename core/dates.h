// Partial dates as records write them: "YYYY", "YYYY-MM" or "YYYY-MM-DD".
//
// A period's start means the first day of what it names and its end the last day
// ("2024" as an end = 2024-12-31; "2024-02" = 2024-02-29). Days are counted as a serial
// day number (days since 1970-01-01) so that they compare and sort as integers.
// Dates are calendar dates in Europe/Helsinki; there is no time of day.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tnohaku {

struct PartialDate {
    int year = 0, month = 0, day = 0;  // month and day 0 when not given
};

// Parses "YYYY", "YYYY-MM" or "YYYY-MM-DD"; nullopt unless it is a real calendar date
// (month 1–12, the day exists in that month, year 1900–2199).
std::optional<PartialDate> ParsePartialDate(std::string_view text);

// Serial day numbers of the first and last day that a partial date names.
int32_t FirstDay(const PartialDate& date);
int32_t LastDay(const PartialDate& date);

// A full date from a serial day number, as "YYYY-MM-DD".
std::string FormatDay(int32_t day);

// The current time in UTC as ISO 8601, e.g. "2026-11-22T08:15:00Z" (index metadata,
// log lines).
std::string UtcNowIso8601();

// Today's date in Europe/Helsinki as a serial day number.
int32_t TodayInHelsinki();

}  // namespace tnohaku
