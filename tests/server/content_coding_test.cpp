// Response compression: choosing the coding from Accept-Encoding, bodies that decode back
// to themselves, and the Api compressing what it sends.
#include "server/content_coding.h"

#include <brotli/decode.h>
#include <zlib.h>

#include <random>

#include <doctest/doctest.h>

#include "core/vocab.h"
#include "server/metrics.h"
#include "server/routes.h"

namespace tnohaku::server {
namespace {

std::string Gunzip(const std::string& data) {
    z_stream stream{};
    REQUIRE(inflateInit2(&stream, 15 + 16) == Z_OK);
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    stream.avail_in = static_cast<uInt>(data.size());
    std::string out;
    char buffer[16384];
    int status = Z_OK;
    while (status == Z_OK) {
        stream.next_out = reinterpret_cast<Bytef*>(buffer);
        stream.avail_out = sizeof buffer;
        status = inflate(&stream, Z_NO_FLUSH);
        out.append(buffer, sizeof buffer - stream.avail_out);
    }
    const uInt left_over = stream.avail_in;
    inflateEnd(&stream);
    CHECK(status == Z_STREAM_END);  // the trailer's CRC-32 and length checked
    CHECK(left_over == 0);          // one member, nothing after it
    return out;
}

std::string Unbrotli(const std::string& data) {
    BrotliDecoderState* state = BrotliDecoderCreateInstance(nullptr, nullptr, nullptr);
    size_t available_in = data.size();
    const auto* next_in = reinterpret_cast<const uint8_t*>(data.data());
    std::string out;
    BrotliDecoderResult result = BROTLI_DECODER_RESULT_NEEDS_MORE_OUTPUT;
    while (result == BROTLI_DECODER_RESULT_NEEDS_MORE_OUTPUT) {
        uint8_t buffer[16384];
        size_t available_out = sizeof buffer;
        uint8_t* next_out = buffer;
        result = BrotliDecoderDecompressStream(state, &available_in, &next_in, &available_out,
                                               &next_out, nullptr);
        out.append(reinterpret_cast<char*>(buffer), sizeof buffer - available_out);
    }
    BrotliDecoderDestroyInstance(state);
    CHECK(result == BROTLI_DECODER_RESULT_SUCCESS);
    return out;
}

std::string Decode(ContentCoding coding, const std::string& data) {
    switch (coding) {
        case ContentCoding::kBrotli:
            return Unbrotli(data);
        case ContentCoding::kGzip:
            return Gunzip(data);
        case ContentCoding::kIdentity:
            break;
    }
    return data;
}

constexpr ContentCoding kBr = ContentCoding::kBrotli;
constexpr ContentCoding kGzip = ContentCoding::kGzip;
constexpr ContentCoding kIdentity = ContentCoding::kIdentity;

TEST_CASE("the coding follows Accept-Encoding's q-values, brotli first among equals") {
    const std::pair<const char*, ContentCoding> cases[] = {
        {"", kIdentity},
        {"gzip", kGzip},
        {"br", kBr},
        {"gzip, deflate, br", kBr},  // what browsers send
        {"gzip, deflate, br, zstd", kBr},
        {"GZIP", kGzip},
        {"  br ;  q=0.5 , gzip;q=0.8", kGzip},
        {"br;q=0, gzip", kGzip},
        {"br;q=0.000, gzip;q=0.001", kGzip},
        {"br;q=1.0, gzip;q=1", kBr},
        {"deflate", kIdentity},  // not offered: identity is always acceptable
        {"*", kBr},
        {"*;q=0.5, gzip", kGzip},
        {"gzip;q=0, *", kBr},
        {"br;q=0, gzip;q=0", kIdentity},
        {"identity;q=0, gzip;q=0.1", kGzip},
        {"identity, gzip;q=0.5", kIdentity},  // the client prefers it plain
        {"identity;q=0", kIdentity},          // refused, but nothing else is offered
        {"x-gzip", kGzip},
        {"brotli, gzipped", kIdentity},  // names are whole tokens, not substrings
        {"br;q=2, gzip", kGzip},         // a malformed q-value drops its element
        {"br;q=0.5000, gzip;q=0.1", kGzip},
        {"br;q=x", kIdentity},
        {"br;level=3", kBr},
        {",, ,br", kBr},
    };
    for (const auto& [header, expected] : cases) {
        CAPTURE(header);
        CHECK(ChooseContentCoding(header) == expected);
    }
    CHECK(ContentCodingName(kBr) == "br");
    CHECK(ContentCodingName(kGzip) == "gzip");
    CHECK(ContentCodingName(kIdentity).empty());
}

TEST_CASE("encoded bodies decode to themselves and are smaller") {
    std::string json = "{\"hits\":[";
    std::mt19937 random(7);
    for (int i = 0; i < 3000; ++i) {
        json += "{\"id\":\"palvelu-" + std::to_string(random() % 5000) +
                "\",\"name\":\"Ohjaus- ja neuvontapalvelut\"},";
    }
    json += "{}]}";
    std::string binary(70000, '\0');
    for (char& c : binary) c = static_cast<char>(random());
    for (ContentCoding coding : {kBr, kGzip, kIdentity}) {
        CAPTURE(ContentCodingName(coding));
        for (const std::string* body : {&json, &binary}) {
            Result<std::string> encoded = EncodeBody(coding, *body);
            REQUIRE(encoded.ok());
            CHECK(Decode(coding, *encoded) == *body);
        }
        Result<std::string> empty = EncodeBody(coding, "");
        REQUIRE(empty.ok());
        CHECK(Decode(coding, *empty).empty());
        if (coding != kIdentity) CHECK(EncodeBody(coding, json)->size() * 5 < json.size());
    }
}

TEST_CASE("whether a header accepts a coding, preferred or not") {
    CHECK(AcceptsContentCoding("gzip, deflate, br", kGzip));
    CHECK(AcceptsContentCoding("br;q=1, gzip;q=0.1", kGzip));
    CHECK(AcceptsContentCoding("*", kGzip));
    CHECK(AcceptsContentCoding("GZIP", kGzip));
    CHECK(AcceptsContentCoding("x-gzip", kGzip));
    CHECK_FALSE(AcceptsContentCoding("", kGzip));
    CHECK_FALSE(AcceptsContentCoding("br", kGzip));
    CHECK_FALSE(AcceptsContentCoding("gzip;q=0, br", kGzip));
    CHECK_FALSE(AcceptsContentCoding("*, gzip;q=0", kGzip));
    CHECK_FALSE(AcceptsContentCoding("gzip;q=x", kGzip));
    CHECK_FALSE(AcceptsContentCoding("gzipped", kGzip));
    CHECK(AcceptsContentCoding("", kIdentity));
    CHECK(AcceptsContentCoding("br", kIdentity));
    CHECK_FALSE(AcceptsContentCoding("identity;q=0", kIdentity));
    CHECK_FALSE(AcceptsContentCoding("*;q=0", kIdentity));
}

TEST_CASE("a gzip head finished with any tail is one gzip stream of both") {
    std::string json = "{\"hits\":[";
    std::mt19937 random(11);
    for (int i = 0; i < 3000; ++i)
        json += "{\"id\":\"palvelu-" + std::to_string(random() % 5000) + "\"},";
    std::string binary(70000, '\0');
    for (char& c : binary) c = static_cast<char>(random());
    const std::string long_tail = binary.substr(0, 40000);
    for (const std::string& head : {json, binary, std::string()}) {
        CAPTURE(head.size());
        Result<GzipHead> gzip = GzipHead::Of(head);
        REQUIRE(gzip.ok());
        CHECK(gzip->Inflate().value() == head);
        for (const std::string& tail : {std::string("12.345}"), std::string(), long_tail}) {
            CAPTURE(tail.size());
            Result<std::string> whole = gzip->Finish(tail);
            REQUIRE(whole.ok());
            CHECK(Gunzip(*whole) == head + tail);
        }
    }
    // Compressed as well as in one go, give or take the flush's few bytes.
    const GzipHead json_head = GzipHead::Of(json).value();
    CHECK(json_head.size() * 5 < json.size());
    CHECK(json_head.Finish("7}")->size() < EncodeBody(kGzip, json + "7}")->size() + 32);
}

TEST_CASE("text, JSON, JavaScript and SVG are compressible; images and fonts are not") {
    for (const char* type :
         {"application/json", "text/html; charset=utf-8", "text/css", "application/javascript",
          "image/svg+xml", "Application/JSON", "text/plain; charset=utf-8"}) {
        CAPTURE(type);
        CHECK(IsCompressibleType(type));
    }
    for (const char* type : {"image/png", "font/woff2", "application/octet-stream",
                             "text/event-stream", "", "text/", "application/jsonx"}) {
        CAPTURE(type);
        CHECK_FALSE(IsCompressibleType(type));
    }
}

TEST_CASE("the Api sends bodies in the client's coding, small ones as they are") {
    Metrics metrics;
    std::shared_ptr<const Vocabulary> vocab = Vocabulary::LoadEmbedded().value();
    Api api(ApiOptions{}, ApiDeps{nullptr, vocab, &metrics});
    ApiRequest request;
    request.method = "GET";
    request.path = "/openapi.json";
    const ApiResponse plain = api.Handle(request);
    REQUIRE(plain.status == 200);
    REQUIRE(plain.body.size() > kMinEncodedBodyBytes);
    CHECK(plain.Header("Content-Encoding").empty());
    CHECK(plain.Header("Vary").find("Accept-Encoding") != std::string::npos);

    for (const char* accept : {"gzip, deflate, br", "gzip", "br;q=0.1, gzip;q=0.9"}) {
        CAPTURE(accept);
        request.headers = {{"accept-encoding", accept}};
        const ApiResponse encoded = api.Handle(request);
        const ContentCoding coding = ChooseContentCoding(accept);
        CHECK(encoded.status == 200);
        CHECK(encoded.Header("Content-Encoding") == ContentCodingName(coding));
        CHECK(encoded.Header("ETag") == plain.Header("ETag"));
        CHECK(encoded.body.size() < plain.body.size());
        CHECK(Decode(coding, encoded.body) == plain.body);
    }

    request.path = "/health";  // a few bytes: not worth compressing
    request.headers = {{"Accept-Encoding", "br"}};
    const ApiResponse health = api.Handle(request);
    CHECK(health.body.size() < kMinEncodedBodyBytes);
    CHECK(health.Header("Content-Encoding").empty());

    request.path = "/openapi.json";  // 304s have no body to encode
    request.headers = {{"Accept-Encoding", "br"}, {"If-None-Match", plain.Header("ETag")}};
    const ApiResponse not_modified = api.Handle(request);
    CHECK(not_modified.status == 304);
    CHECK(not_modified.body.empty());
    CHECK(not_modified.Header("Content-Encoding").empty());
}

}  // namespace
}  // namespace tnohaku::server
