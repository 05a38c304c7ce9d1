// Content codings of responses: which one a client gets, from its Accept-Encoding header,
// and the compression itself.
//
// Why tnohaku compresses by itself rather than leave it to cpp-httplib: httplib 0.11 picks
// brotli whenever "br" appears in Accept-Encoding (every browser sends it) and compresses
// at brotli's default quality, 11, which took 175 ms for one 197 KB search response at
// 1M records, against 0.6 ms at quality 2 for a body 13 % larger. Search responses are
// made on every keystroke, so the codings here are the fast ends of both libraries:
// brotli quality 2 (7.1× smaller on that response) and gzip level 1 (5.8×).
//
// Thread safety: functions of their arguments only.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"

namespace tnohaku::server {

enum class ContentCoding { kIdentity, kGzip, kBrotli };

// The coding to answer a request with, from its Accept-Encoding header (RFC 9110
// §12.5.3): the acceptable coding with the highest q-value, brotli before gzip before
// identity at equal q-values. Names are compared case-insensitively, "*" stands for every
// coding not named, q=0 refuses one; identity, unless named or covered by "*", ranks
// below every coding the header accepts. An absent or empty header, or one that refuses
// every coding tnohaku has, gives kIdentity (a body the client can always read). An
// element with a malformed q-value is ignored.
ContentCoding ChooseContentCoding(std::string_view accept_encoding);

// Whether the header accepts `coding` at all (a q-value above 0, by the same rules),
// preferred or not. kIdentity is acceptable unless refused.
bool AcceptsContentCoding(std::string_view accept_encoding, ContentCoding coding);

// The Content-Encoding token: "br", "gzip"; "" for kIdentity.
std::string_view ContentCodingName(ContentCoding coding);

// `body` in `coding` (kIdentity: unchanged). kInternal if the library fails.
Result<std::string> EncodeBody(ContentCoding coding, std::string_view body);

// Bodies smaller than this are sent as they are: compressing them saves less than the
// coding's own framing and the time it takes.
inline constexpr size_t kMinEncodedBodyBytes = 1024;

// Whether responses of this Content-Type are worth compressing (JSON, text, JavaScript,
// SVG; not images, fonts or archives, which are compressed already).
bool IsCompressibleType(std::string_view content_type);

// A gzip stream (RFC 1952) of a body whose last bytes are not known yet. The server's
// result cache keeps each search answer as one of these, all of it but its took_ms, which
// every answer ends with its own: a hit costs deflating a few bytes instead of
// compressing the whole answer again, and the cache holds about six times as many answers
// in the same memory.
//
// The head is deflated once (gzip level 1), its last block flushed to a byte boundary
// and not marked final; Finish deflates the tail as the final block of the same stream
// and appends the trailer (CRC-32 and length of head and tail together). What a client
// receives is one ordinary gzip member, which any gzip reader decodes.
//
// Thread safety: immutable once made; Finish and Inflate may run on many threads.
class GzipHead {
  public:
    // kInternal if zlib fails or `head` is too large for it (4 GiB).
    static Result<GzipHead> Of(std::string_view head);

    // The gzip stream of the head followed by `tail`.
    Result<std::string> Finish(std::string_view tail) const;
    // The head, decompressed (for a client that takes no gzip).
    Result<std::string> Inflate() const;
    // Bytes held.
    size_t size() const { return stream_.size(); }

  private:
    std::string stream_;   // gzip header and deflate blocks, none of them final
    uint32_t crc_ = 0;     // CRC-32 of the head
    uint64_t length_ = 0;  // bytes of the head
};

}  // namespace tnohaku::server
