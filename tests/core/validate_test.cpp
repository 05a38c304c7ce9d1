#include "core/validate.h"

#include <doctest/doctest.h>

#include "core/dates.h"

namespace tnohaku {
namespace {

const Vocabulary& Vocab() {
    static const auto vocab = Vocabulary::LoadEmbedded();
    return **vocab;
}

// A valid record; each test breaks one rule of it.
std::string With(const std::string& extra) {
    return R"({"id":"r1","type":"project","name":{"fi":"Hanke"},"area":{"regions":["17"]})" +
           (extra.empty() ? std::string("}") : "," + extra + "}");
}

// The single error of a record, which must have exactly one.
FieldError OnlyError(const std::string& json) {
    ParsedRecord parsed = ParseAndValidate(json, Vocab());
    REQUIRE(parsed.errors.size() == 1);
    return parsed.errors[0];
}

void CheckRejected(const std::string& json, const std::string& field,
                   const std::string& reason_part) {
    CAPTURE(json);
    FieldError e = OnlyError(json);
    CHECK(e.field == field);
    CHECK_MESSAGE(e.reason.find(reason_part) != std::string::npos, e.reason);
}

TEST_CASE("the base record is valid") {
    CHECK(ParseAndValidate(With(""), Vocab()).ok());
}

TEST_CASE("rule: a name in at least one language") {
    CheckRejected(R"({"id":"r1","type":"project","name":{"fi":"  "},"area":{"national":true}})",
                  "name", "at least one language");
}

TEST_CASE("rule: an area is declared") {
    CheckRejected(R"({"id":"r1","type":"project","name":{"fi":"x"}})", "area", "must declare");
    CheckRejected(R"({"id":"r1","type":"project","name":{"fi":"x"},"area":{"national":false}})",
                  "area", "must declare");
}

TEST_CASE("rule: region and municipality codes are official") {
    CheckRejected(R"({"id":"r1","type":"project","name":{"fi":"x"},"area":{"regions":["03"]}})",
                  "area.regions[0]", "unknown code '03'");
    CheckRejected(
        R"({"id":"r1","type":"project","name":{"fi":"x"},"area":{"municipalities":["999"]}})",
        "area.municipalities[0]", "unknown code '999'");
}

TEST_CASE("rule: facet codes come from their vocabulary") {
    CheckRejected(With(R"("target_groups":["youth","KR9"])"), "target_groups[1]",
                  "target_groups.json");
    CheckRejected(With(R"("themes":["astrology"])"), "themes[0]", "unknown code");
    CheckRejected(With(R"("service_classes":["P99"])"), "service_classes[0]", "unknown code");
    CheckRejected(With(R"("channels":["pigeon"])"), "channels[0]", "unknown code");
    CheckRejected(With(R"("service_languages":["xx"])"), "service_languages[0]", "unknown code");
    CheckRejected(With(R"("funding":["lottery"])"), "funding[0]", "unknown code");
}

TEST_CASE("rule: a list does not repeat a code") {
    CheckRejected(With(R"("themes":["digital","digital"])"), "themes[1]", "repeats");
}

TEST_CASE("rule: dates are real calendar dates") {
    CheckRejected(With(R"("period":{"start":"2024-13"})"), "period.start", "not a date");
    CheckRejected(With(R"("period":{"end":"2023-02-29"})"), "period.end", "not a date");
    CheckRejected(With(R"("updated":"2024-04-31")"), "updated", "not a date");
    CHECK(ParseAndValidate(With(R"("period":{"start":"2024-02-29","end":"2024"})"), Vocab()).ok());
}

TEST_CASE("rule: a period does not end before it starts") {
    CheckRejected(With(R"("period":{"start":"2024-05","end":"2024-04-30"})"), "period.end",
                  "before the start");
    // The same month as start and end is fine: "2024-05" ends on the 31st.
    CHECK(
        ParseAndValidate(With(R"("period":{"start":"2024-05-20","end":"2024-05"})"), Vocab()).ok());
}

TEST_CASE("rule: coordinates lie in Finland and come in pairs") {
    CheckRejected(With(R"("locations":[{"lat":59.33,"lon":18.07}])"), "locations[0]",
                  "outside Finland");
    CheckRejected(With(R"("locations":[{"lat":65.0}])"), "locations[0]", "only one of lat and lon");
    CheckRejected(With(R"("locations":[{"municipality":"000"}])"), "locations[0].municipality",
                  "unknown code");
    CHECK(ParseAndValidate(With(R"("locations":[{"lat":60.1699,"lon":24.9384}])"), Vocab()).ok());
}

TEST_CASE("rule: translated languages have text") {
    CheckRejected(With(R"("translated":["sv"])"), "translated", "no text in that language");
}

TEST_CASE("rule: organisations have names") {
    CheckRejected(With(R"("organisations":[{"name":" ","role":"provider"}])"),
                  "organisations[0].name", "blank");
}

TEST_CASE("rule: keywords are not blank") {
    CheckRejected(With(R"("keywords":["  "])"), "keywords[0]", "blank");
}

TEST_CASE("rule: contact addresses are well formed") {
    CheckRejected(With(R"("contact":{"url":"www.example.org"})"), "contact.url", "https://");
    CheckRejected(With(R"("contact":{"email":"nobody"})"), "contact.email", "not an e-mail");
}

TEST_CASE("several problems are all reported") {
    ParsedRecord parsed =
        ParseAndValidate(With(R"("themes":["x"],"period":{"start":"2024-99"})"), Vocab());
    CHECK(parsed.errors.size() == 2);
}

TEST_CASE("partial dates name their first and last day") {
    auto d = ParsePartialDate("2024");
    REQUIRE(d);
    CHECK(FormatDay(FirstDay(*d)) == "2024-01-01");
    CHECK(FormatDay(LastDay(*d)) == "2024-12-31");
    auto m = ParsePartialDate("2024-02");
    REQUIRE(m);
    CHECK(FormatDay(LastDay(*m)) == "2024-02-29");
    CHECK_FALSE(ParsePartialDate("24-02"));
    CHECK_FALSE(ParsePartialDate("2024-2-1"));
    CHECK(TodayInHelsinki() > FirstDay(*ParsePartialDate("2024")));
}

}  // namespace
}  // namespace tnohaku
