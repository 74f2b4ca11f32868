#pragma once
// Whether this build runs under AddressSanitizer or ThreadSanitizer (the `asan` and `tsan`
// presets), which slow every call and every thread hand-off several-fold. Tests of timing
// accuracy skip there: the delays they would measure are the sanitizer's, not loadgate's.
// Everything else runs, which is the presets' point.
namespace loadgate::testing {

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
inline constexpr bool under_sanitizer = true;
#else
inline constexpr bool under_sanitizer = false;
#endif

}  // namespace loadgate::testing
