// SortKeyMaker: ICU collation sort keys, so that sorting by name follows each language's
// alphabet (in Finnish and Swedish å ä ö come after z).
//
// Thread safety: ICU collators are not thread-safe; one SortKeyMaker per thread.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "core/record.h"
#include "core/status.h"

namespace tnohaku {

// ICU collation sort keys of a language ("å ä ö after z" in Finnish and Swedish).
// Not thread-safe (ICU collators are not); one per thread.
class SortKeyMaker {
  public:
    static Result<std::unique_ptr<SortKeyMaker>> Create();
    ~SortKeyMaker();
    std::string Key(std::string_view text, Lang lang);

  private:
    struct Impl;
    explicit SortKeyMaker(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace tnohaku
