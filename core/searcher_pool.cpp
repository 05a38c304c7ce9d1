#include "core/searcher.h"

#include "core/column_store.h"

namespace tnohaku {

// ---------------------------------------------------------------------------------------
// SearcherPool

Result<std::unique_ptr<SearcherPool>> SearcherPool::Open(const SearcherOptions& options,
                                                         size_t size) {
    if (size == 0) return Status::InvalidArgument("a searcher pool needs at least one searcher");
    SearcherOptions shared = options;
    // The searchers share one set of columns per revision.
    if (!shared.column_cache) shared.column_cache = std::make_shared<ColumnStoreCache>();
    if (!shared.vocab) {
        TRY_ASSIGN(shared.vocab, Vocabulary::LoadEmbedded());
    }
    auto pool = std::unique_ptr<SearcherPool>(new SearcherPool());
    for (size_t i = 0; i < size; ++i) {
        TRY_ASSIGN(auto searcher, Searcher::Open(shared));
        pool->idle_.push_back(std::move(searcher));
    }
    pool->size_ = size;
    return pool;
}

SearcherPool::Lease::Lease(SearcherPool* pool, std::unique_ptr<Searcher> searcher)
    : pool_(pool), searcher_(std::move(searcher)) {}

SearcherPool::Lease::~Lease() {
    if (pool_ && searcher_) pool_->Return(std::move(searcher_));
}

Result<SearcherPool::Lease> SearcherPool::Borrow(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    if (!available_.wait_for(lock, timeout, [&] { return !idle_.empty(); })) {
        return Status::Unavailable("all " + std::to_string(size_) + " searchers are busy");
    }
    std::unique_ptr<Searcher> searcher = std::move(idle_.back());
    idle_.pop_back();
    return Lease(this, std::move(searcher));
}

void SearcherPool::Return(std::unique_ptr<Searcher> searcher) {
    {
        std::lock_guard lock(mutex_);
        idle_.push_back(std::move(searcher));
    }
    available_.notify_one();
}

}  // namespace tnohaku
