#include "core/exact_json.h"

#include <cmath>
#include <cstdlib>
#include <string>

#include <doctest/doctest.h>

namespace tnohaku::json {
namespace {

rapidjson::Document Parsed(const std::string& text) {
    rapidjson::Document doc;
    rapidjson::ParseResult result = ParseExact(text, doc, Utf8Check::kValidate);
    REQUIRE_MESSAGE(!result.IsError(), text);
    return doc;
}

TEST_CASE("decimals read to the nearest double, however many digits they have") {
    for (std::string number :
         {"60.18411111111111111111111111111111111111111111111111111111111111111111111111", "0.1",
          "24.9627", "65.01290000000000000000000000000000000000000000000000000001",
          "1.7976931348623157e308", "4.9e-324", "-12.5e-3"}) {
        CAPTURE(number);
        rapidjson::Document doc = Parsed("[" + number + "]");
        REQUIRE(doc[0].IsDouble());
        CHECK(doc[0].GetDouble() == std::strtod(number.c_str(), nullptr));
    }
}

TEST_CASE("integers stay integers; beyond 64 bits they read as doubles") {
    rapidjson::Document doc =
        Parsed("[0, -0, 7, -2147483649, 18446744073709551615, 1" + std::string(25, '0') + "]");
    CHECK(doc[0].IsInt());
    CHECK(doc[1].IsInt());
    CHECK(doc[1].GetInt() == 0);
    CHECK(doc[2].GetInt() == 7);
    CHECK(doc[3].IsInt64());
    CHECK(doc[3].GetInt64() == -2147483649LL);
    CHECK(doc[4].IsUint64());
    CHECK(doc[4].GetUint64() == 18446744073709551615ULL);
    CHECK(doc[5].IsDouble());
    CHECK(doc[5].GetDouble() == 1e25);
}

TEST_CASE("numbers too small for a double read as zero; too large ones are an error") {
    // RapidJSON 1.1's full-precision path read out of bounds on the first of these.
    rapidjson::Document doc =
        Parsed("[0." + std::string(400, '0') + "1, 1e-400, -1e-400, 0.0001e-330]");
    for (rapidjson::SizeType i = 0; i < doc.Size(); ++i) {
        CAPTURE(i);
        CHECK(doc[i].GetDouble() == 0.0);
    }
    CHECK(std::signbit(doc[2].GetDouble()));

    const std::string too_large[] = {"1e309", "-2e308", "1" + std::string(400, '0') + ".5",
                                     "0.000001e315"};
    for (const std::string& number : too_large) {
        CAPTURE(number);
        rapidjson::Document big;
        rapidjson::ParseResult result =
            ParseExact("{\"lat\": " + number + "}", big, Utf8Check::kValidate);
        CHECK(result.Code() == rapidjson::kParseErrorNumberTooBig);
    }
}

TEST_CASE("syntax and encoding errors are RapidJSON's, with the byte offset") {
    rapidjson::Document doc;
    CHECK(ParseExact(R"({"a": 1,})", doc, Utf8Check::kValidate).Code() ==
          rapidjson::kParseErrorObjectMissName);
    CHECK(ParseExact("[1] x", doc, Utf8Check::kValidate).Code() ==
          rapidjson::kParseErrorDocumentRootNotSingular);
    rapidjson::ParseResult bad_utf8 = ParseExact("[\"a\xff\"]", doc, Utf8Check::kValidate);
    CHECK(bad_utf8.Code() == rapidjson::kParseErrorStringInvalidEncoding);
    CHECK(bad_utf8.Offset() == 3);
    CHECK(!ParseExact("[\"a\xff\"]", doc, Utf8Check::kTrust).IsError());
}

TEST_CASE("escaped lone surrogates are refused when validating; pairs decode") {
    rapidjson::Document doc;
    for (const char* text : {R"(["o\uDE2E"])", R"({"\uDC00": 1})", R"(["\uDA2Ex"])"}) {
        CAPTURE(text);
        CHECK(ParseExact(text, doc, Utf8Check::kValidate).Code() ==
              rapidjson::kParseErrorStringUnicodeSurrogateInvalid);
    }
    rapidjson::Document pair = Parsed(R"(["\uD83D\uDE00", "\u00E4"])");
    CHECK(std::string(pair[0].GetString()) == "\xF0\x9F\x98\x80");
    CHECK(std::string(pair[1].GetString()) == "\xC3\xA4");
}

TEST_CASE("a byte order mark is skipped and strings keep embedded NULs") {
    rapidjson::Document doc = Parsed("\xEF\xBB\xBF{\"k\":\"a\\u0000b\"}");
    REQUIRE(doc.IsObject());
    CHECK(std::string(doc["k"].GetString(), doc["k"].GetStringLength()) == std::string("a\0b", 3));
}

TEST_CASE("a failed parse leaves the document as it was") {
    rapidjson::Document doc = Parsed("[1]");
    CHECK(ParseExact("[2", doc, Utf8Check::kValidate).IsError());
    REQUIRE(doc.IsArray());
    CHECK(doc[0].GetInt() == 1);
}

}  // namespace
}  // namespace tnohaku::json
