#include "core/dates.h"

#include <chrono>
#include <cstdio>
#include <ctime>

#include <unicode/calendar.h>
#include <unicode/timezone.h>

namespace tnohaku {
namespace {

bool Digits(std::string_view s) {
    for (char c : s) {
        if (c < '0' || c > '9') return false;
    }
    return !s.empty();
}

int ToInt(std::string_view s) {
    int v = 0;
    for (char c : s) v = v * 10 + (c - '0');
    return v;
}

int DaysInMonth(int year, int month) {
    using namespace std::chrono;
    return static_cast<int>(static_cast<unsigned>(
        year_month_day_last(std::chrono::year(year), month_day_last(std::chrono::month(month)))
            .day()));
}

int32_t Serial(int year, int month, int day) {
    using namespace std::chrono;
    sys_days d = std::chrono::year(year) / std::chrono::month(month) / std::chrono::day(day);
    return static_cast<int32_t>(d.time_since_epoch().count());
}

}  // namespace

std::optional<PartialDate> ParsePartialDate(std::string_view text) {
    PartialDate d;
    if (text.size() != 4 && text.size() != 7 && text.size() != 10) return std::nullopt;
    if (!Digits(text.substr(0, 4))) return std::nullopt;
    d.year = ToInt(text.substr(0, 4));
    if (d.year < 1900 || d.year > 2199) return std::nullopt;
    if (text.size() >= 7) {
        if (text[4] != '-' || !Digits(text.substr(5, 2))) return std::nullopt;
        d.month = ToInt(text.substr(5, 2));
        if (d.month < 1 || d.month > 12) return std::nullopt;
    }
    if (text.size() == 10) {
        if (text[7] != '-' || !Digits(text.substr(8, 2))) return std::nullopt;
        d.day = ToInt(text.substr(8, 2));
        if (d.day < 1 || d.day > DaysInMonth(d.year, d.month)) return std::nullopt;
    }
    return d;
}

int32_t FirstDay(const PartialDate& date) {
    return Serial(date.year, date.month ? date.month : 1, date.day ? date.day : 1);
}

int32_t LastDay(const PartialDate& date) {
    int month = date.month ? date.month : 12;
    int day = date.day ? date.day : DaysInMonth(date.year, month);
    return Serial(date.year, month, day);
}

std::string FormatDay(int32_t day) {
    using namespace std::chrono;
    year_month_day ymd{sys_days{days{day}}};
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
    return buf;
}

std::string UtcNowIso8601() {
    std::time_t now = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&now, &tm);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return text;
}

int32_t TodayInHelsinki() {
    // ICU carries the time zone rules (GCC 12's libstdc++ has no std::chrono::zoned_time).
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::TimeZone> zone(icu::TimeZone::createTimeZone("Europe/Helsinki"));
    std::unique_ptr<icu::Calendar> cal(icu::Calendar::createInstance(zone.release(), status));
    if (U_FAILURE(status)) {
        auto now = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
        return static_cast<int32_t>(now.time_since_epoch().count());
    }
    int year = cal->get(UCAL_YEAR, status);
    int month = cal->get(UCAL_MONTH, status) + 1;
    int day = cal->get(UCAL_DATE, status);
    return Serial(year, month, day);
}

}  // namespace tnohaku
