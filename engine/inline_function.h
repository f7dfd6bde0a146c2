// A move-only type-erased callable with small-buffer storage. Callables of at most Capacity bytes
// (aligned to at most 8 bytes, nothrow-movable) live inside the object, so
// storing a lambda that captures a few pointers or integers never allocates; bigger ones fall
// back to one heap allocation. Unlike std::function it does not require the callable to be
// copyable.
#ifndef FLEETSIM_ENGINE_INLINE_FUNCTION_H_
#define FLEETSIM_ENGINE_INLINE_FUNCTION_H_

#include <cstddef>
#include <cstring>
#include <new>
#include <type_traits>
#include <utility>

namespace fleetsim {

template <typename Signature, size_t Capacity = 48>
class InlineFunction;

template <typename R, typename... Args, size_t Capacity>
class InlineFunction<R(Args...), Capacity> {
 public:
  InlineFunction() = default;
  InlineFunction(std::nullptr_t) {}  // NOLINT(google-explicit-constructor)

  template <typename F, typename D = std::decay_t<F>,
            typename = std::enable_if_t<!std::is_same_v<D, InlineFunction> &&
                                        std::is_invocable_r_v<R, D&, Args...>>>
  InlineFunction(F&& f) {  // NOLINT(google-explicit-constructor)
    if constexpr (kStoredInline<D>) {
      ::new (static_cast<void*>(storage_)) D(std::forward<F>(f));
      ops_ = &kInlineOps<D>;
    } else {
      D* heap = new D(std::forward<F>(f));
      std::memcpy(storage_, &heap, sizeof(heap));
      ops_ = &kHeapOps<D>;
    }
  }

  InlineFunction(InlineFunction&& other) noexcept { MoveFrom(other); }
  InlineFunction& operator=(InlineFunction&& other) noexcept {
    if (this != &other) {
      Reset();
      MoveFrom(other);
    }
    return *this;
  }
  InlineFunction& operator=(std::nullptr_t) noexcept {
    Reset();
    return *this;
  }
  InlineFunction(const InlineFunction&) = delete;
  InlineFunction& operator=(const InlineFunction&) = delete;
  ~InlineFunction() { Reset(); }

  explicit operator bool() const { return ops_ != nullptr; }

  // REQUIRES: *this holds a callable.
  R operator()(Args... args) { return ops_->invoke(storage_, std::forward<Args>(args)...); }

  // True when a callable of type F would be stored without a heap allocation.
  template <typename F>
  static constexpr bool FitsInline() {
    return kStoredInline<std::decay_t<F>>;
  }

 private:
  struct Ops {
    R (*invoke)(void* storage, Args&&... args);
    // Moves the callable from src to dst storage and destroys the source; null when a plain byte
    // copy does that (trivially copyable callables and the heap pointer).
    void (*relocate)(void* dst, void* src) noexcept;
    void (*destroy)(void* storage) noexcept;  // null when trivially destructible
  };

  // 8, not alignof(std::max_align_t): keeps the object at Capacity + 8 bytes; callables needing
  // 16-byte alignment (long double, __int128 captures) are rare and go to the heap.
  static constexpr size_t kAlignment = alignof(void*);
  template <typename D>
  static constexpr bool kStoredInline =
      (sizeof(D) <= Capacity) &&
      (alignof(D) <= kAlignment) && std::is_nothrow_move_constructible_v<D>;

  // Calls f, discarding its result when R is void (a value-returning lambda is a valid handler).
  template <typename D>
  static R Call(D& f, Args&&... args) {
    if constexpr (std::is_void_v<R>) {
      f(std::forward<Args>(args)...);
    } else {
      return f(std::forward<Args>(args)...);
    }
  }
  template <typename D>
  static R InvokeInline(void* s, Args&&... args) {
    return Call(*std::launder(static_cast<D*>(s)), std::forward<Args>(args)...);
  }
  template <typename D>
  static void RelocateInline(void* dst, void* src) noexcept {
    D* from = std::launder(static_cast<D*>(src));
    ::new (dst) D(std::move(*from));
    from->~D();
  }
  template <typename D>
  static void DestroyInline(void* s) noexcept {
    std::launder(static_cast<D*>(s))->~D();
  }
  template <typename D>
  static D* HeapPointer(void* s) {
    D* p;
    std::memcpy(&p, s, sizeof(p));
    return p;
  }
  template <typename D>
  static R InvokeHeap(void* s, Args&&... args) {
    return Call(*HeapPointer<D>(s), std::forward<Args>(args)...);
  }
  template <typename D>
  static void DestroyHeap(void* s) noexcept {
    delete HeapPointer<D>(s);
  }

  template <typename D>
  static constexpr Ops kInlineOps = {
      &InvokeInline<D>, std::is_trivially_copyable_v<D> ? nullptr : &RelocateInline<D>,
      std::is_trivially_destructible_v<D> ? nullptr : &DestroyInline<D>};
  template <typename D>
  static constexpr Ops kHeapOps = {&InvokeHeap<D>, nullptr, &DestroyHeap<D>};

  void MoveFrom(InlineFunction& other) noexcept {
    ops_ = other.ops_;
    if (ops_ == nullptr) return;
    if (ops_->relocate == nullptr) {
      std::memcpy(storage_, other.storage_, Capacity);
    } else {
      ops_->relocate(storage_, other.storage_);
    }
    other.ops_ = nullptr;
  }
  void Reset() noexcept {
    if (ops_ != nullptr && ops_->destroy != nullptr) ops_->destroy(storage_);
    ops_ = nullptr;
  }

  alignas(kAlignment) unsigned char storage_[Capacity];
  const Ops* ops_ = nullptr;
};

}  // namespace fleetsim

#endif  // FLEETSIM_ENGINE_INLINE_FUNCTION_H_
