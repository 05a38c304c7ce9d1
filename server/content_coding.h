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

}  // namespace tnohaku::server
