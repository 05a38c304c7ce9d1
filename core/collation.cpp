#include "core/collation.h"

#include <unicode/coll.h>
#include <unicode/locid.h>
#include <unicode/unistr.h>

namespace tnohaku {

struct SortKeyMaker::Impl {
    std::unique_ptr<icu::Collator> collators[3];  // indexed like kAllLangs
};

SortKeyMaker::SortKeyMaker(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SortKeyMaker::~SortKeyMaker() = default;

Result<std::unique_ptr<SortKeyMaker>> SortKeyMaker::Create() {
    auto impl = std::make_unique<Impl>();
    const char* locales[] = {"fi_FI", "sv_FI", "en_GB"};
    for (size_t i = 0; i < 3; ++i) {
        UErrorCode status = U_ZERO_ERROR;
        impl->collators[i].reset(icu::Collator::createInstance(icu::Locale(locales[i]), status));
        if (U_FAILURE(status)) {
            return Status::Internal(std::string("ICU collator for ") + locales[i] + ": " +
                                    u_errorName(status));
        }
    }
    return std::unique_ptr<SortKeyMaker>(new SortKeyMaker(std::move(impl)));
}

std::string SortKeyMaker::Key(std::string_view text, Lang lang) {
    icu::Collator& collator = *impl_->collators[static_cast<size_t>(lang)];
    icu::UnicodeString u = icu::UnicodeString::fromUTF8(
        icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
    int32_t size = collator.getSortKey(u, nullptr, 0);
    std::string key(static_cast<size_t>(size), '\0');
    collator.getSortKey(u, reinterpret_cast<uint8_t*>(key.data()), size);
    if (!key.empty() && key.back() == '\0') key.pop_back();  // ICU's terminator
    return key;
}

}  // namespace tnohaku
