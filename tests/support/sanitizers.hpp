#pragma once
// Whether this build runs under AddressSanitizer (the `asan` preset), which slows every call and
// every thread hand-off several-fold. Tests of timing accuracy skip there: the delays they would
// measure are the sanitizer's, not loadgate's. Everything else runs, which is the preset's point.
namespace loadgate::testing {

#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool under_address_sanitizer = true;
#else
inline constexpr bool under_address_sanitizer = false;
#endif

}  // namespace loadgate::testing
