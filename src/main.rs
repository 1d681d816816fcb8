//! `baocao`: command-line entry. Parses arguments and hands over to `cli`.

mod cli;

// glibc's allocator keeps freed memory of the reading threads resident; a
// build of thousands of workbooks peaks lower with mimalloc
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's option `mi_option_purge_delay`: its place in the
/// `mi_option_e` enum of the mimalloc v3 that libmimalloc-sys 0.1.49 builds
/// (`c_src/mimalloc/v3/include/mimalloc.h`; the crate names only the
/// options the v2 and v3 enums share). The test below fails if a new
/// version moves it.
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// From how many workbooks a run gives freed memory back early.
const MANY_WORKBOOKS: usize = 1_000;

/// How long (ms) memory freed in a large run waits before it goes back to
/// the system (mimalloc's default: 1,000). At 0 the threads gave pages back
/// and faulted them in again all the time (N = 10,000: 144 MB, 3.8-3.9 s
/// CPU); at 30-50 ms, 160 MB and 3% less CPU; at 1,000, 210 MB. Measured
/// interleaved (docs/hieu-nang.md).
const EARLY_PURGE_MS: std::ffi::c_long = 50;

/// `total` workbooks are about to be read (the commands' progress hears it
/// first). From [`MANY_WORKBOOKS`] on:
/// - memory freed by the reading threads goes back to the system after
///   [`EARLY_PURGE_MS`] instead of a second;
/// - the process stops taking transparent huge pages (Linux): the kernel
///   zeroes each 2 MB page whole when it is first touched, again after every
///   purge, and keeps it resident whole.
///
/// Together a build of 10,000 workbooks peaks at about 160 MB instead of 250
/// and takes about 10% less time. A small run keeps mimalloc's defaults, under
/// which the sample build is a few ms faster (fewer page faults, pages not
/// given again; docs/hieu-nang.md). Arenas committed lazily would help too,
/// but that option is read only when mimalloc starts, before main.
pub(crate) fn reading_workbooks(total: usize) {
    if total >= MANY_WORKBOOKS {
        // SAFETY: mi_option_set only stores the value, read at the next
        // purge; the reading threads have not started.
        unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, EARLY_PURGE_MS) }
        // SAFETY: a flag of this process, read by the kernel at the next
        // page fault; it takes no pointer. Failure (an old kernel) only
        // leaves huge pages on.
        #[cfg(target_os = "linux")]
        unsafe {
            libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
        }
    }
}

fn main() {
    std::process::exit(cli::run());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn purge_delay() -> std::ffi::c_long {
        unsafe { libmimalloc_sys::mi_option_get(PURGE_DELAY) }
    }

    #[test]
    fn a_large_run_gives_memory_back_early_without_huge_pages_a_small_one_keeps_the_defaults() {
        // the default in v3's src/options.c is 1000 ms; a renumbered enum
        // shows another option's value
        assert_eq!(purge_delay(), 1000);
        reading_workbooks(22);
        assert_eq!(purge_delay(), 1000);
        #[cfg(target_os = "linux")]
        let thp_off = || unsafe { libc::prctl(libc::PR_GET_THP_DISABLE, 0, 0, 0, 0) };
        #[cfg(target_os = "linux")]
        assert_eq!(thp_off(), 0);
        reading_workbooks(MANY_WORKBOOKS);
        assert_eq!(purge_delay(), EARLY_PURGE_MS);
        #[cfg(target_os = "linux")]
        assert_eq!(thp_off(), 1);
        unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, 1000) }
    }
}
