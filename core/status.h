// Status and Result<T>: how errors cross module edges in tnohaku.
//
// core/ never throws across its public interface. A function that can fail returns a
// Status (no value) or a Result<T> (a value or the Status that explains why not). GCC 12
// has no std::expected, so this is a small hand-rolled equivalent.
//
// A Status carries a Code that says what kind of failure it is (the server maps codes to
// HTTP statuses in exactly one place) and a message written for a person, e.g.
// "records.jsonl:12: id=ohjaamo-oulu: field 'period.end': 2024-13-01 is not a date".
//
// Thread safety: plain values; copy freely between threads.
#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace tnohaku {

class Status {
  public:
    enum class Code {
        kOk,
        kInvalidArgument,  // the caller's input is wrong (a bad record, a bad query parameter)
        kNotFound,         // a record, file or index that does not exist
        kUnavailable,      // a resource is temporarily unusable (index being switched, shard gone)
        kCorruption,       // stored data is damaged
        kIoError,          // the file system failed us
        kInternal,         // a bug or an unexpected library error
    };

    Status() = default;
    static Status Ok() { return Status(); }
    static Status InvalidArgument(std::string msg) {
        return {Code::kInvalidArgument, std::move(msg)};
    }
    static Status NotFound(std::string msg) { return {Code::kNotFound, std::move(msg)}; }
    static Status Unavailable(std::string msg) { return {Code::kUnavailable, std::move(msg)}; }
    static Status Corruption(std::string msg) { return {Code::kCorruption, std::move(msg)}; }
    static Status IoError(std::string msg) { return {Code::kIoError, std::move(msg)}; }
    static Status Internal(std::string msg) { return {Code::kInternal, std::move(msg)}; }

    bool ok() const { return code_ == Code::kOk; }
    Code code() const { return code_; }
    const std::string& message() const { return message_; }

    // Returns a copy whose message is "context: message", keeping the code.
    Status WithContext(const std::string& context) const {
        if (ok()) return *this;
        return Status(code_, context + ": " + message_);
    }

  private:
    Status(Code code, std::string message) : code_(code), message_(std::move(message)) {}
    Code code_ = Code::kOk;
    std::string message_;
};

// A value of T, or the Status that says why there is none. Never holds an ok Status.
template <typename T>
class Result {
  public:
    Result(T value) : value_(std::move(value)) {}         // NOLINT: implicit on purpose
    Result(Status status) : status_(std::move(status)) {  // NOLINT: implicit on purpose
        assert(!status_.ok() && "Result built from an ok Status has no value");
        if (status_.ok()) status_ = Status::Internal("Result built from an ok Status");
    }

    bool ok() const { return value_.has_value(); }
    const Status& status() const { return status_; }

    T& value() & {
        assert(ok());
        return *value_;
    }
    const T& value() const& {
        assert(ok());
        return *value_;
    }
    T&& value() && {
        assert(ok());
        return std::move(*value_);
    }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }

  private:
    std::optional<T> value_;
    Status status_;
};

}  // namespace tnohaku

// Returns early from the enclosing function with the Status of a failed expression.
#define TNOHAKU_CONCAT_INNER(a, b) a##b
#define TNOHAKU_CONCAT(a, b) TNOHAKU_CONCAT_INNER(a, b)
#define TRY_STATUS(expr)                \
    do {                                \
        ::tnohaku::Status _st = (expr); \
        if (!_st.ok()) return _st;      \
    } while (0)
// Assigns the value of a Result expression to `lhs`, or returns its Status.
#define TRY_ASSIGN(lhs, expr) TRY_ASSIGN_IMPL(TNOHAKU_CONCAT(_result_, __LINE__), lhs, expr)
#define TRY_ASSIGN_IMPL(tmp, lhs, expr) \
    auto tmp = (expr);                  \
    if (!tmp.ok()) return tmp.status(); \
    lhs = std::move(tmp).value()
