#include "server/content_coding.h"

#include <brotli/encode.h>
#include <zlib.h>

#include <algorithm>
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
    int QFor(ContentCoding coding) const {
        switch (coding) {
            case ContentCoding::kBrotli:
                return QOf(brotli, 0);
            case ContentCoding::kGzip:
                return QOf(gzip, 0);
            case ContentCoding::kIdentity:
                break;
        }
        return QOf(identity, 1);
    }
};

AcceptedCodings ParseAcceptEncoding(std::string_view accept_encoding) {
    AcceptedCodings accepted;
    for (std::string_view element : SplitHeaderList(accept_encoding)) {
        const std::vector<std::string_view> parts = SplitHeaderList(element, ';');
        if (parts[0].empty()) continue;
        if (std::optional<int> q = ElementQValue(parts)) accepted.Add(parts[0], *q);
    }
    return accepted;
}

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

constexpr int kRawDeflateWindowBits = -15;  // the same window, no framing
// deflateBound is for Z_FINISH; a sync flush adds its empty stored block (5 bytes).
constexpr size_t kDeflateMinRoom = 64;

// Runs deflate over all of `input` with `flush` (Z_SYNC_FLUSH or Z_FINISH), appending
// what it writes to `out`. `stream` was started by the caller, who also ends it. The
// room given is deflateBound's, so one call mostly does it.
Status DeflateInto(z_stream& stream, std::string_view input, int flush, std::string& out) {
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(input.data()));
    stream.avail_in = static_cast<uInt>(input.size());
    for (;;) {
        const size_t before = out.size();
        const size_t room =
            std::min<size_t>(UINT_MAX, kDeflateMinRoom + deflateBound(&stream, stream.avail_in));
        out.resize(before + room);
        stream.next_out = reinterpret_cast<Bytef*>(out.data() + before);
        stream.avail_out = static_cast<uInt>(room);
        const int rc = deflate(&stream, flush);
        out.resize(out.size() - stream.avail_out);
        if (rc == Z_STREAM_ERROR)
            return Status::Internal("zlib could not compress a response body");
        // Done when Z_FINISH has ended the stream, or a flush left output space over.
        if (flush == Z_FINISH ? rc == Z_STREAM_END : stream.avail_out != 0) return Status::Ok();
    }
}

void AppendLittleEndian32(uint32_t value, std::string& out) {
    for (int shift = 0; shift < 32; shift += 8) out += static_cast<char>((value >> shift) & 0xff);
}

Status StartDeflate(z_stream& stream, int window_bits, size_t input_size) {
    if (input_size > UINT_MAX) return Status::Internal("a response body too large for zlib");
    if (deflateInit2(&stream, kGzipLevel, Z_DEFLATED, window_bits, kGzipMemLevel,
                     Z_DEFAULT_STRATEGY) != Z_OK) {
        return Status::Internal("zlib could not start compressing a response body");
    }
    return Status::Ok();
}

Result<std::string> Gzip(std::string_view body) {
    z_stream stream{};
    TRY_STATUS(StartDeflate(stream, kGzipWindowBits, body.size()));
    std::string out;
    Status st = DeflateInto(stream, body, Z_FINISH, out);
    deflateEnd(&stream);
    if (!st.ok()) return st;
    return out;
}

}  // namespace

ContentCoding ChooseContentCoding(std::string_view accept_encoding) {
    const AcceptedCodings accepted = ParseAcceptEncoding(accept_encoding);
    const int brotli = accepted.QFor(ContentCoding::kBrotli);
    const int gzip = accepted.QFor(ContentCoding::kGzip);
    const int identity = accepted.QFor(ContentCoding::kIdentity);
    // Equal q-values keep the earlier (smaller or faster to read) coding.
    if (brotli > 0 && brotli >= gzip && brotli >= identity) return ContentCoding::kBrotli;
    if (gzip > 0 && gzip >= identity) return ContentCoding::kGzip;
    return ContentCoding::kIdentity;
}

bool AcceptsContentCoding(std::string_view accept_encoding, ContentCoding coding) {
    return ParseAcceptEncoding(accept_encoding).QFor(coding) > 0;
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

Result<GzipHead> GzipHead::Of(std::string_view head) {
    z_stream stream{};
    TRY_STATUS(StartDeflate(stream, kGzipWindowBits, head.size()));
    GzipHead out;
    // Z_SYNC_FLUSH ends on a byte boundary without a final block: the stream goes on.
    Status st = DeflateInto(stream, head, Z_SYNC_FLUSH, out.stream_);
    deflateEnd(&stream);
    if (!st.ok()) return st;
    out.stream_.shrink_to_fit();  // kept in the cache: no spare capacity
    out.crc_ = static_cast<uint32_t>(
        crc32(0, reinterpret_cast<const Bytef*>(head.data()), static_cast<uInt>(head.size())));
    out.length_ = head.size();
    return out;
}

Result<std::string> GzipHead::Finish(std::string_view tail) const {
    z_stream stream{};
    // A raw deflate stream of its own: its blocks follow the head's, and refer to nothing
    // before them.
    TRY_STATUS(StartDeflate(stream, kRawDeflateWindowBits, tail.size()));
    std::string out;
    out.reserve(stream_.size() + tail.size() + 32);
    out += stream_;
    Status st = DeflateInto(stream, tail, Z_FINISH, out);
    deflateEnd(&stream);
    if (!st.ok()) return st;
    const auto tail_length = static_cast<uInt>(tail.size());
    const uLong tail_crc = crc32(0, reinterpret_cast<const Bytef*>(tail.data()), tail_length);
    AppendLittleEndian32(static_cast<uint32_t>(crc32_combine(crc_, tail_crc, tail_length)), out);
    AppendLittleEndian32(static_cast<uint32_t>((length_ + tail.size()) & 0xffffffffu), out);
    return out;
}

Result<std::string> GzipHead::Inflate() const {
    z_stream stream{};
    if (inflateInit2(&stream, kGzipWindowBits) != Z_OK)
        return Status::Internal("zlib could not start decompressing a cached answer");
    std::string out(length_, '\0');
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(stream_.data()));
    stream.avail_in = static_cast<uInt>(stream_.size());
    stream.next_out = reinterpret_cast<Bytef*>(out.data());
    stream.avail_out = static_cast<uInt>(out.size());
    const int rc = inflate(&stream, Z_SYNC_FLUSH);
    const bool whole =
        (rc == Z_OK || rc == Z_BUF_ERROR) && stream.avail_in == 0 && stream.total_out == length_;
    inflateEnd(&stream);
    if (!whole) return Status::Internal("a cached answer did not decompress to its length");
    return out;
}

}  // namespace tnohaku::server
