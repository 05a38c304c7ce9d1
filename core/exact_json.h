// Parsing JSON with every number read exactly: to the nearest double, as the C++ library's
// std::from_chars does. For records and stored document data: core/ and the server's
// record responses.
//
// Why not RapidJSON's own number parsing: its default fast path lands an ulp off on long
// decimals, so a value written back and read again drifts; its kParseFullPrecisionFlag
// path in Debian's RapidJSON 1.1 reads out of bounds on numbers such as 0.(360 zeros)1.
// Both were found by fuzzing records, as was the lone-surrogate escape refused below.
// Here RapidJSON still checks the syntax (and the UTF-8) and builds the document; it
// only hands over each number's text.
#pragma once

#include <string_view>

#include <rapidjson/document.h>

namespace tnohaku::json {

enum class Utf8Check {
    kValidate,  // input from outside: refuse invalid UTF-8 and escaped lone surrogates
    kTrust,     // our own stored data
};

// Parses `text` into `doc`, replacing its content on success and leaving it as it was
// on an error; the returned result, not `doc.HasParseError()`, tells which.
// - Numbers written as integers that fit 64 bits become integers, others doubles.
// - A number beyond the range of a double is kParseErrorNumberTooBig; one too small for
//   it reads as zero.
// - When validating, a string escaping a lone surrogate ("\uDE2E", which RapidJSON
//   would decode into bytes that are not UTF-8) is kParseErrorStringUnicodeSurrogateInvalid.
// - Other errors are RapidJSON's, with their byte offsets.
rapidjson::ParseResult ParseExact(std::string_view text, rapidjson::Document& doc, Utf8Check utf8);

}  // namespace tnohaku::json
