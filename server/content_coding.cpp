#include "server/content_coding.h"

#include <brotli/encode.h>
#include <zlib.h>

#include <climits>
#include <optional>
#include <vector>

#include "server/api.h"

namespace tnohaku::server {

namespace {

// brotli quality 2 and gzip level 1: the fast ends (content_coding.h says why).
constexpr int kBrotliQuality = 2;
constexpr int kGzipLevel = 1;
constexpr int kGzipWindowBits = 15 + 16;  // 32 KiB window, gzip framing
constexpr int kGzipMemLevel = 8;          // zlib's default

// A qvalue (RFC 9110 §12.4.2: "0" or "1", then up to three decimals) in thousandths, or
// nullopt when malformed.
std::optional<int> ParseQValue(std::string_view text) {
    if (text.empty() || (text[0] != '0' && text[0] != '1')) return std::nullopt;
    int whole = text[0] - '0';
    int thousandths = 0;
    if (text.size() > 1) {
        if (text[1] != '.' || text.size() > 5) return std::nullopt;
        int scale = 100;
        for (char c : text.substr(2)) {
            if (c < '0' || c > '9') return std::nullopt;
            thousandths += (c - '0') * scale;
            scale /= 10;
        }
    }
    if (whole == 1 && thousandths != 0) return std::nullopt;
    return whole * 1000 + thousandths;
}

// One element of Accept-Encoding split at ';': the coding, then its parameters. The
// q-value in thousandths (1000 when absent), or nullopt when a q parameter is malformed.
std::optional<int> ElementQValue(const std::vector<std::string_view>& parts) {
    int q = 1000;
    for (size_t i = 1; i < parts.size(); ++i) {
        std::string_view param = parts[i];
        size_t equals = param.find('=');
        if (equals == std::string_view::npos) continue;
        if (!EqualsIgnoringCase(TrimWhitespace(param.substr(0, equals)), "q")) continue;
        std::optional<int> parsed = ParseQValue(TrimWhitespace(param.substr(equals + 1)));
        if (!parsed) return std::nullopt;
        q = *parsed;
    }
    return q;
}

// The q-values the header gives, by name; nullopt where the header names nothing.
struct AcceptedCodings {
    std::optional<int> brotli, gzip, identity, any;

    void Add(std::string_view name, int q) {
        if (EqualsIgnoringCase(name, "br"))
            brotli = q;
        else if (EqualsIgnoringCase(name, "gzip") || EqualsIgnoringCase(name, "x-gzip"))
            gzip = q;
        else if (EqualsIgnoringCase(name, "identity"))
            identity = q;
        else if (name == "*")
            any = q;
    }
    // A coding the header does not name takes "*"'s q-value; without "*", it is not
    // acceptable, except identity, which is, below every coding the header accepts.
    int QOf(const std::optional<int>& named, int unnamed) const {
        return named ? *named : any ? *any : unnamed;
    }
};

Result<std::string> Brotli(std::string_view body) {
    std::string out(BrotliEncoderMaxCompressedSize(body.size()), '\0');
    size_t size = out.size();
    if (out.empty() ||
        !BrotliEncoderCompress(kBrotliQuality, BROTLI_DEFAULT_WINDOW, BROTLI_MODE_TEXT, body.size(),
                               reinterpret_cast<const uint8_t*>(body.data()), &size,
                               reinterpret_cast<uint8_t*>(out.data()))) {
        return Status::Internal("brotli could not compress a response body");
    }
    out.resize(size);
    return out;
}

Result<std::string> Gzip(std::string_view body) {
    if (body.size() > UINT_MAX) return Status::Internal("a response body too large for zlib");
    z_stream stream{};
    if (deflateInit2(&stream, kGzipLevel, Z_DEFLATED, kGzipWindowBits, kGzipMemLevel,
                     Z_DEFAULT_STRATEGY) != Z_OK) {
        return Status::Internal("zlib could not start compressing a response body");
    }
    std::string out(deflateBound(&stream, static_cast<uLong>(body.size())), '\0');
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(body.data()));
    stream.avail_in = static_cast<uInt>(body.size());
    stream.next_out = reinterpret_cast<Bytef*>(out.data());
    stream.avail_out = static_cast<uInt>(out.size());
    // deflateBound is enough for one Z_FINISH call to take the whole body.
    const int finished = deflate(&stream, Z_FINISH);
    out.resize(stream.total_out);
    deflateEnd(&stream);
    if (finished != Z_STREAM_END)
        return Status::Internal("zlib could not compress a response body");
    return out;
}

}  // namespace

ContentCoding ChooseContentCoding(std::string_view accept_encoding) {
    AcceptedCodings accepted;
    for (std::string_view element : SplitHeaderList(accept_encoding)) {
        const std::vector<std::string_view> parts = SplitHeaderList(element, ';');
        if (parts[0].empty()) continue;
        if (std::optional<int> q = ElementQValue(parts)) accepted.Add(parts[0], *q);
    }
    const int brotli = accepted.QOf(accepted.brotli, 0);
    const int gzip = accepted.QOf(accepted.gzip, 0);
    const int identity = accepted.QOf(accepted.identity, 1);
    // Equal q-values keep the earlier (smaller or faster to read) coding.
    if (brotli > 0 && brotli >= gzip && brotli >= identity) return ContentCoding::kBrotli;
    if (gzip > 0 && gzip >= identity) return ContentCoding::kGzip;
    return ContentCoding::kIdentity;
}

std::string_view ContentCodingName(ContentCoding coding) {
    switch (coding) {
        case ContentCoding::kBrotli:
            return "br";
        case ContentCoding::kGzip:
            return "gzip";
        case ContentCoding::kIdentity:
            break;
    }
    return "";
}

Result<std::string> EncodeBody(ContentCoding coding, std::string_view body) {
    switch (coding) {
        case ContentCoding::kBrotli:
            return Brotli(body);
        case ContentCoding::kGzip:
            return Gzip(body);
        case ContentCoding::kIdentity:
            break;
    }
    return std::string(body);
}

bool IsCompressibleType(std::string_view content_type) {
    std::string_view type = TrimWhitespace(content_type.substr(0, content_type.find(';')));
    if (type.size() > 5 && EqualsIgnoringCase(type.substr(0, 5), "text/"))
        return !EqualsIgnoringCase(type, "text/event-stream");
    for (std::string_view compressible :
         {"application/json", "application/javascript", "application/xml", "image/svg+xml"}) {
        if (EqualsIgnoringCase(type, compressible)) return true;
    }
    return false;
}

}  // namespace tnohaku::server
