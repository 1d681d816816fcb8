//! `baocao`: command-line entry. Parses arguments and hands over to `cli`.

mod cli;

// glibc's allocator keeps freed memory of the reading threads resident; a
// build of thousands of workbooks peaks lower with mimalloc
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's options `mi_option_arena_eager_commit` and
/// `mi_option_purge_delay`: their places in the `mi_option_e` enum of the
/// mimalloc v3 that libmimalloc-sys 0.1.49 builds (`c_src/mimalloc/v3/
/// include/mimalloc.h`; the crate names only the options the v2 and v3
/// enums share). The test below fails if a new version moves them.
const ARENA_EAGER_COMMIT: libmimalloc_sys::mi_option_t = 4;
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Memory freed by the reading threads goes back to the system at once and
/// arenas are committed as they fill: a build of 10,000 workbooks peaks at
/// 185 MB instead of 240, and is no slower (docs/hieu-nang.md).
fn return_memory_early() {
    // SAFETY: mi_option_set only stores the value; both options are read
    // when memory is next purged or an arena reserved.
    unsafe {
        libmimalloc_sys::mi_option_set(PURGE_DELAY, 0);
        libmimalloc_sys::mi_option_set(ARENA_EAGER_COMMIT, 0);
    }
}

fn main() {
    return_memory_early();
    std::process::exit(cli::run());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_options_set_are_the_ones_meant() {
        // their defaults in v3's src/options.c: 2 (commit arenas eagerly
        // where the system overcommits) and 1000 ms; a renumbered enum shows
        // other values (a test binary does not run main's settings)
        let get = |o| unsafe { libmimalloc_sys::mi_option_get(o) };
        assert_eq!((get(ARENA_EAGER_COMMIT), get(PURGE_DELAY)), (2, 1000));
    }
}
