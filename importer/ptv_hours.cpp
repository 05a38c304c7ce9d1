#include "importer/ptv_hours.h"

#include <array>
#include <string_view>
#include <vector>

#include "core/json_util.h"
#include "importer/ptv_fields.h"
#include "importer/text.h"

namespace tnohaku::importer {
namespace {

constexpr std::array<std::string_view, 7> kDayNames = {
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};

std::string_view DayAbbreviation(Lang lang, size_t day) {
    static constexpr std::array<std::string_view, 7> fi = {"ma", "ti", "ke", "to",
                                                           "pe", "la", "su"};
    static constexpr std::array<std::string_view, 7> sv = {"mån", "tis", "ons", "tor",
                                                           "fre", "lör", "sön"};
    static constexpr std::array<std::string_view, 7> en = {"Mon", "Tue", "Wed", "Thu",
                                                           "Fri", "Sat", "Sun"};
    return lang == Lang::kFi ? fi[day] : lang == Lang::kSv ? sv[day] : en[day];
}

std::string_view AlwaysOpen(Lang lang) {
    return lang == Lang::kFi   ? "avoinna ympäri vuorokauden"
           : lang == Lang::kSv ? "öppet dygnet runt"
                               : "open 24 hours";
}

// 0 for "Monday" … 6 for "Sunday"; 7 when not a day name.
size_t DayIndex(std::string_view name) {
    for (size_t i = 0; i < kDayNames.size(); ++i) {
        if (kDayNames[i] == name) return i;
    }
    return kDayNames.size();
}

// "08:00:00" → "8.00" (fi, sv) or "08:00" (en); "" when not a time.
std::string FormatTime(std::string_view time, Lang lang) {
    if (time.size() < 5 || time[2] != ':') return {};
    std::string hours(time.substr(0, 2)), minutes(time.substr(3, 2));
    if (lang == Lang::kEn) return hours + ":" + minutes;
    if (hours[0] == '0') hours.erase(0, 1);
    return hours + "." + minutes;
}

// The opening intervals of each weekday ("8.00–16.00", …) of one service-hours entry.
std::array<std::vector<std::string>, 7> IntervalsByDay(const rapidjson::Value& entry, Lang lang) {
    std::array<std::vector<std::string>, 7> days;
    const rapidjson::Value* hours = ArrayMember(entry, "openingHour");
    if (!hours) return days;
    for (const auto& h : hours->GetArray()) {
        size_t from = DayIndex(json::GetString(h, "dayFrom"));
        size_t to = DayIndex(json::GetString(h, "dayTo"));
        if (from >= 7) continue;
        if (to >= 7) to = from;
        std::string start = FormatTime(json::GetString(h, "from"), lang);
        std::string end = FormatTime(json::GetString(h, "to"), lang);
        if (start.empty() || end.empty()) continue;
        for (size_t d = from;; d = (d + 1) % 7) {  // a range may wrap past Sunday
            days[d].push_back(start + "–" + end);
            if (d == to) break;
        }
    }
    return days;
}

std::string JoinIntervals(const std::vector<std::string>& intervals) {
    std::string out;
    for (const auto& interval : intervals) out += (out.empty() ? "" : ", ") + interval;
    return out;
}

// "ma–pe 8.00–16.00, la 10.00–14.00": runs of consecutive days with the same times.
std::string WeekText(const std::array<std::vector<std::string>, 7>& days, Lang lang) {
    std::string out;
    for (size_t d = 0; d < 7;) {
        if (days[d].empty()) {
            ++d;
            continue;
        }
        size_t last = d;
        while (last + 1 < 7 && days[last + 1] == days[d]) ++last;
        std::string span(DayAbbreviation(lang, d));
        if (last > d) span += "–" + std::string(DayAbbreviation(lang, last));
        out += (out.empty() ? "" : ", ") + span + " " + JoinIntervals(days[d]);
        d = last + 1;
    }
    return out;
}

// One regular service-hours entry as text in `lang`; "" when it says nothing.
std::string EntryText(const rapidjson::Value& entry, Lang lang) {
    const rapidjson::Value* closed = json::Find(entry, "isClosed");
    if (closed && closed->IsBool() && closed->GetBool()) return {};
    const rapidjson::Value* always = json::Find(entry, "isAlwaysOpen");
    std::string text = always && always->IsBool() && always->GetBool()
                           ? std::string(AlwaysOpen(lang))
                           : WeekText(IntervalsByDay(entry, lang), lang);
    std::string info = ToLangText(LocalizedList(entry, "additionalInformation"))[lang];
    if (!info.empty()) text += text.empty() ? info : " (" + info + ")";
    return text;
}

}  // namespace

LangText FormatServiceHours(const rapidjson::Value& channel) {
    LangText out;
    const rapidjson::Value* entries = ArrayMember(channel, "serviceHours");
    if (!entries) return out;
    for (const auto& entry : entries->GetArray()) {
        std::string type = json::GetString(entry, "serviceHourType");
        if (type != "DaysOfTheWeek" && type != "Standard") continue;
        for (Lang lang : kAllLangs) {
            std::string text = EntryText(entry, lang);
            if (!text.empty()) out[lang] += (out[lang].empty() ? "" : "; ") + text;
        }
    }
    return out;
}

}  // namespace tnohaku::importer
