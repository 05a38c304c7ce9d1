#include "core/exact_json.h"

#include <charconv>
#include <cstdint>
#include <system_error>

#include <rapidjson/encodedstream.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>

namespace tnohaku::json {
namespace {

using rapidjson::SizeType;

// Whether a number's text that from_chars found out of range is too large (rather than
// too small) for a double: the decimal exponent of its first significant digit is >= 0.
bool TooLargeForDouble(std::string_view number) {
    size_t e = number.find_first_of("eE");
    std::string_view mantissa = number.substr(0, e);
    long exponent = 0;
    if (e != std::string_view::npos) {
        size_t i = e + 1;
        bool minus = i < number.size() && number[i] == '-';
        if (i < number.size() && (number[i] == '-' || number[i] == '+')) ++i;
        for (; i < number.size() && exponent < 1'000'000; ++i)
            exponent = exponent * 10 + (number[i] - '0');
        if (minus) exponent = -exponent;
    }
    long integer_digits = 0;
    long position = 0;  // digits before the first significant one
    bool significant = false;
    bool fraction = false;
    for (char c : mantissa) {
        if (c == '.') {
            fraction = true;
        } else if (c >= '0' && c <= '9') {
            if (!fraction) ++integer_digits;
            if (c != '0') significant = true;
            if (!significant) ++position;
        }
    }
    return significant && integer_digits - 1 - position + exponent >= 0;
}

// Whether `s` holds a UTF-16 surrogate (U+D800-U+DFFF, bytes ED A0-BF ..). RapidJSON 1.1
// decodes an escaped lone surrogate such as "\uDE2E" into those bytes, which are not UTF-8
// (found by fuzzing: the record was accepted, its canonical JSON refused). Raw input bytes
// cannot hold one: the reader validates them.
bool HoldsSurrogate(std::string_view s) {
    for (size_t at = s.find('\xED'); at != std::string_view::npos; at = s.find('\xED', at + 1)) {
        if (at + 1 < s.size() && static_cast<unsigned char>(s[at + 1]) >= 0xA0) return true;
    }
    return false;
}

// What the handler stopped the reader for.
enum class Stop { kNone, kTooLarge, kSurrogate };

// A SAX handler that passes every event on to a document, reading each number's text
// (RapidJSON's kParseNumbersAsStringsFlag) with std::from_chars and, when validating,
// refusing strings that decoded to a lone surrogate.
class ExactHandler {
  public:
    ExactHandler(rapidjson::Document& doc, Utf8Check utf8, Stop& stop)
        : doc_(doc), validate_(utf8 == Utf8Check::kValidate), stop_(stop) {}

    bool RawNumber(const char* str, SizeType length, bool /*copy*/) {
        std::string_view text(str, length);
        const char* end = str + length;
        if (text.find_first_of(".eE") == std::string_view::npos) {
            if (text.front() == '-') {
                int64_t value = 0;
                auto [last, error] = std::from_chars(str, end, value);
                if (error == std::errc() && last == end) return doc_.Int64(value);
            } else {
                uint64_t value = 0;
                auto [last, error] = std::from_chars(str, end, value);
                if (error == std::errc() && last == end) return doc_.Uint64(value);
            }
            // An integer beyond 64 bits reads as a double, as RapidJSON reads it.
        }
        double value = 0;
        auto [last, error] = std::from_chars(str, end, value);
        if (error == std::errc::result_out_of_range) {
            if (TooLargeForDouble(text)) {
                stop_ = Stop::kTooLarge;
                return false;
            }
            return doc_.Double(text.front() == '-' ? -0.0 : 0.0);
        }
        // The reader has checked the syntax, so from_chars reads it all.
        return error == std::errc() && last == end && doc_.Double(value);
    }

    bool Null() { return doc_.Null(); }
    bool Bool(bool b) { return doc_.Bool(b); }
    bool Int(int i) { return doc_.Int(i); }
    bool Uint(unsigned u) { return doc_.Uint(u); }
    bool Int64(int64_t i) { return doc_.Int64(i); }
    bool Uint64(uint64_t u) { return doc_.Uint64(u); }
    bool Double(double d) { return doc_.Double(d); }
    bool String(const char* s, SizeType n, bool copy) {
        return Valid(s, n) && doc_.String(s, n, copy);
    }
    bool StartObject() { return doc_.StartObject(); }
    bool Key(const char* s, SizeType n, bool copy) { return Valid(s, n) && doc_.Key(s, n, copy); }
    bool EndObject(SizeType members) { return doc_.EndObject(members); }
    bool StartArray() { return doc_.StartArray(); }
    bool EndArray(SizeType elements) { return doc_.EndArray(elements); }

  private:
    bool Valid(const char* s, SizeType n) {
        if (validate_ && HoldsSurrogate(std::string_view(s, n))) {
            stop_ = Stop::kSurrogate;
            return false;
        }
        return true;
    }

    rapidjson::Document& doc_;
    const bool validate_;
    Stop& stop_;
};

constexpr unsigned kFlags = rapidjson::kParseNumbersAsStringsFlag;

}  // namespace

rapidjson::ParseResult ParseExact(std::string_view text, rapidjson::Document& doc, Utf8Check utf8) {
    rapidjson::ParseResult result;
    Stop stop = Stop::kNone;
    auto generate = [&](rapidjson::Document& handler) {
        ExactHandler exact(handler, utf8, stop);
        rapidjson::MemoryStream memory(text.data(), text.size());
        // Skips a UTF-8 byte order mark, as Document::Parse does.
        rapidjson::EncodedInputStream<rapidjson::UTF8<>, rapidjson::MemoryStream> stream(memory);
        rapidjson::Reader reader;
        result = utf8 == Utf8Check::kValidate
                     ? reader.Parse<kFlags | rapidjson::kParseValidateEncodingFlag>(stream, exact)
                     : reader.Parse<kFlags>(stream, exact);
        return !result.IsError();
    };
    doc.Populate(generate);
    if (result.Code() == rapidjson::kParseErrorTermination && stop != Stop::kNone) {
        result.Set(stop == Stop::kTooLarge ? rapidjson::kParseErrorNumberTooBig
                                           : rapidjson::kParseErrorStringUnicodeSurrogateInvalid,
                   result.Offset());
    }
    return result;
}

}  // namespace tnohaku::json
